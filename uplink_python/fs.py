"""fsspec file system for Storj: ``sj://bucket/key`` (also ``storj://``) in fsspec, pandas, pyarrow, dask...

Registered through the ``fsspec.specs`` entry point of this package (``pip install uplink_python[fsspec]``)::

    import fsspec, pandas
    with fsspec.open("sj://bucket/data.csv", "rb", access=serialized_access) as f:
        head = f.read(100)
    frame = pandas.read_csv("sj://bucket/data.csv", storage_options={"access": serialized_access})

Credentials: ``access`` (a serialized access grant or an ``Access``), else ``satellite`` + ``api_key`` +
``passphrase``, else the ``STORJ_ACCESS`` environment variable. Buckets are the top-level directories
(``mkdir``/``rmdir`` create and delete them); below them, directories are key prefixes ending in ``/``.
Errors are the builtin exceptions fsspec expects: ``FileNotFoundError``, ``FileExistsError``,
``PermissionError``, ``IsADirectoryError``, ``OSError(ENOTEMPTY)``.

``version_aware=True`` (as in s3fs) reads versions of objects in versioned buckets: a path
``bucket/key?versionId=<id>`` or ``version_id=<id>`` (``open``, ``cat_file``, ``info``) is pinned to that
version; ``info`` reports an object's ``version_id`` and ``object_version_info(path)`` lists its versions.
A version id is the hex form of ``Object.version``.

It is an fsspec *async* file system, as s3fs is: the coroutines (``_cat_file``, ``_pipe_file``, ``_get_file``,
``_put_file``, ``_info``, ``_ls``, ``_rm_file``...) run each blocking library call on the file system's own
threads, never on the event loop (the C calls release the GIL), so fsspec's batch calls (``cat``, ``pipe``,
``get``, ``put``, ``rm``, ``copy`` of many paths) run up to ``max_concurrency`` calls at once (and at most
fsspec's ``batch_size`` coroutines). With ``asynchronous=True`` inside a running loop, await the coroutines
(``await fs._cat([...])``); otherwise the sync methods are fsspec's wrappers of the coroutines.
"""

from __future__ import annotations

import asyncio
import errno
import functools
import os
import shutil
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from glob import has_magic
from typing import Any, BinaryIO, Callable, Iterator, Optional, TypeVar, Union

from fsspec.asyn import AsyncFileSystem, _run_coros_in_chunks, sync_wrapper
from fsspec.callbacks import DEFAULT_CALLBACK, Callback

from . import transfer
from .access import Access
from .errors import BucketNotEmptyError, ObjectNotFoundError, StorjException
from .fileobj import DEFAULT_BUFFER_SIZE, StorjTextWriter, open_object
from .module_classes import Bucket, DownloadOptions, ListObjectsOptions, Object
from .project import Project
from .uplink import Uplink

ACCESS_ENV = "STORJ_ACCESS"
"""The environment variable holding a serialized access grant, used when the storage options give none."""
DEFAULT_MAX_CONCURRENCY = 32
"""Library calls one file system runs at once (its threads); fsspec's ``batch_size`` bounds the coroutines."""
Entry = dict[str, Any]
T = TypeVar("T")


CACHE_TYPES = ("readahead", "none")
"""fsspec's read caches that ``sj://`` honours: its reader is a read-ahead buffer of ``block_size`` over ranged
downloads (``"readahead"``); ``"none"`` reads straight from the network."""


def _read_buffer_size(cache_type: Optional[str], cache_options: Optional[dict[str, Any]], block_size: int) -> int:
    if cache_type not in (None, *CACHE_TYPES):
        raise ValueError(f"sj:// supports cache_type {' or '.join(map(repr, CACHE_TYPES))}, not {cache_type!r}")
    if cache_options:
        raise ValueError(f"sj:// takes no cache_options (got {', '.join(sorted(cache_options))}); "
                         "block_size sets the read-ahead size")
    return 1 if cache_type == "none" else block_size  # a 1-byte buffer passes every read through


def _split(path: str) -> tuple[str, str]:
    """``(bucket, key)`` of a path without protocol; the key is "" for a bucket (or the root)."""
    bucket, _, key = path.partition("/")
    return bucket, key


def _refuse_options(call: str, kwargs: dict[str, Any], known: tuple[str, ...] = ("metadata",)) -> None:
    unknown = sorted(set(kwargs) - set(known))
    if unknown:  # an option nobody reads would be silently ignored: refuse it instead
        raise TypeError(f"sj:// {call}() does not take {', '.join(unknown)}")


class _Operations:
    """The blocking work behind the file system: one project's calls, answered as fsspec entries and errors.

    Every method takes paths without protocol. The file system runs them on its threads (coroutines) or, for
    its sync-only methods (``open``, ``created``...), directly.
    """

    def __init__(self, project: Project, part_size: int, parallelism: int) -> None:
        self.project, self.part_size, self.parallelism = project, part_size, parallelism

    @staticmethod
    def bucket_entry(bucket: Bucket) -> Entry:
        return {"name": bucket.name, "size": 0, "type": "directory", "created": bucket.created}

    @staticmethod
    def object_entry(bucket: str, obj: Object) -> Entry:
        if obj.is_prefix:
            return {"name": f"{bucket}/{obj.key.rstrip('/')}", "size": 0, "type": "directory"}
        entry: Entry = {"name": f"{bucket}/{obj.key}", "size": obj.system.content_length, "type": "file",
                        "created": obj.system.created, "expires": obj.system.expires or None}
        if obj.custom.entries:
            entry["metadata"] = obj.custom.to_mapping()
        if obj.version:
            entry["version_id"] = obj.version.hex()
        return entry

    def objects(self, bucket: str, prefix: str, recursive: bool) -> Iterator[Object]:
        return self.project.iter_objects(bucket, ListObjectsOptions(prefix=prefix, recursive=recursive, system=True))

    # listing and metadata

    def ls(self, path: str) -> list[Entry]:
        bucket, key = _split(path)
        if not bucket:
            entries = [self.bucket_entry(b) for b in self.project.iter_buckets()]
        else:
            entries = [self.object_entry(bucket, o) for o in self.objects(bucket, f"{key}/" if key else "", False)]
            if not entries:
                if key:
                    entries = [self.info(path)]  # a file, or FileNotFoundError
                else:
                    self.project.stat_bucket(bucket)  # an empty bucket, or FileNotFoundError
        entries.sort(key=lambda entry: entry["name"])  # the network lists in encrypted-key order
        return entries

    def info(self, path: str, version: Optional[bytes] = None) -> Entry:
        bucket, key = _split(path)
        if version is not None:
            return self.object_entry(bucket, self.project.stat_object(bucket, key, version=version))
        if not bucket:
            return {"name": "", "size": 0, "type": "directory"}
        if not key:
            return self.bucket_entry(self.project.stat_bucket(bucket))
        try:
            return self.object_entry(bucket, self.project.stat_object(bucket, key))
        except ObjectNotFoundError:
            pass
        objects = self.objects(bucket, f"{key}/", False)
        try:
            first = next(iter(objects), None)
        finally:
            getattr(objects, "close", lambda: None)()
        if first is None:
            raise FileNotFoundError(errno.ENOENT, "no such object or prefix", path)
        return {"name": path, "size": 0, "type": "directory"}

    def exists(self, path: str) -> bool:
        try:
            self.info(path)
        except FileNotFoundError:
            return False
        return True

    def is_a(self, path: str, kind: str) -> bool:
        """Whether ``path`` exists as a "file" or a "directory"."""
        try:
            return bool(self.info(path)["type"] == kind)
        except FileNotFoundError:
            return False

    def find(self, path: str, withdirs: bool) -> dict[str, Entry]:
        """Every object under ``path`` (below a bucket) in one recursive listing, by name."""
        bucket, key = _split(path)
        found: dict[str, Entry] = {}
        try:
            if key:
                try:
                    found[path] = self.object_entry(bucket, self.project.stat_object(bucket, key))
                except ObjectNotFoundError:
                    pass
            for obj in self.objects(bucket, f"{key}/" if key else "", True):
                entry = self.object_entry(bucket, obj)
                found[entry["name"]] = entry
                if withdirs:  # the prefixes between path and the object
                    parent = entry["name"].rsplit("/", 1)[0]
                    while len(parent) > len(path) and parent not in found:
                        found[parent] = {"name": parent, "size": 0, "type": "directory"}
                        parent = parent.rsplit("/", 1)[0]
        except FileNotFoundError:  # no such bucket: nothing to find
            return {}
        if withdirs and (not key or len(found) > (1 if path in found else 0)) and path not in found:
            found[path] = self.info(path) if not key else {"name": path, "size": 0, "type": "directory"}
        return {name: found[name] for name in sorted(found)}

    # reading and writing

    def object_versions(self, path: str) -> list[Entry]:
        bucket, key = _split(path)
        parent = key.rsplit("/", 1)[0] + "/" if "/" in key else ""
        return [dict(self.object_entry(bucket, o), delete_marker=o.is_delete_marker)
                for o in self.project.iter_object_versions(bucket, ListObjectsOptions(prefix=parent, system=True))
                if o.key == key]

    def cat(self, path: str, start: Optional[int], end: Optional[int], version: Optional[bytes]) -> bytes:
        bucket, key = _split(path)
        if not key:
            raise IsADirectoryError(errno.EISDIR, "is a bucket", path)
        start = 0 if start is None else start
        if start < 0 or (end is not None and end < 0):
            size = int(self.info(path, version)["size"])
            start = max(size + start, 0) if start < 0 else start
            end = max(size + end, 0) if end is not None and end < 0 else end
        if end is not None and end <= start:
            return b""
        try:
            pinned = {} if version is None else {"version": version}
            download = self.project.download_object(
                bucket, key, DownloadOptions(start, -1 if end is None else end - start), **pinned)
        except (FileNotFoundError, PermissionError):
            raise
        except StorjException:
            # a range past the end is empty, not an error
            if start > 0 and start >= int(self.info(path, version)["size"]):
                return b""
            raise
        with download:  # read() fills a new bytes in place, never more than the range holds: no copy
            data: bytes = download.read(sys.maxsize if end is None else end - start)[0]
        return data

    def refuse_existing(self, path: str, mode: str) -> None:
        if mode not in ("overwrite", "create"):
            raise ValueError(f"mode must be 'overwrite' or 'create', not {mode!r}")
        if mode == "create" and self.exists(path):
            raise FileExistsError(errno.EEXIST, "object exists", path)

    def pipe(self, path: str, value: bytes, mode: str) -> None:
        self.refuse_existing(path, mode)
        with self.project.upload_object(*_split(path)) as upload:
            upload.write(value)
            upload.commit()

    def put(self, lpath: str, rpath: str, callback: Callback, mode: str, metadata: Any) -> None:
        if os.path.isdir(lpath):
            return  # directories are implicit below a bucket
        self.refuse_existing(rpath, mode)
        bucket, key = _split(rpath)
        callback.set_size(os.path.getsize(lpath))
        transfer.upload_file(self.project, lpath, bucket, key, progress=lambda done, _: callback.absolute_update(done),
                             part_size=self.part_size, parallelism=self.parallelism, custom_metadata=metadata)

    def get(self, rpath: str, lpath: Any, callback: Callback, outfile: Any) -> None:
        bucket, key = _split(rpath)

        def progress(done: int, total: Optional[int]) -> None:
            if done == 0:
                callback.set_size(total)
            callback.absolute_update(done)

        if outfile is None and isinstance(lpath, (str, os.PathLike)):  # as fsspec's get_file: parents first
            os.makedirs(os.path.dirname(os.path.abspath(lpath)), exist_ok=True)
        try:
            transfer.download_file(self.project, bucket, key, outfile if outfile is not None else lpath,
                                   progress=progress, part_size=self.part_size, parallelism=self.parallelism)
        except FileNotFoundError:
            if key and outfile is None and self.is_a(rpath, "directory"):
                os.makedirs(lpath, exist_ok=True)
                return
            raise

    # deleting, buckets, copies

    def delete(self, path: str, missing_ok: bool) -> None:
        bucket, key = _split(path)
        if not key:
            raise IsADirectoryError(errno.EISDIR, "is a bucket (use rmdir or rm(recursive=True))", path)
        if self.project.delete_object(bucket, key) is None and not missing_ok:
            raise FileNotFoundError(errno.ENOENT, "no such object", path)

    def delete_bucket(self, bucket: str, with_objects: bool) -> None:
        if with_objects:
            self.project.delete_bucket_with_objects(bucket)
            return
        try:
            self.project.delete_bucket(bucket)
        except BucketNotEmptyError as error:
            raise OSError(errno.ENOTEMPTY, f"bucket not empty: {error.details}", bucket) from error

    def mkdir(self, path: str, create_parents: bool) -> None:
        bucket, key = _split(path)
        if not bucket:
            raise FileExistsError(errno.EEXIST, "the root exists", path)
        if not key:
            self.project.create_bucket(bucket)
        elif create_parents:
            self.project.ensure_bucket(bucket)
        else:
            self.project.stat_bucket(bucket)

    def makedirs(self, path: str, exist_ok: bool) -> None:
        bucket, key = _split(path)
        if bucket and not key and not exist_ok:
            self.project.create_bucket(bucket)
        elif bucket:
            self.project.ensure_bucket(bucket)

    def copy(self, path1: str, path2: str) -> None:
        bucket1, key1 = _split(path1)
        bucket2, key2 = _split(path2)
        if not key1 or not key2:
            raise IsADirectoryError(errno.EISDIR, "cannot copy a bucket", path1 if not key1 else path2)
        try:
            self.project.copy_object(bucket1, key1, bucket2, key2)
        except ObjectNotFoundError:
            if self.is_a(path1, "directory"):  # a prefix in a recursive copy: directories are implicit
                return
            raise

    def move(self, path1: str, path2: str) -> bool:
        """Server-side move of one object; False when ``path1`` is not an object (fsspec's copy + rm then)."""
        bucket1, key1 = _split(path1)
        bucket2, key2 = _split(path2)
        if not key1 or not key2 or not self.is_a(path1, "file"):
            return False
        if path1 == path2:
            return True
        try:
            self.project.move_object(bucket1, key1, bucket2, key2)
        except StorjException:
            if not self.is_a(path2, "file"):
                raise
            self.project.delete_object(bucket2, key2)  # mv replaces an existing object, as on a disk
            self.project.move_object(bucket1, key1, bucket2, key2)
        return True


class _StorjFileSystemType(type(AsyncFileSystem)):  # type: ignore[misc]
    """fsspec caches instances by the repr of their arguments: an ``Access`` is cached by its serialization."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if args and isinstance(args[0], Access):
            args = (args[0].serialize(), *args[1:])
        if isinstance(kwargs.get("access"), Access):
            kwargs["access"] = kwargs["access"].serialize()
        if kwargs.get("project") is not None:  # a live project has no stable token: never share the instance
            kwargs["skip_instance_cache"] = True
        return super().__call__(*args, **kwargs)


class StorjFileSystem(AsyncFileSystem, metaclass=_StorjFileSystemType):  # type: ignore[misc]
    """Storj buckets and objects as an fsspec (async) file system. ``close()`` releases its project.

    ``project=`` uses an open ``Project`` instead of credentials (such instances are not cached or pickled).
    ``max_concurrency`` bounds the library calls running at once; fsspec's ``asynchronous``, ``loop`` and
    ``batch_size`` work as for any fsspec async file system.
    """

    protocol = ("sj", "storj")
    root_marker = ""

    def __init__(self, access: Union[str, Access, None] = None, *, satellite: Optional[str] = None,
                 api_key: Optional[str] = None, passphrase: Optional[str] = None,
                 part_size: int = transfer.DEFAULT_PART_SIZE, parallelism: int = transfer.DEFAULT_PARALLELISM,
                 block_size: int = DEFAULT_BUFFER_SIZE, max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
                 project: Optional[Project] = None, version_aware: bool = False, **storage_options: Any) -> None:
        if not isinstance(max_concurrency, int) or max_concurrency < 1:
            raise ValueError(f"max_concurrency must be a positive int, not {max_concurrency!r}")
        if not isinstance(block_size, int) or block_size < 1:
            raise ValueError(f"block_size must be a positive int, not {block_size!r}")
        super().__init__(**storage_options)
        self.part_size, self.parallelism, self.blocksize = part_size, parallelism, block_size
        self.max_concurrency, self.version_aware = max_concurrency, version_aware
        self._threads: Optional[ThreadPoolExecutor] = None
        self._threads_lock = threading.Lock()
        self._access: Optional[Access] = None
        if project is None:
            project = self._open_project(access, satellite, api_key, passphrase)
        self._project: Project = project  # the caller's own project is used, not closed, by this file system
        self._ops = _Operations(project, part_size, parallelism)

    def _open_project(self, access: Union[str, Access, None], satellite: Optional[str], api_key: Optional[str],
                      passphrase: Optional[str]) -> Project:
        serialized = access.serialize() if isinstance(access, Access) else access or os.environ.get(ACCESS_ENV)
        uplink = Uplink()
        if serialized:
            self._access = uplink.parse_access(serialized)
        elif satellite and api_key and passphrase is not None:
            self._access = uplink.request_access_with_passphrase(satellite, api_key, passphrase)
        else:
            raise ValueError(f"no Storj credentials: pass access=<serialized access grant> (or satellite, api_key "
                             f"and passphrase) in the storage options, or set {ACCESS_ENV}")
        try:
            project: Project = self._access.open_project()
        except BaseException:
            self._access.close()
            raise
        return project

    def close(self) -> None:
        """Waits for the calls in flight, then closes the project and access this file system opened (not a
        ``project=`` passed in). Idempotent."""
        with self._threads_lock:
            threads, self._threads = self._threads, None
        if threads is not None:
            threads.shutdown(wait=True)
        if self._access is None:
            return
        access, self._access = self._access, None
        try:
            self._project.close()
        finally:
            access.close()

    @property
    def project(self) -> Project:
        """The open ``Project`` behind this file system."""
        return self._project

    async def _call(self, function: Callable[..., T], *args: Any) -> T:
        """Runs one blocking call on this file system's threads, off the event loop."""
        with self._threads_lock:
            if self._threads is None:
                self._threads = ThreadPoolExecutor(self.max_concurrency, thread_name_prefix="sj-fs")
            threads = self._threads
        return await asyncio.get_running_loop().run_in_executor(threads, functools.partial(function, *args))

    # paths

    @classmethod
    def _strip_protocol(cls, path: Any) -> Any:
        if isinstance(path, list):
            return [cls._strip_protocol(p) for p in path]
        return super()._strip_protocol(path).lstrip("/")

    def split_path(self, path: str) -> tuple[str, str]:
        """``(bucket, key)`` of a path; the key is "" for a bucket (or the root)."""
        return _split(self._strip_protocol(path))

    def _split_version(self, path: str, version_id: Optional[str] = None) -> tuple[str, Optional[bytes]]:
        """``(path, version)`` of a path that may end in ``?versionId=<id>`` (or of ``version_id``)."""
        path, _, in_path = path.partition("?versionId=")
        version_id = version_id or in_path or None
        if version_id is None:
            return path, None
        if not self.version_aware:
            raise ValueError("version_id cannot be specified if the file system is not version aware")
        try:
            return path, bytes.fromhex(version_id)
        except ValueError:
            raise ValueError(f"invalid version id {version_id!r} (the hex form of Object.version)") from None

    def object_version_info(self, path: str, **kwargs: Any) -> list[Entry]:
        """Every version of one object, newest first (delete markers too, ``"delete_marker": True``)."""
        if not self.version_aware:
            raise ValueError("version specific functionality is disabled for a file system that is not version aware")
        return self._ops.object_versions(self._split_version(self._strip_protocol(path))[0])

    # listing and metadata

    async def _ls(self, path: str, detail: bool = True, **kwargs: Any) -> Union[list[Entry], list[str]]:
        entries = await self._call(self._ops.ls, self._strip_protocol(path))
        return entries if detail else [entry["name"] for entry in entries]

    async def _info(self, path: str, **kwargs: Any) -> Entry:
        path, version = self._split_version(self._strip_protocol(path), kwargs.get("version_id"))
        return await self._call(self._ops.info, path, version)

    async def _find(self, path: str, maxdepth: Optional[int] = None, withdirs: bool = False, **kwargs: Any
                    ) -> Union[list[str], dict[str, Entry]]:
        """Every object under ``path`` (recursive listing in one pass; ``maxdepth`` falls back to fsspec's walk)."""
        path = self._strip_protocol(path)
        if not _split(path)[0] or maxdepth is not None:
            walked: Union[list[str], dict[str, Entry]] = await super()._find(
                path, maxdepth=maxdepth, withdirs=withdirs, **kwargs)
            return walked
        found = await self._call(self._ops.find, path, withdirs)
        return found if kwargs.get("detail") else list(found)

    def created(self, path: str) -> datetime:
        return datetime.fromtimestamp(self._ops.info(self._strip_protocol(path)).get("created", 0), tz=timezone.utc)

    def modified(self, path: str) -> datetime:
        """Objects are immutable: the time they were created (committed)."""
        return self.created(path)

    # reading and writing

    async def _cat_file(self, path: str, start: Optional[int] = None, end: Optional[int] = None,
                        **kwargs: Any) -> bytes:
        _refuse_options("cat_file", kwargs, ("version_id",))
        path, version = self._split_version(self._strip_protocol(path), kwargs.get("version_id"))
        return await self._call(self._ops.cat, path, start, end, version)

    async def _pipe_file(self, path: str, value: bytes, mode: str = "overwrite", **kwargs: Any) -> None:
        _refuse_options("pipe_file", kwargs, ())
        path = self._strip_protocol(path)
        if self._intrans:
            await self._call(self._write_in_transaction, path, mode, lambda target: target.write(value))
        else:
            await self._call(self._ops.pipe, path, value, mode)

    async def _put_file(self, lpath: str, rpath: str, callback: Callback = DEFAULT_CALLBACK, mode: str = "overwrite",
                        **kwargs: Any) -> None:
        _refuse_options("put_file", kwargs)
        rpath = self._strip_protocol(rpath)
        if self._intrans and not os.path.isdir(lpath):
            def copy(target: BinaryIO) -> None:
                with open(lpath, "rb") as source:
                    shutil.copyfileobj(source, target, self.blocksize)
            await self._call(self._write_in_transaction, rpath, mode, copy, kwargs.get("metadata"))
        else:
            await self._call(self._ops.put, lpath, rpath, callback, mode, kwargs.get("metadata"))

    def _write_in_transaction(self, path: str, mode: str, write: Callable[[BinaryIO], Any],
                              metadata: Any = None) -> None:
        """Inside ``with fs.transaction``: written as a file opened there, committed when the transaction ends."""
        self._ops.refuse_existing(path, mode)
        with self.open(path, "wb", metadata=metadata) as target:
            write(target)

    async def _get_file(self, rpath: str, lpath: Any, callback: Callback = DEFAULT_CALLBACK, outfile: Any = None,
                        **kwargs: Any) -> None:
        _refuse_options("get_file", kwargs, ())
        await self._call(self._ops.get, self._strip_protocol(rpath), lpath, callback, outfile)

    def open(self, path: str, mode: str = "rb", block_size: Optional[int] = None,
             cache_options: Optional[dict[str, Any]] = None, compression: Optional[str] = None, **kwargs: Any) -> Any:
        """As fsspec's ``open``; a text writer (``"w"``) also aborts, instead of committing, when its ``with``
        block raises, as a binary one does."""
        if mode in ("w", "wt") and compression is None:
            text = {name: kwargs.pop(name) for name in ("encoding", "errors", "newline") if name in kwargs}
            return StorjTextWriter(self.open(path, "wb", block_size, cache_options, **kwargs),
                                   text.get("encoding") or "utf-8", text.get("errors"), text.get("newline"))
        return super().open(path, mode, block_size=block_size, cache_options=cache_options, compression=compression,
                            **kwargs)

    def _open(self, path: str, mode: str = "rb", block_size: Optional[int] = None, autocommit: bool = True,
              cache_options: Optional[dict[str, Any]] = None, **kwargs: Any) -> Any:
        path, version = self._split_version(self._strip_protocol(path), kwargs.pop("version_id", None))
        bucket, key = _split(path)
        if not key:
            raise IsADirectoryError(errno.EISDIR, "is a bucket", path)
        if version is not None and mode != "rb":
            raise ValueError("a version can only be read: writing makes a new version")
        _refuse_options("open", kwargs, ("metadata", "cache_type"))
        buffer_size = block_size if block_size and block_size > 0 else self.blocksize
        if mode == "rb":
            if kwargs.get("metadata") is not None:
                raise ValueError("metadata is for writing")
            return open_object(self._project, bucket, key, "rb", version=version,
                               buffer_size=_read_buffer_size(kwargs.get("cache_type"), cache_options, buffer_size))
        if mode in ("wb", "xb"):
            if kwargs.get("cache_type") is not None or cache_options:
                raise ValueError("cache_type and cache_options are for reading")
            self._ops.refuse_existing(path, "create" if mode == "xb" else "overwrite")
            return open_object(self._project, bucket, key, "wb", buffer_size=buffer_size,
                               custom_metadata=kwargs.get("metadata"), autocommit=autocommit)
        raise NotImplementedError(f"mode {mode!r} is not supported by sj:// (objects are immutable: rb, wb, xb)")

    # deleting, buckets, copies

    async def _rm_file(self, path: str, **kwargs: Any) -> None:
        await self._call(self._ops.delete, self._strip_protocol(path), False)

    async def _rm(self, path: Union[str, list[str]], recursive: bool = False, batch_size: Optional[int] = None,
                  maxdepth: Optional[int] = None, **kwargs: Any) -> None:
        """Deletes objects (many at once); with ``recursive`` everything under a prefix, and a bucket given alone
        with its objects."""
        try:
            if isinstance(path, str) and not has_magic(path):
                names = await self._rm_one(self._strip_protocol(path), recursive, maxdepth)
            else:
                expanded = await self._expand_path(path, recursive=recursive, maxdepth=maxdepth)
                names = [name for name in reversed(expanded) if _split(name)[1]]  # prefixes delete nothing
            await _run_coros_in_chunks([self._call(self._ops.delete, name, True) for name in names],
                                       batch_size=batch_size or self.batch_size, nofiles=True)
        finally:
            self.invalidate_cache()

    async def _rm_one(self, path: str, recursive: bool, maxdepth: Optional[int]) -> list[str]:
        """Deletes a bucket or one object itself; for a recursive prefix, the objects that remain to delete."""
        bucket, key = _split(path)
        if not bucket:
            raise PermissionError(errno.EPERM, "refusing to delete every bucket", path)
        if not key:
            await self._call(self._ops.delete_bucket, bucket, recursive and maxdepth is None)
            return []
        if not recursive:
            await self._call(self._ops.delete, path, False)
            return []
        names = await self._find(path, maxdepth=maxdepth)
        if not names:
            raise FileNotFoundError(errno.ENOENT, "no such object or prefix", path)
        return list(names)

    async def _mkdir(self, path: str, create_parents: bool = True, **kwargs: Any) -> None:
        """Creates a bucket (``FileExistsError`` if it exists). Below a bucket, directories are implicit."""
        await self._call(self._ops.mkdir, self._strip_protocol(path), create_parents)

    async def _makedirs(self, path: str, exist_ok: bool = False) -> None:
        await self._call(self._ops.makedirs, self._strip_protocol(path), exist_ok)

    async def _rmdir(self, path: str) -> None:
        """Deletes an empty bucket. Prefixes below a bucket vanish with their last object: nothing to do."""
        bucket, key = self.split_path(path)
        if bucket and not key:
            await self._call(self._ops.delete_bucket, bucket, False)

    rmdir = sync_wrapper(_rmdir)

    async def _cp_file(self, path1: str, path2: str, **kwargs: Any) -> None:
        """Server-side copy (data and metadata)."""
        await self._call(self._ops.copy, self._strip_protocol(path1), self._strip_protocol(path2))

    async def _mv(self, path1: Any, path2: Any, recursive: bool = False, maxdepth: Optional[int] = None,
                  **kwargs: Any) -> None:
        """Server-side move for one object; anything else (prefixes, globs, lists) as fsspec's copy + rm."""
        if isinstance(path1, str) and isinstance(path2, str) and not has_magic(path1):
            moved = await self._call(self._ops.move, self._strip_protocol(path1), self._strip_protocol(path2))
            if moved:
                self.invalidate_cache()
                return
        if path1 != path2:
            await self._copy(path1, path2, recursive=recursive, maxdepth=maxdepth, on_error="raise", **kwargs)
            await self._rm(path1, recursive=recursive)

    mv = sync_wrapper(_mv)


__all__ = ["StorjFileSystem", "ACCESS_ENV", "CACHE_TYPES", "DEFAULT_MAX_CONCURRENCY"]
