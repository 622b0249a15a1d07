"""File objects over Storj objects: ``Project.open(bucket, key, "rb" | "wb" | "r" | "w")``.

Reading gives an ``io.BufferedReader`` over ``ObjectReader`` (an ``io.RawIOBase``): ``readinto`` fills the
caller's buffer in place from a download, ``seek`` only moves the position and the next read opens a
ranged download there (or, for a jump of at most 256 KiB ahead, reads past the gap), so random access
costs one download per jump and sequential reads one download in all.

Writing gives an ``io.BufferedWriter`` over ``ObjectWriter``: the bytes stream into one upload and
``close()`` commits it. Used in a ``with`` block that raises, or dropped without ``close()``, the upload
is aborted: no partial object ever appears under the key.

Both work with ``shutil.copyfileobj``, ``zipfile``, ``tarfile`` and ``io.TextIOWrapper`` (modes ``"r"``
and ``"w"`` return one).
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING, Any, Mapping, Optional, Protocol, Union

from .module_classes import CustomMetadata, DownloadOptions, UploadOptions

if TYPE_CHECKING:
    from .download import Download
    from .project import Project
    from .upload import Upload

DEFAULT_BUFFER_SIZE = 1024 * 1024
"""Reads and writes of a file object go to the network in pieces of this size at least (smaller ones are
buffered); ``buffer_size=`` of [`Project.open`][uplink_python.project.Project.open] changes it."""
# A seek this far ahead of the open download reads past the gap instead of opening a new download.
SKIP_FORWARD_LIMIT = 256 * 1024

Metadata = Union[CustomMetadata, Mapping[Any, Any], None]


def to_custom_metadata(metadata: Metadata) -> Optional[CustomMetadata]:
    """``CustomMetadata`` from a ``CustomMetadata``, a dict or None."""
    if metadata is None or isinstance(metadata, CustomMetadata):
        return metadata
    if isinstance(metadata, Mapping):
        return CustomMetadata.from_mapping(dict(metadata))
    raise TypeError(f"custom_metadata must be CustomMetadata or a dict, not {type(metadata).__name__}")


class ObjectReader(io.RawIOBase):
    """Raw, seekable reading of one object. Use ``Project.open(..., "rb")`` for a buffered one."""

    def __init__(self, project: "Project", bucket: str, key: str, size: Optional[int] = None,
                 version: Optional[bytes] = None) -> None:
        super().__init__()
        self._project, self.bucket, self.key = project, bucket, key
        # Only a pinned read names a version (any project-like object without versions works otherwise).
        self._version: dict[str, bytes] = {} if version is None else {"version": version}
        self.name = f"sj://{bucket}/{key}"
        self.mode = "rb"
        # Size and version are fixed when the file is opened; stat also raises ObjectNotFoundError right away.
        self._created: Optional[int] = None
        if size is None:
            system = project.stat_object(bucket, key, **self._version).system
            size, self._created = system.content_length, system.created
        self._size = size
        self._position = 0
        self._download: Optional["Download"] = None
        self._download_position = 0  # where the open download will read next

    @property
    def size(self) -> int:
        """The object's size in bytes."""
        return self._size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        self._checkClosed()
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Moves the position; the next read opens a ranged download there (unless it is where one is)."""
        self._checkClosed()
        if whence == io.SEEK_SET:
            position = offset
        elif whence == io.SEEK_CUR:
            position = self._position + offset
        elif whence == io.SEEK_END:
            position = self._size + offset
        else:
            raise ValueError(f"invalid whence ({whence}, should be 0, 1 or 2)")
        if position < 0:
            raise OSError(22, f"negative seek position {position}")
        self._position = position
        return position

    def readinto(self, buffer: Any) -> int:
        """Fills ``buffer`` in place from the current position; 0 at the end of the object."""
        self._checkClosed()
        view = memoryview(buffer).cast("B")
        wanted = min(len(view), self._size - self._position)
        if wanted <= 0:
            return 0
        download = self._download_at(self._position)
        count = download.readinto(view[:wanted])
        if count == 0:
            raise EOFError(f"{self.name}: the download ended at byte {self._position} of {self._size} "
                           "(was the object replaced?)")
        self._position += count
        self._download_position += count
        return count

    def readall(self) -> bytes:
        """The rest of the object, read by one download straight into the bytes returned (no copy)."""
        self._checkClosed()
        remaining = self._size - self._position
        if remaining <= 0:
            return b""
        data, count = self._download_at(self._position).read(remaining)
        if count < remaining:
            raise EOFError(f"{self.name}: the download ended at byte {self._position + count} of {self._size} "
                           "(was the object replaced?)")
        self._position += count
        self._download_position += count
        return data

    def _download_at(self, position: int) -> "Download":
        if self._download is not None and 0 < position - self._download_position <= SKIP_FORWARD_LIMIT:
            self._skip_to(position)  # a short jump ahead: cheaper to read past than to open a new download
        if self._download is not None and self._download_position != position:
            self._drop_download()
        if self._download is None:
            download = self._project.download_object(self.bucket, self.key, DownloadOptions(position, -1),
                                                     **self._version)
            if self._created is not None and download.info().system.created != self._created:
                download.close()
                raise OSError(f"{self.name} was replaced after it was opened; reopen it to read the new object")
            self._download, self._download_position = download, position
        return self._download

    def _skip_to(self, position: int) -> None:
        assert self._download is not None
        scratch = memoryview(bytearray(min(position - self._download_position, SKIP_FORWARD_LIMIT)))
        while self._download_position < position:
            count = self._download.readinto(scratch[:position - self._download_position])
            if count == 0:
                return  # ended early: the caller reopens at the position
            self._download_position += count

    def _drop_download(self) -> None:
        download, self._download = self._download, None
        if download is not None:
            download.close()

    def close(self) -> None:
        if not self.closed:
            try:
                self._drop_download()
            finally:
                super().close()


class ObjectWriter(io.RawIOBase):
    """Raw writing of one object through one upload: ``close()`` commits, ``abort()`` discards.

    Use ``Project.open(..., "wb")`` for a buffered one.
    """

    def __init__(self, project: "Project", bucket: str, key: str, upload_options: Optional[UploadOptions] = None,
                 custom_metadata: Metadata = None, autocommit: bool = True) -> None:
        super().__init__()
        self.bucket, self.key = bucket, key
        self.name = f"sj://{bucket}/{key}"
        self.mode = "wb"
        self.autocommit = autocommit
        self._metadata = to_custom_metadata(custom_metadata)
        self._upload: "Upload" = project.upload_object(bucket, key, upload_options)
        self._written = 0
        self._aborted = False
        self._pending = False  # closed with autocommit=False: written, waiting for commit() or discard()

    def writable(self) -> bool:
        return True

    def tell(self) -> int:
        """Bytes written so far (zipfile and tarfile ask; the file is not seekable)."""
        self._checkClosed()
        return self._written

    def write(self, data: Any) -> int:
        """Uploads all of ``data`` (any bytes-like object, by address, not copied)."""
        self._checkClosed()
        if self._aborted:  # the buffered layer flushing after an abort: nothing goes anywhere
            return memoryview(data).nbytes
        count = self._upload.write(data)
        self._written += count
        return count

    @property
    def aborted(self) -> bool:
        return self._aborted

    def abort(self) -> None:
        """Discards the upload: nothing appears under the key. Later writes are dropped; close() frees."""
        if (self.closed and not self._pending) or self._aborted:
            return
        self._aborted, self._pending = True, False
        try:
            self._upload.abort()
        finally:
            self._upload.close()

    def __del__(self) -> None:
        # Dropped unclosed or uncommitted (e.g. collected before its buffered wrapper, or a transaction that
        # never ended): abort, never commit by accident.
        try:
            if not self.closed or self._pending:
                self.abort()
                self.close()
        except Exception:  # noqa: BLE001 - nothing to raise to from a finalizer
            pass

    def close(self) -> None:
        """Commits the upload (unless aborted, or ``autocommit`` is off) and frees it. Idempotent.

        With ``autocommit=False`` (an fsspec transaction) the data is all written and the upload stays
        pending until ``commit()`` or ``discard()``.
        """
        if self.closed:
            return
        if not self.autocommit and not self._aborted:
            self._pending = True
            super().close()
            return
        try:
            self._commit_upload()
        finally:
            super().close()

    def commit(self) -> None:
        """Commits an upload closed with ``autocommit=False``: the object appears now."""
        if not self._pending:
            raise ValueError(f"{self.name}: commit() is for a file closed with autocommit=False")
        self._pending = False
        self._commit_upload()

    def discard(self) -> None:
        """Discards an upload closed with ``autocommit=False`` (or still open): the object is not created."""
        self.abort()

    def _commit_upload(self) -> None:
        try:
            if not self._aborted:
                if self._metadata is not None:
                    self._upload.set_custom_metadata(self._metadata)
                self._upload.commit()
        except BaseException:
            self._aborted = True
            raise
        finally:
            self._upload.close()  # aborts an upload whose commit failed


class StorjReader(io.BufferedReader):
    """The buffered, seekable reader ``Project.open(..., "rb")`` returns; ``size`` is the object's size."""

    raw: ObjectReader

    @property
    def size(self) -> int:
        return self.raw.size


class _WriterFile(Protocol):
    """What ``_AbortUnlessClosed`` needs of the file class it is mixed into."""

    @property
    def closed(self) -> bool: ...

    @property
    def name(self) -> Any: ...

    def abort(self) -> None: ...

    def close(self) -> None: ...


class _AbortUnlessClosed:
    """How both writer files end: a ``with`` block that raises aborts the upload, one that ends normally
    closes (commits) it, and a file dropped unclosed is aborted with a ``ResourceWarning``."""

    def __exit__(self: _WriterFile, exc_type: Optional[type], *exc_info: object) -> None:
        if exc_type is not None:
            self.abort()
        else:
            self.close()

    def __del__(self: _WriterFile) -> None:
        try:
            if not self.closed:
                warnings.warn(f"unclosed Storj writer {self.name!r}: the upload is aborted, not committed",
                              ResourceWarning, source=self)
                self.abort()
        except Exception:  # noqa: BLE001 - nothing to raise to from a finalizer
            pass


class StorjWriter(_AbortUnlessClosed, io.BufferedWriter):
    """The buffered writer ``Project.open(..., "wb")`` returns.

    ``close()`` commits. A ``with`` block that raises aborts instead, and so does dropping the file
    unclosed (with a ``ResourceWarning``): a partial object is never committed by accident.
    """

    raw: ObjectWriter

    def abort(self) -> None:
        """Discards everything written; the object is not created. Closes the file."""
        if self.closed:
            return
        try:
            self.raw.abort()
        finally:
            self.close()

    def commit(self) -> None:
        """With ``autocommit=False`` (fsspec transactions): commits the object after ``close()``."""
        self.raw.commit()

    def discard(self) -> None:
        """With ``autocommit=False`` (fsspec transactions): discards the upload instead of committing it."""
        if not self.closed:
            self.abort()
        self.raw.discard()


class StorjTextWriter(_AbortUnlessClosed, io.TextIOWrapper):
    """A text writer over ``StorjWriter``: commits on close, aborts when its ``with`` block raises."""

    buffer: StorjWriter

    def abort(self) -> None:
        if not self.closed:
            self.buffer.abort()


def open_object(project: "Project", bucket: str, key: str, mode: str = "rb", *,
                buffer_size: int = DEFAULT_BUFFER_SIZE, encoding: Optional[str] = None, errors: Optional[str] = None,
                newline: Optional[str] = None, upload_options: Optional[UploadOptions] = None,
                custom_metadata: Metadata = None, autocommit: bool = True, version: Optional[bytes] = None,
                ) -> Union[StorjReader, StorjWriter, io.TextIOWrapper]:
    """Opens an object as a file: ``"rb"``/``"r"`` to read, ``"wb"``/``"w"`` to write (text modes return a
    ``TextIOWrapper``); ``version`` reads that version of the object. See ``Project.open``."""
    if not isinstance(mode, str) or set(mode) - set("rwbt") or len(mode) != len(set(mode)) \
            or ("r" in mode) == ("w" in mode) or ("b" in mode and "t" in mode):
        raise ValueError(f"mode must be 'rb', 'wb', 'r' or 'w', not {mode!r}")
    if buffer_size < 1:
        raise ValueError(f"buffer_size must be >= 1, got {buffer_size}")
    binary = "b" in mode
    if binary and (encoding is not None or errors is not None or newline is not None):
        raise ValueError("binary mode doesn't take an encoding, errors or newline argument")
    if "r" in mode:
        if upload_options is not None or custom_metadata is not None:
            raise ValueError("upload_options and custom_metadata are for writing")
        reader = StorjReader(ObjectReader(project, bucket, key, version=version), buffer_size)
        return reader if binary else io.TextIOWrapper(reader, encoding or "utf-8", errors, newline)
    writer = StorjWriter(ObjectWriter(project, bucket, key, upload_options, custom_metadata, autocommit), buffer_size)
    return writer if binary else StorjTextWriter(writer, encoding or "utf-8", errors, newline)


__all__ = ["ObjectReader", "ObjectWriter", "StorjReader", "StorjWriter", "StorjTextWriter", "open_object",
           "DEFAULT_BUFFER_SIZE", "to_custom_metadata"]
