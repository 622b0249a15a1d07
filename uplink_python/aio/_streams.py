"""Async uploads, part uploads and downloads: the sync objects' calls, run off the event loop.

Any of their calls that is cancelled closes the object once the call in flight has returned: an
upload (or part upload) is aborted, a download closed.
"""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType
from typing import Any, BinaryIO, Callable, Optional, TypeVar, Union

from ..download import Download
from ..module_classes import CustomMetadata, Object, Part
from ..multipart import PartUpload
from ..upload import Upload
from .._c.steps import Steps
from ._base import SyncWrapper
from ._native import Completions, drive
from ._runner import CallRunner, uninterruptible

T = TypeVar("T")
_S = TypeVar("_S", bound=Union[Upload, PartUpload, Download])
_W = TypeVar("_W", bound=Union[Upload, PartUpload])


class Interrupted(Exception):
    """Raised inside a sync call, at its next chunk, when the task that awaited it was cancelled."""


class _StopReading:
    """A source file whose reads raise ``Interrupted`` once ``stop`` is set."""

    def __init__(self, file: Any, stop: threading.Event) -> None:
        self._file, self._stop = file, stop

    def read(self, size: int = -1) -> Any:
        if self._stop.is_set():
            raise Interrupted()
        return self._file.read(size)


class _StopReadingInto(_StopReading):
    def readinto(self, buffer: Any) -> Any:
        if self._stop.is_set():
            raise Interrupted()
        return self._file.readinto(buffer)


class _StopWriting:
    """A target file whose writes raise ``Interrupted`` once ``stop`` is set."""

    def __init__(self, file: Any, stop: threading.Event) -> None:
        self._file, self._stop = file, stop

    def write(self, data: Any) -> Any:
        if self._stop.is_set():
            raise Interrupted()
        return self._file.write(data)


class _Stream(SyncWrapper[_S]):
    """An async face of one sync upload, part upload or download.

    Its calls take turns (as the sync object's do), and each takes one of its project's ``slots`` while it
    runs, so the project's calls in flight stay within its ``max_concurrency``. A call written as steps is
    driven from the loop (``_native.drive``); the others run in the runner's threads.
    """

    def __init__(self, sync: _S, runner: CallRunner, completions: Optional[Completions] = None,
                 slots: Optional[asyncio.Semaphore] = None) -> None:
        super().__init__(sync, runner)
        self._completions = completions
        self._turn = asyncio.Lock()
        self._slots = slots if slots is not None else asyncio.Semaphore(1)  # alone: its calls take turns anyway

    async def _run(self, function: Callable[..., T], *args: Any, interrupt: Optional[Callable[[], None]] = None) -> T:
        # A cancelled call closes the stream: an upload cancelled part-way is aborted, not left pending.
        async with self._turn, self._slots:
            return await self._runner.call(function, *args, interrupt=interrupt, undo=self._sync.close)

    async def _drive(self, steps: Steps[T]) -> T:
        async with self._turn, self._slots:
            try:
                return await drive(steps, self._completions, self._runner)
            except asyncio.CancelledError:
                await uninterruptible(self._runner.call(self._sync.close))  # as _run's undo
                raise

    async def close(self) -> None:
        """Closes the object in a thread (an uncommitted upload is aborted). Idempotent."""
        await self._run(self._sync.close)


class _AsyncWriter(_Stream[_W]):
    """What an async upload and an async part upload share: writes, then one commit or abort."""

    async def commit(self) -> None:
        """Makes what was written count. Raises ``UploadDoneError`` if already committed or aborted."""
        await self._drive(self._sync._finish_steps(self._sync._commit_function))

    async def abort(self) -> None:
        """Discards what was written. Raises ``UploadDoneError`` if already committed or aborted."""
        await self._drive(self._sync._finish_steps(self._sync._abort_function))

    async def close(self) -> None:
        """Closes the upload, aborting it unless it was committed or aborted. Idempotent."""
        if self._sync._done:  # only a free is left, which does not block: no thread needed
            async with self._turn:
                self._sync.close()
        else:
            await super().close()

    async def __aexit__(self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException],
                        traceback: Optional[TracebackType]) -> None:
        """Commits when the block ends normally, aborts when it raises (cancellation included); closes."""
        try:
            if not self._sync._done and not self._sync.closed:
                await (self.commit() if exc_type is None else self.abort())
        finally:
            await self.close()


class AsyncUpload(_AsyncWriter[Upload]):
    """An upload in progress (``AsyncProject.upload_object``); nothing is visible until ``commit()``.

    In ``async with`` it commits when the block ends normally and aborts when it raises or the task is
    cancelled. A cancelled call (``write``, ``commit``...) aborts and closes the upload.
    """

    async def write(self, data_to_write: Any, size_to_write: Optional[int] = None) -> int:
        """Uploads the first ``size_to_write`` bytes of ``data_to_write`` (all of it by default).

        The buffer is handed to C by address, without copying: do not change it until the call returns.
        Returns the number of bytes written.
        """
        return await self._drive(self._sync._write_steps(data_to_write, size_to_write, "data_to_write", "size_to_write"))

    async def write_file(self, file_handle: BinaryIO, buffer_size: Optional[int] = None) -> int:
        """Uploads everything ``file_handle`` yields from its position (read in a thread); does not commit.

        Cancelled, it stops at the next chunk and the upload is aborted. Returns the bytes uploaded.
        """
        if not hasattr(file_handle, "read"):
            raise TypeError(f"file_handle must be a binary file object, not {type(file_handle).__name__}")
        stop = threading.Event()
        kind = _StopReadingInto if hasattr(file_handle, "readinto") else _StopReading
        source: Any = kind(file_handle, stop)
        return await self._run(self._sync.write_file, source, buffer_size, interrupt=stop.set)

    async def set_custom_metadata(self, custom_metadata: Optional[CustomMetadata] = None) -> None:
        """Sets the object's custom metadata (before commit)."""
        await self._run(self._sync.set_custom_metadata, custom_metadata)

    async def info(self) -> Object:
        """The object as it stands after the last write (or after commit)."""
        return await self._run(self._sync.info)


class AsyncPartUpload(_AsyncWriter[PartUpload]):
    """The upload of one part of a multipart upload (``AsyncProject.upload_part``).

    In ``async with`` it commits when the block ends normally and aborts when it raises or the task is
    cancelled. A cancelled call aborts and closes the part upload.
    """

    async def write(self, data: Any, size: Optional[int] = None) -> int:
        """Uploads the first ``size`` bytes of ``data`` (all of it by default), without copying: do not
        change the buffer until the call returns. Returns the number of bytes written."""
        return await self._drive(self._sync._write_steps(data, size, "data", "size"))

    async def set_etag(self, etag: Union[str, bytes]) -> None:
        """Stores an ETag with the part, before ``commit()``."""
        await self._run(self._sync.set_etag, etag)

    async def info(self) -> Part:
        """The part as uploaded so far (number, size, ETag)."""
        return await self._run(self._sync.info)


class AsyncDownload(_Stream[Download]):
    """A download in progress (``AsyncProject.download_object``); ``async with`` closes it.

    A cancelled call closes the download.
    """

    async def readinto(self, buffer: Any) -> int:
        """Fills ``buffer`` in place up to the end of the object; returns the count, 0 at the end.

        Do not use the buffer until the call returns.
        """
        return await self._drive(self._sync._readinto_steps(buffer))

    async def read(self, size_to_read: int) -> tuple[bytes, int]:
        """Reads up to ``size_to_read`` bytes; returns ``(data, len(data))``, ``(b"", 0)`` at the end."""
        return await self._drive(self._sync._read_steps(size_to_read))

    async def read_file(self, file_handle: BinaryIO, buffer_size: Optional[int] = None) -> int:
        """Writes the whole object (or range) to ``file_handle`` (in a thread); returns the byte count.

        Cancelled, it stops at the next chunk and the download is closed.
        """
        if not hasattr(file_handle, "write"):
            raise TypeError(f"file_handle must be a binary file object, not {type(file_handle).__name__}")
        stop = threading.Event()
        target: Any = _StopWriting(file_handle, stop)
        return await self._run(self._sync.read_file, target, buffer_size, interrupt=stop.set)

    async def close(self) -> None:
        """Closes the download. Idempotent."""
        await self._drive(self._sync._close_steps())

    async def info(self) -> Object:
        """The downloaded object's metadata."""
        return await self._run(self._sync.info)

    async def file_size(self) -> int:
        """The whole object's size in bytes."""
        return await self._run(self._sync.file_size)


__all__ = ["AsyncUpload", "AsyncPartUpload", "AsyncDownload", "Interrupted"]
