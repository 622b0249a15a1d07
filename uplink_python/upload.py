"""Upload: writes an object's data, then commits (or aborts) it."""

from __future__ import annotations

import ctypes
from types import TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, Optional, TypeVar

from ._c import structs as d
from ._c import convert as _convert
from ._c.buffers import chunk_buffer, pinned_prefix
from ._copy import copy, read_into
from ._c.handle import FunctionOf, Owned, declare_functions
from ._c.native import lib
from ._c.results import check, write_all
from ._c.steps import CCall, Steps, run
from .errors import UploadDoneError
from .module_classes import CustomMetadata, Object

if TYPE_CHECKING:
    from ._c.capi import Library


_W = TypeVar("_W", bound="Writer")
# How a kind of upload finds its write function: (handle, address, length) -> the write result.
_WriteOf = Callable[["Library"], Callable[[Any, int, int], Any]]


class Writer(Owned):
    """What an upload and a part upload share: zero-copy writes, then one commit or abort.

    Used in a ``with`` block it commits when the block ends normally and aborts on an exception.
    Dropped or closed without commit, it is aborted.
    """

    # The write, commit and abort functions of the kind of upload (looked up at each use, like close).
    _write_function: _WriteOf
    _commit_function: FunctionOf
    _abort_function: FunctionOf

    def __init_subclass__(cls, *, kind: str = "", handle_field: str = "", free: Optional[FunctionOf] = None,
                          write: Optional[_WriteOf] = None, commit: Optional[FunctionOf] = None,
                          abort: Optional[FunctionOf] = None) -> None:
        """``Owned``'s keywords (named again so that mypy checks them; an upload has no close function) and
        the write, commit and abort functions of the kind of upload."""
        super().__init_subclass__(kind=kind, handle_field=handle_field, free=free)
        declare_functions(cls, write=write, commit=commit, abort=abort)

    def __init__(self, result: Any) -> None:
        super().__init__(result)
        self._done = False  # committed or aborted

    def _write(self, data: Any, size: Optional[int], data_name: str, size_name: str) -> int:
        return run(self._write_steps(data, size, data_name, size_name))

    def _write_steps(self, data: Any, size: Optional[int], data_name: str, size_name: str) -> Steps[int]:
        with pinned_prefix(data, size, data_name, size_name) as (address, count):
            with self._call() as handle:
                self._refuse_when_done("write")
                return (yield from write_all(self._write_function(lib()), handle, address, count))

    def _refuse_when_done(self, what: str) -> None:
        # The library answers a write after commit/abort with a generic internal error: say what it is.
        if self._done:
            raise UploadDoneError(details=f"{what}() after the upload was committed or aborted")

    def _finish(self, function: FunctionOf) -> None:
        run(self._finish_steps(function))

    def _finish_steps(self, function: FunctionOf) -> Steps[None]:
        with self._call() as handle:
            try:
                check((yield CCall(function(lib()), handle)))
            except UploadDoneError:
                self._done = True  # the library says it is over, whatever we thought
                raise
            self._done = True

    def commit(self) -> None:
        """Makes what was written count. Raises ``UploadDoneError`` if already committed or aborted."""
        self._finish(self._commit_function)

    def abort(self) -> None:
        """Discards what was written. Raises ``UploadDoneError`` if already committed or aborted."""
        self._finish(self._abort_function)

    def __exit__(self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException],
                 traceback: Optional[TracebackType]) -> None:
        try:
            if not self._done and not self.closed:
                if exc_type is None:
                    self.commit()
                else:
                    self.abort()
        finally:
            self.close()


class Upload(Writer, kind="Upload", handle_field="upload", free=lambda library: library.uplink_free_upload_result,
             write=lambda library: library.uplink_upload_write, commit=lambda library: library.uplink_upload_commit,
             abort=lambda library: library.uplink_upload_abort):
    """An upload in progress. Nothing is visible until ``commit()``.

    Used in a ``with`` block it commits when the block ends normally and aborts on an exception.
    Dropped or closed without commit, it is aborted.
    """

    @property
    def upload(self) -> "ctypes._Pointer[d._UplinkUpload]":
        """Legacy, read-only: the ctypes pointer to the C ``UplinkUpload`` handle struct, as the old
        package exposed it (``.contents._handle``). Raises ``ClosedError`` after close."""
        pointer: "ctypes._Pointer[d._UplinkUpload]" = self._legacy_handle()
        return pointer

    def write(self, data_to_write: Any, size_to_write: Optional[int] = None) -> int:
        """Uploads the first ``size_to_write`` bytes of ``data_to_write`` (all of it by default).

        Any bytes-like object is passed to C by address, without copying. A short write is continued
        until every byte is written; returns the number of bytes written. Raises ``UploadDoneError``
        after ``commit()`` or ``abort()``, as they do.
        """
        return self._write(data_to_write, size_to_write, "data_to_write", "size_to_write")

    def write_file(self, file_handle: BinaryIO, buffer_size: Optional[int] = None) -> int:
        """Uploads everything ``file_handle`` yields from its current position, in constant memory.

        Does not commit: call ``commit()`` afterwards. Returns the number of bytes uploaded.
        """
        if not hasattr(file_handle, "read"):
            raise TypeError(f"file_handle must be a binary file object, not {type(file_handle).__name__}")
        return copy(lambda view: read_into(file_handle, view, "file_handle"), self.write, chunk_buffer(buffer_size))

    def set_custom_metadata(self, custom_metadata: Optional[CustomMetadata] = None) -> None:
        """Sets the object's custom metadata (before commit).

        Keys and values must be UTF-8 without NUL and keys non-empty (storj.io/uplink refuses anything
        else); ``InvalidCustomMetadataError``, a ``ValueError``, names the offending key before C is called.
        """
        metadata_c = _convert.custom_metadata_to_c(custom_metadata if custom_metadata is not None else CustomMetadata())
        with self._call() as handle:
            check(lib().uplink_upload_set_custom_metadata(handle, metadata_c))

    def info(self) -> Object:
        """The object as it stands after the last write (or after commit, with the ``version`` written)."""
        from . import versioning

        return versioning.upload_info(self)



class ConditionalUpload(Upload, commit=lambda library: library.upy_upload_commit):
    """An upload started through our ``upy_`` extensions (Object Lock settings, If-None-Match): its commit
    reports a refused If-None-Match as ``PreconditionFailedError``."""


__all__ = ["Upload", "Writer", "ConditionalUpload"]
