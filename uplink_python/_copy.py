"""The one copy loop: bytes from a source into a sink through one reused buffer, without copies.

``Upload.write_file``, ``Download.read_file`` and every transfer of ``uplink_python.transfer`` (whole
files, parts, ranges) move their bytes with ``copy``; ``read_into`` and ``write_out`` are the one way
a Python file object is read from and written to.
"""

from __future__ import annotations

import threading
from typing import Any, BinaryIO, Callable, Optional

# Reads into the view and returns the count (0 only at the end); writes the whole view.
Reader = Callable[[memoryview], int]
Writer = Callable[[memoryview], Any]


class TransferStopped(Exception):
    """A part or range was not started or finished because another one failed (or the caller gave up)."""


def read_into(file: BinaryIO, view: memoryview, name: str = "the source") -> int:
    """One read of a binary file object into ``view``; 0 only at the end of the stream."""
    if hasattr(file, "readinto"):
        count = file.readinto(view)
        if count is None:
            raise OSError(f"{name} had no data ready (non-blocking stream?)")
        return int(count)
    data = file.read(len(view))
    if data is None:
        raise OSError(f"{name} had no data ready (non-blocking stream?)")
    if isinstance(data, str):
        raise TypeError(f"{name} must be opened in binary mode ('rb' or 'r+b')")
    view[:len(data)] = data
    return len(data)


def write_out(file: BinaryIO, view: memoryview, name: str = "the target") -> None:
    """Writes all of ``view`` to a binary file object (raw files may take less than asked at a time)."""
    while len(view):
        written = file.write(view)
        if written is None:
            raise OSError(f"{name} accepted no data (non-blocking stream?)")
        view = view[written:]


def copy(read: Reader, write: Writer, buffer: memoryview, length: Optional[int] = None, *,
         progress: Optional[Callable[[int], None]] = None, stop: Optional[threading.Event] = None,
         ended_early: Callable[[int], str] = lambda done: f"the source ended after {done} bytes") -> int:
    """Copies until the source ends, or exactly ``length`` bytes; returns the count.

    ``buffer`` is reused for every chunk. A source that ends before ``length`` raises ``EOFError`` with
    ``ended_early(count)``; a set ``stop`` raises ``TransferStopped`` between chunks.
    """
    done = 0
    while length is None or done < length:
        if stop is not None and stop.is_set():
            raise TransferStopped()
        piece = buffer if length is None else buffer[:min(len(buffer), length - done)]
        count = read(piece)
        if count == 0:
            if length is not None:
                raise EOFError(ended_early(done))
            break
        write(piece[:count])
        done += count
        if progress is not None:
            progress(count)
    return done


__all__ = ["Reader", "TransferStopped", "Writer", "copy", "read_into", "write_out"]
