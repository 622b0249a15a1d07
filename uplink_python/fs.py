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
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
from glob import has_magic
from datetime import datetime, timezone
from typing import Any, Iterator, Optional, Union

from fsspec.callbacks import DEFAULT_CALLBACK, Callback
from fsspec.spec import AbstractFileSystem

from . import transfer
from .access import Access
from .errors import BucketNotEmptyError, ObjectNotFoundError, StorjException
from .fileobj import DEFAULT_BUFFER_SIZE, StorjTextWriter, open_object
from .module_classes import Bucket, DownloadOptions, ListObjectsOptions, Object
from .uplink import Uplink

ACCESS_ENV = "STORJ_ACCESS"
Entry = dict[str, Any]


# fsspec's read caches that sj:// honours: its reader is a read-ahead buffer of block_size over ranged
# downloads ("readahead"); "none" reads straight from the network.
CACHE_TYPES = ("readahead", "none")


def _read_buffer_size(cache_type: Optional[str], cache_options: Optional[dict[str, Any]], block_size: int) -> int:
    if cache_type not in (None, *CACHE_TYPES):
        raise ValueError(f"sj:// supports cache_type {' or '.join(map(repr, CACHE_TYPES))}, not {cache_type!r}")
    if cache_options:
        raise ValueError(f"sj:// takes no cache_options (got {', '.join(sorted(cache_options))}); "
                         "block_size sets the read-ahead size")
    return 1 if cache_type == "none" else block_size  # a 1-byte buffer passes every read through


class _StorjFileSystemType(type(AbstractFileSystem)):  # type: ignore[misc]
    """fsspec caches instances by the repr of their arguments: an ``Access`` is cached by its serialization."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if args and isinstance(args[0], Access):
            args = (args[0].serialize(), *args[1:])
        if isinstance(kwargs.get("access"), Access):
            kwargs["access"] = kwargs["access"].serialize()
        if kwargs.get("project") is not None:  # a live project has no stable token: never share the instance
            kwargs["skip_instance_cache"] = True
        return super().__call__(*args, **kwargs)


class StorjFileSystem(AbstractFileSystem, metaclass=_StorjFileSystemType):  # type: ignore[misc]
    """Storj buckets and objects as an fsspec file system. ``close()`` releases its project.

    ``project=`` uses an open ``Project`` instead of credentials (such instances are not cached or pickled).
    """

    protocol = ("sj", "storj")
    root_marker = ""

    def __init__(self, access: Union[str, Access, None] = None, *, satellite: Optional[str] = None,
                 api_key: Optional[str] = None, passphrase: Optional[str] = None,
                 part_size: int = transfer.DEFAULT_PART_SIZE, parallelism: int = transfer.DEFAULT_PARALLELISM,
                 block_size: int = DEFAULT_BUFFER_SIZE, project: Any = None, version_aware: bool = False,
                 **storage_options: Any) -> None:
        super().__init__(**storage_options)
        self.part_size, self.parallelism, self.blocksize = part_size, parallelism, block_size
        self.version_aware = version_aware
        self._access: Optional[Access] = None
        if project is not None:  # the caller's open project: used, not closed, by this file system
            self._project = project
            return
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
            self._project = self._access.open_project()
        except BaseException:
            self._access.close()
            raise

    def close(self) -> None:
        """Closes the project and access this file system opened (not a ``project=`` passed in). Idempotent."""
        if self._access is None:
            return
        try:
            self._project.close()
        finally:
            self._access.close()

    @property
    def project(self) -> Any:
        """The open ``Project`` behind this file system."""
        return self._project

    # paths

    @classmethod
    def _strip_protocol(cls, path: Any) -> Any:
        if isinstance(path, list):
            return [cls._strip_protocol(p) for p in path]
        return super()._strip_protocol(path).lstrip("/")

    def split_path(self, path: str) -> tuple[str, str]:
        """``(bucket, key)`` of a path; the key is "" for a bucket (or the root)."""
        bucket, _, key = self._strip_protocol(path).partition("/")
        return bucket, key

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
        bucket, key = self.split_path(self._split_version(path)[0])
        parent = key.rsplit("/", 1)[0] + "/" if "/" in key else ""
        return [dict(self._object_entry(bucket, o), delete_marker=o.is_delete_marker)
                for o in self._project.iter_object_versions(bucket, ListObjectsOptions(prefix=parent, system=True))
                if o.key == key]

    @staticmethod
    def _bucket_entry(bucket: Bucket) -> Entry:
        return {"name": bucket.name, "size": 0, "type": "directory", "created": bucket.created}

    @staticmethod
    def _object_entry(bucket: str, obj: Object) -> Entry:
        if obj.is_prefix:
            return {"name": f"{bucket}/{obj.key.rstrip('/')}", "size": 0, "type": "directory"}
        entry: Entry = {"name": f"{bucket}/{obj.key}", "size": obj.system.content_length, "type": "file",
                        "created": obj.system.created, "expires": obj.system.expires or None}
        if obj.custom.entries:
            entry["metadata"] = obj.custom.to_mapping()
        if obj.version:
            entry["version_id"] = obj.version.hex()
        return entry

    def _objects(self, bucket: str, prefix: str, recursive: bool) -> Iterator[Object]:
        objects: Iterator[Object] = self._project.iter_objects(
            bucket, ListObjectsOptions(prefix=prefix, recursive=recursive, system=True))
        return objects

    # listing and metadata

    def ls(self, path: str, detail: bool = True, **kwargs: Any) -> Union[list[Entry], list[str]]:
        path = self._strip_protocol(path)
        bucket, key = self.split_path(path)
        if not bucket:
            entries = [self._bucket_entry(b) for b in self._project.iter_buckets()]
        else:
            entries = [self._object_entry(bucket, o) for o in self._objects(bucket, f"{key}/" if key else "", False)]
            if not entries:
                if key:
                    entries = [self.info(path)]  # a file, or FileNotFoundError
                else:
                    self._project.stat_bucket(bucket)  # an empty bucket, or FileNotFoundError
        entries.sort(key=lambda entry: entry["name"])  # the network lists in encrypted-key order
        return entries if detail else [entry["name"] for entry in entries]

    def info(self, path: str, **kwargs: Any) -> Entry:
        path, version = self._split_version(self._strip_protocol(path), kwargs.get("version_id"))
        bucket, key = self.split_path(path)
        if version is not None:
            return self._object_entry(bucket, self._project.stat_object(bucket, key, version=version))
        if not bucket:
            return {"name": "", "size": 0, "type": "directory"}
        if not key:
            return self._bucket_entry(self._project.stat_bucket(bucket))
        try:
            return self._object_entry(bucket, self._project.stat_object(bucket, key))
        except ObjectNotFoundError:
            pass
        objects = self._objects(bucket, f"{key}/", False)
        try:
            first = next(iter(objects), None)
        finally:
            getattr(objects, "close", lambda: None)()
        if first is None:
            raise FileNotFoundError(errno.ENOENT, "no such object or prefix", path)
        return {"name": path, "size": 0, "type": "directory"}

    def find(self, path: str, maxdepth: Optional[int] = None, withdirs: bool = False, detail: bool = False,
             **kwargs: Any) -> Union[list[str], dict[str, Entry]]:
        """Every object under ``path`` (recursive listing in one pass; ``maxdepth`` falls back to fsspec's walk)."""
        path = self._strip_protocol(path)
        bucket, key = self.split_path(path)
        if not bucket or maxdepth is not None:
            walked: Union[list[str], dict[str, Entry]] = super().find(
                path, maxdepth=maxdepth, withdirs=withdirs, detail=detail, **kwargs)
            return walked
        found: dict[str, Entry] = {}
        try:
            if key:
                try:
                    found[path] = self._object_entry(bucket, self._project.stat_object(bucket, key))
                except ObjectNotFoundError:
                    pass
            for obj in self._objects(bucket, f"{key}/" if key else "", True):
                entry = self._object_entry(bucket, obj)
                found[entry["name"]] = entry
                if withdirs:  # the prefixes between path and the object
                    parent = entry["name"].rsplit("/", 1)[0]
                    while len(parent) > len(path) and parent not in found:
                        found[parent] = {"name": parent, "size": 0, "type": "directory"}
                        parent = parent.rsplit("/", 1)[0]
        except FileNotFoundError:  # no such bucket: nothing to find
            return {} if detail else []
        if withdirs and (not key or len(found) > (1 if path in found else 0)) and path not in found:
            found[path] = self.info(path) if not key else {"name": path, "size": 0, "type": "directory"}
        names = sorted(found)
        return {name: found[name] for name in names} if detail else names

    def created(self, path: str) -> datetime:
        return datetime.fromtimestamp(self.info(path).get("created", 0), tz=timezone.utc)

    def modified(self, path: str) -> datetime:
        """Objects are immutable: the time they were created (committed)."""
        return self.created(path)

    # reading and writing

    def cat_file(self, path: str, start: Optional[int] = None, end: Optional[int] = None, **kwargs: Any) -> bytes:
        path, version = self._split_version(path, kwargs.get("version_id"))
        bucket, key = self.split_path(path)
        if not key:
            raise IsADirectoryError(errno.EISDIR, "is a bucket", path)
        start = 0 if start is None else start
        if start < 0 or (end is not None and end < 0):
            size = self.size(path)
            start = max(size + start, 0) if start < 0 else start
            end = max(size + end, 0) if end is not None and end < 0 else end
        if end is not None and end <= start:
            return b""
        try:
            pinned = {} if version is None else {"version": version}
            download = self._project.download_object(bucket, key, DownloadOptions(start, -1 if end is None else end - start),
                                                     **pinned)
        except (FileNotFoundError, PermissionError):
            raise
        except StorjException:
            if start > 0 and start >= self.size(path):  # a range past the end is empty, not an error
                return b""
            raise
        with download:  # read() fills a new bytes in place, never more than the range holds: no copy
            data: bytes = download.read(sys.maxsize if end is None else end - start)[0]
        return data

    def pipe_file(self, path: str, value: bytes, mode: str = "overwrite", **kwargs: Any) -> None:
        bucket, key = self.split_path(path)
        if mode == "create" and self.exists(path):
            raise FileExistsError(errno.EEXIST, "object exists", path)
        if self._intrans:  # in a transaction: through a file that commits when the transaction ends
            with self.open(path, "wb") as file:
                file.write(value)
            return
        with self._project.upload_object(bucket, key) as upload:
            upload.write(value)
            upload.commit()

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
        path, version = self._split_version(path, kwargs.pop("version_id", None))
        bucket, key = self.split_path(path)
        if not key:
            raise IsADirectoryError(errno.EISDIR, "is a bucket", path)
        if version is not None and mode != "rb":
            raise ValueError("a version can only be read: writing makes a new version")
        unknown = sorted(set(kwargs) - {"metadata", "cache_type"})
        if unknown:  # an option nobody reads would be silently ignored: refuse it instead
            raise TypeError(f"sj:// open() does not take {', '.join(unknown)}")
        buffer_size = block_size if block_size and block_size > 0 else self.blocksize
        if mode == "rb":
            if kwargs.get("metadata") is not None:
                raise ValueError("metadata is for writing")
            return open_object(self._project, bucket, key, "rb", version=version,
                               buffer_size=_read_buffer_size(kwargs.get("cache_type"), cache_options, buffer_size))
        if mode in ("wb", "xb"):
            if kwargs.get("cache_type") is not None or cache_options:
                raise ValueError("cache_type and cache_options are for reading")
            if mode == "xb" and self.exists(path):
                raise FileExistsError(errno.EEXIST, "object exists", path)
            return open_object(self._project, bucket, key, "wb", buffer_size=buffer_size,
                               custom_metadata=kwargs.get("metadata"), autocommit=autocommit)
        raise NotImplementedError(f"mode {mode!r} is not supported by sj:// (objects are immutable: rb, wb, xb)")

    def put_file(self, lpath: str, rpath: str, callback: Callback = DEFAULT_CALLBACK, mode: str = "overwrite",
                 **kwargs: Any) -> None:
        if os.path.isdir(lpath):
            return  # directories are implicit below a bucket
        bucket, key = self.split_path(rpath)
        if mode == "create" and self.exists(rpath):
            raise FileExistsError(errno.EEXIST, "object exists", rpath)
        callback.set_size(os.path.getsize(lpath))
        if self._intrans:  # in a transaction: through a file that commits when the transaction ends
            with open(lpath, "rb") as source, self.open(rpath, "wb", metadata=kwargs.get("metadata")) as file:
                shutil.copyfileobj(source, file, transfer.CHUNK_SIZE)
            callback.absolute_update(os.path.getsize(lpath))
            return
        transfer.upload_file(self._project, lpath, bucket, key, progress=lambda done, _: callback.absolute_update(done),
                             part_size=self.part_size, parallelism=self.parallelism,
                             custom_metadata=kwargs.get("metadata"))

    def get_file(self, rpath: str, lpath: str, callback: Callback = DEFAULT_CALLBACK, outfile: Any = None,
                 **kwargs: Any) -> None:
        bucket, key = self.split_path(rpath)

        def progress(done: int, total: Optional[int]) -> None:
            if done == 0:
                callback.set_size(total)
            callback.absolute_update(done)

        if outfile is None:  # as fsspec's own get_file: the local parent folders are made first
            os.makedirs(os.path.dirname(os.path.abspath(lpath)), exist_ok=True)
        try:
            transfer.download_file(self._project, bucket, key, outfile if outfile is not None else lpath,
                                   progress=progress, part_size=self.part_size, parallelism=self.parallelism)
        except FileNotFoundError:
            if key and outfile is None and self.isdir(rpath):
                os.makedirs(lpath, exist_ok=True)
                return
            raise

    # deleting, buckets, copies

    def rm_file(self, path: str) -> None:
        bucket, key = self.split_path(path)
        if not key:
            raise IsADirectoryError(errno.EISDIR, "is a bucket (use rmdir or rm(recursive=True))", path)
        if self._project.delete_object(bucket, key) is None:
            raise FileNotFoundError(errno.ENOENT, "no such object", path)

    def rm(self, path: Union[str, list[str]], recursive: bool = False, maxdepth: Optional[int] = None) -> None:
        """Deletes objects; with ``recursive`` everything under a prefix, and a bucket given alone with its objects."""
        if isinstance(path, str) and not has_magic(path):
            self._rm_one(path, recursive, maxdepth)
        else:
            for expanded in reversed(self.expand_path(path, recursive=recursive, maxdepth=maxdepth)):
                bucket, key = self.split_path(expanded)
                if key:
                    self._project.delete_object(bucket, key)  # a prefix ("directory") deletes nothing
        self.invalidate_cache()

    def _rm_one(self, path: str, recursive: bool, maxdepth: Optional[int]) -> None:
        bucket, key = self.split_path(path)
        if not bucket:
            raise PermissionError(errno.EPERM, "refusing to delete every bucket", path)
        if not key:
            if recursive and maxdepth is None:
                self._project.delete_bucket_with_objects(bucket)
            else:
                self.rmdir(bucket)
            return
        if not recursive:
            self.rm_file(path)
            return
        names = self.find(path, maxdepth=maxdepth)
        if not names:
            raise FileNotFoundError(errno.ENOENT, "no such object or prefix", path)
        for name in names:
            self._project.delete_object(*self.split_path(name))

    def mkdir(self, path: str, create_parents: bool = True, **kwargs: Any) -> None:
        """Creates a bucket (``FileExistsError`` if it exists). Below a bucket, directories are implicit."""
        bucket, key = self.split_path(path)
        if not bucket:
            raise FileExistsError(errno.EEXIST, "the root exists", path)
        if not key:
            self._project.create_bucket(bucket)
        elif create_parents:
            self._project.ensure_bucket(bucket)
        else:
            self._project.stat_bucket(bucket)

    def makedirs(self, path: str, exist_ok: bool = False) -> None:
        bucket, key = self.split_path(path)
        if bucket and not key and not exist_ok:
            self._project.create_bucket(bucket)
        elif bucket:
            self._project.ensure_bucket(bucket)

    def rmdir(self, path: str) -> None:
        """Deletes an empty bucket. Prefixes below a bucket vanish with their last object: nothing to do."""
        bucket, key = self.split_path(path)
        if key or not bucket:
            return
        try:
            self._project.delete_bucket(bucket)
        except BucketNotEmptyError as error:
            raise OSError(errno.ENOTEMPTY, f"bucket not empty: {error.details}", path) from error

    def cp_file(self, path1: str, path2: str, **kwargs: Any) -> None:
        """Server-side copy (data and metadata)."""
        bucket1, key1 = self.split_path(path1)
        bucket2, key2 = self.split_path(path2)
        if not key1 or not key2:
            raise IsADirectoryError(errno.EISDIR, "cannot copy a bucket", path1 if not key1 else path2)
        try:
            self._project.copy_object(bucket1, key1, bucket2, key2)
        except ObjectNotFoundError:
            if self.isdir(path1):  # a prefix in a recursive copy: directories are implicit
                return
            raise

    def mv(self, path1: Any, path2: Any, recursive: bool = False, maxdepth: Optional[int] = None,
           **kwargs: Any) -> None:
        """Server-side move for one object; anything else (prefixes, globs, lists) as fsspec's copy + rm."""
        if isinstance(path1, str) and isinstance(path2, str) and not has_magic(path1):
            bucket1, key1 = self.split_path(path1)
            bucket2, key2 = self.split_path(path2)
            if key1 and key2 and self.isfile(path1):
                if self._strip_protocol(path1) == self._strip_protocol(path2):
                    return
                try:
                    self._project.move_object(bucket1, key1, bucket2, key2)
                except StorjException:
                    if not self.isfile(path2):
                        raise
                    self._project.delete_object(bucket2, key2)  # mv replaces an existing object, as on a disk
                    self._project.move_object(bucket1, key1, bucket2, key2)
                self.invalidate_cache()
                return
        super().mv(path1, path2, recursive=recursive, maxdepth=maxdepth, **kwargs)


__all__ = ["StorjFileSystem", "ACCESS_ENV"]
