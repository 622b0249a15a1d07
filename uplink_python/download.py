"""Download: reads an object's data (or a byte range of it)."""

from __future__ import annotations

from typing import Any, BinaryIO, Optional

from . import _args, _convert
from ._buffers import chunk_buffer, pinned
from ._handle import Owned
from ._native import lib
from ._results import consume, consume_count
from .module_classes import Object


class Download(Owned):
    """A download in progress. Reads return 0 bytes only at the end of the object (or range)."""

    _kind = "Download"
    _handle_field = "download"
    _close_fn = "uplink_close_download"
    _free_fn = "uplink_free_download_result"

    def __init__(self, result: Any) -> None:
        super().__init__(result)
        self._eof = False

    def readinto(self, buffer: Any) -> int:
        """Fills ``buffer`` (bytearray, memoryview, ...) in place; returns the count, 0 at the end."""
        with pinned(buffer, "buffer", writable=True) as (address, size):
            with self._call() as handle:
                while size and not self._eof:
                    count, self._eof = consume_count(lib().uplink_download_read(handle, address, size),
                                                     "uplink_free_read_result", "bytes_read")
                    if count:  # a reader may return nothing without EOF; ask again rather than stop early
                        return count
        return 0

    def read(self, size_to_read: int) -> tuple[bytes, int]:
        """Reads up to ``size_to_read`` bytes; returns ``(data, len(data))``, ``(b"", 0)`` at the end."""
        size = _args.integer(size_to_read, "size_to_read")
        buffer = bytearray(size)
        count = self.readinto(buffer)
        del buffer[count:]
        return bytes(buffer), count

    def read_file(self, file_handle: BinaryIO, buffer_size: Optional[int] = None) -> int:
        """Writes the whole object (or range) to ``file_handle`` in constant memory; returns the byte count.

        Does not close the download: ``close()`` it (or use ``with``) afterwards.
        """
        if not hasattr(file_handle, "write"):
            raise TypeError(f"file_handle must be a binary file object, not {type(file_handle).__name__}")
        buffer = chunk_buffer(buffer_size)
        total = 0
        while True:
            count = self.readinto(buffer)
            if not count:
                return total
            chunk = buffer[:count]
            while chunk:  # raw files may write less than asked
                written = file_handle.write(chunk)
                if written is None:  # non-blocking stream could not take it
                    raise OSError("file_handle accepted no data (non-blocking stream?)")
                chunk = chunk[written:]
            total += count

    def info(self) -> Object:
        """The downloaded object's metadata."""
        with self._call() as handle:
            return consume(lib().uplink_download_info(handle), "uplink_free_object_result",
                           lambda r: _convert.object_from_c(r.object.contents))

    def file_size(self) -> int:
        """The whole object's size in bytes."""
        return self.info().system.content_length

    def close(self) -> None:
        """Closes the download. Idempotent; raises if closing failed."""
        self._close_handle()

    def __enter__(self) -> "Download":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
