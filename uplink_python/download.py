"""Download: reads an object's data (or a byte range of it)."""

from __future__ import annotations

import ctypes
from typing import Any, BinaryIO, Optional

from ._c import structs as d
from ._c import args as _args, convert as _convert
from ._c.buffers import chunk_buffer, new_bytes, pinned
from ._copy import copy, write_out
from ._c.handle import Owned
from ._c.native import lib
from ._c.results import consume, consume_count
from ._c.steps import CCall, Steps, run
from .errors import StorjException
from .module_classes import Object


# What read() allocates once the expected bytes are all read but EOF has not come yet: enough to see
# EOF (or, should download_info ever undercount, to keep reading) without trusting a caller's huge n.
_PROBE_SIZE = 64 * 1024


def range_length(size: int, offset: int, length: int) -> int:
    """Bytes a download of a ``size``-byte object delivers for DownloadOptions(offset, length).

    As storj.io/uplink's stream ranges: a negative offset is a suffix, a negative length reads to the end.
    """
    start = max(size + offset, 0) if offset < 0 else min(offset, size)
    end = size if length < 0 else min(start + length, size)
    return end - start


class Download(Owned, kind="Download", handle_field="download",
               free=lambda library: library.uplink_free_download_result,
               close=lambda library: library.uplink_close_download):
    """A download in progress. Reads return 0 bytes only at the end of the object (or range)."""

    @property
    def download(self) -> "ctypes._Pointer[d._UplinkDownload]":
        """Legacy, read-only: the ctypes pointer to the C ``UplinkDownload`` handle struct, as the old
        package exposed it (``.contents._handle``). Raises ``ClosedError`` after close."""
        pointer: "ctypes._Pointer[d._UplinkDownload]" = self._legacy_handle()
        return pointer

    def __init__(self, result: Any, requested_range: tuple[int, int] = (0, -1)) -> None:
        super().__init__(result)
        self._eof = False
        self._range = requested_range  # (offset, length) of the DownloadOptions
        self._expected: Optional[int] = None  # bytes the range holds, from download_info on first read()
        self._delivered = 0
        self._deferred: Optional[BaseException] = None  # an error that came after bytes we returned

    def _fill(self, handle: Any, address: int, size: int) -> Steps[int]:
        """Fills ``size`` bytes at ``address`` with as many library reads as it takes, stopping at EOF
        (steps).

        An error after some bytes were read returns those bytes; the error is raised by the next read.
        """
        if self._deferred is not None:
            error, self._deferred = self._deferred, None
            raise error
        filled = 0
        try:
            while filled < size and not self._eof:  # a read may return a few KiB, or nothing, without EOF
                result = yield CCall(lib().uplink_download_read, handle, address + filled, size - filled)
                count, self._eof = consume_count(result, lib().uplink_free_read_result, "bytes_read")
                filled += count
        except StorjException as error:
            if not filled:
                raise
            self._deferred = error
        self._delivered += filled
        return filled

    def _can_deliver(self) -> int:
        """Bytes this download can still deliver: its range of the object less what was read."""
        if self._eof:
            return 0
        if self._expected is None:
            self._expected = range_length(self.info().system.content_length, *self._range)
        remaining = self._expected - self._delivered
        return remaining if remaining > 0 else _PROBE_SIZE

    def readinto(self, buffer: Any) -> int:
        """Fills ``buffer`` (bytearray, memoryview, ...) in place up to EOF; returns the count, 0 at the end.

        The count is less than the buffer's size only at the end of the object (or range).
        """
        return run(self._readinto_steps(buffer))

    def _readinto_steps(self, buffer: Any) -> Steps[int]:
        with pinned(buffer, "buffer", writable=True) as (address, size):
            with self._call() as handle:
                return (yield from self._fill(handle, address, size))

    def read(self, size_to_read: int) -> tuple[bytes, int]:
        """Reads up to ``size_to_read`` bytes; returns ``(data, len(data))``, ``(b"", 0)`` at the end.

        Fewer bytes come back only at the end of the object (or range). Never allocates more than the
        download can still deliver, so ``read(huge)`` reads the rest of the object.
        """
        return run(self._read_steps(size_to_read))

    def _read_steps(self, size_to_read: int) -> Steps[tuple[bytes, int]]:
        wanted = _args.integer(size_to_read, "size_to_read")
        with self._call() as handle:  # one read is one stretch of the stream, even with other threads
            size = min(wanted, self._can_deliver())
            data, address = new_bytes(size)
            count = yield from self._fill(handle, address, size)
        return (data if count == size else data[:count]), count  # a copy only for a short last read

    def read_file(self, file_handle: BinaryIO, buffer_size: Optional[int] = None) -> int:
        """Writes the whole object (or range) to ``file_handle`` in constant memory; returns the byte count.

        Does not close the download: ``close()`` it (or use ``with``) afterwards.
        """
        if not hasattr(file_handle, "write"):
            raise TypeError(f"file_handle must be a binary file object, not {type(file_handle).__name__}")
        return copy(self.readinto, lambda view: write_out(file_handle, view, "file_handle"), chunk_buffer(buffer_size))

    def info(self) -> Object:
        """The downloaded object's metadata."""
        with self._call() as handle:
            return consume(lib().uplink_download_info(handle), lib().uplink_free_object_result,
                           lambda r: _convert.object_from_c(r.object.contents))

    def file_size(self) -> int:
        """The whole object's size in bytes."""
        return self.info().system.content_length



__all__ = ["Download", "range_length"]
