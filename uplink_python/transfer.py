"""File transfers: ``Project.upload_file`` and ``Project.download_file``, with progress and parallelism.

Uploads larger than ``multipart_threshold`` go up as a multipart upload whose parts (``part_size``
bytes each) are uploaded by ``parallelism`` threads; if anything fails or the caller is interrupted
(``KeyboardInterrupt`` included) the multipart upload is aborted, so nothing stays pending. Smaller ones
are one upload, aborted on failure.

Downloads larger than ``multipart_threshold`` are fetched as ranged downloads of ``part_size`` bytes by
``parallelism`` threads, each writing its range in place (``os.pwrite``). A download to a path goes to a
temporary file beside the target and is renamed over it only when complete: a failed download never
leaves a half-written file under the target name.

Bytes never pass through a Python loop: file data is read into one reusable buffer per thread
(``os.preadv``/``readinto``) and handed to C by address; downloads fill buffers in place.

The progress callback gets ``(bytes so far, total)``; calls are serialized and the count never goes
down; the last call has ``bytes so far == total``. ``total`` is None for a stream of unknown size.
"""

from __future__ import annotations

import io
import os
import stat
import tempfile
import threading
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, Iterator, Optional, Union

from ._copy import TransferStopped, copy, read_into, write_out
from .fileobj import Metadata, to_custom_metadata
from .module_classes import CommitUploadOptions, CustomMetadata, DownloadOptions, Object, UploadOptions

if TYPE_CHECKING:
    from .project import Project

MiB = 1024 * 1024
DEFAULT_PART_SIZE = 64 * MiB
"""The default ``part_size``, and so the multipart threshold: Storj cuts objects into 64 MiB segments, and a
part of one segment size uses the network best."""
DEFAULT_PARALLELISM = 4
"""The default ``parallelism``: how many parts (or ranges) move at once, each in a thread of its own."""
# Storj satellites refuse to commit a multipart upload whose parts (but the last) are smaller than this.
MIN_PART_SIZE = 5 * MiB
CHUNK_SIZE = 4 * MiB
"""The buffer each thread streams through (per part upload or ranged download)."""

PathOrFile = Union[str, os.PathLike[str], BinaryIO]
"""A local file: a path, or a binary file object (read from, or written to, at its current position)."""
ProgressCallback = Callable[[int, Optional[int]], Any]
"""``progress(done, total)``: bytes moved so far and the total (``None`` for a stream of unknown size)."""


class _Progress:
    """Counts transferred bytes from any thread and calls the callback, serialized, with the running total."""

    def __init__(self, callback: Optional[ProgressCallback], total: Optional[int]) -> None:
        if callback is not None and not callable(callback):
            raise TypeError(f"progress must be callable, not {type(callback).__name__}")
        self._callback, self._total, self._done = callback, total, 0
        self._lock = threading.Lock()
        if callback is not None:
            callback(0, total)

    def add(self, count: int) -> None:
        if self._callback is None or count == 0:
            return
        with self._lock:
            self._done += count
            self._callback(self._done, self._total)


def _check_sizes(part_size: int, parallelism: int, multipart_threshold: Optional[int]) -> int:
    for name, value in (("part_size", part_size), ("parallelism", parallelism)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be an int >= 1, got {value!r}")
    threshold = part_size if multipart_threshold is None else multipart_threshold
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
        raise ValueError(f"multipart_threshold must be an int >= 0, got {threshold!r}")
    return threshold


# sources


@dataclass
class _Source:
    file: BinaryIO
    fd: Optional[int]  # a regular file's descriptor: parts are read with pread, in parallel
    start: int  # offset of the first byte to upload
    size: Optional[int]  # bytes to upload; None for a stream of unknown length


def _read_full(file: BinaryIO, view: memoryview) -> int:
    """Fills ``view`` unless the stream ends first; returns the count."""
    filled = 0
    while filled < len(view):
        count = read_into(file, view[filled:])
        if count == 0:
            break
        filled += count
    return filled


def _source_reader(file: Optional[BinaryIO], fd: Optional[int], offset: int) -> Callable[[memoryview], int]:
    """Reads of a source: with pread from a regular file's descriptor at advancing offsets (parts read in
    parallel), or sequentially from a file object."""
    if fd is None:
        assert file is not None
        return lambda view: read_into(file, view)
    position = offset

    def read(view: memoryview) -> int:
        nonlocal position
        if hasattr(os, "preadv"):
            count = os.preadv(fd, [view], position)
        else:
            data = os.pread(fd, len(view), position)  # one copy where preadv is missing
            view[:len(data)] = data
            count = len(data)
        position += count
        return count
    return read


@contextmanager
def _open_source(source: PathOrFile) -> Iterator[_Source]:
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb", buffering=0) as file:
            info = os.fstat(file.fileno())
            regular = stat.S_ISREG(info.st_mode)
            yield _Source(file, file.fileno() if regular else None, 0, info.st_size if regular else None)
        return
    if isinstance(source, io.TextIOBase) or not (hasattr(source, "readinto") or hasattr(source, "read")):
        raise TypeError(f"source must be a path or a binary file object, not {type(source).__name__}")
    fd: Optional[int] = None
    start, size = 0, None
    seekable = getattr(source, "seekable", lambda: False)()
    if seekable:
        start = source.tell()
        try:
            fd = source.fileno()
            info = os.fstat(fd)
            if stat.S_ISREG(info.st_mode):
                size = max(info.st_size - start, 0)
            else:
                fd = None
        except (AttributeError, OSError, io.UnsupportedOperation):
            fd = None
        if size is None:
            size = source.seek(0, io.SEEK_END) - start
            source.seek(start)
    yield _Source(source, fd, start, size)
    if fd is not None and size is not None:
        source.seek(start + size)  # as if read sequentially


# uploads


def upload_file(project: "Project", source: PathOrFile, bucket: str, key: str, *,
                custom_metadata: Metadata = None, upload_options: Optional[UploadOptions] = None,
                progress: Optional[ProgressCallback] = None, part_size: int = DEFAULT_PART_SIZE,
                parallelism: int = DEFAULT_PARALLELISM, multipart_threshold: Optional[int] = None) -> Object:
    """Uploads a file (path or binary file object, from its current position) to ``bucket``/``key``.

    See ``Project.upload_file``. Returns the committed object.
    """
    threshold = _check_sizes(part_size, parallelism, multipart_threshold)
    if part_size < MIN_PART_SIZE:
        raise ValueError(f"part_size must be at least {MIN_PART_SIZE} bytes (the satellite's minimum part size), "
                         f"got {part_size}")
    metadata = to_custom_metadata(custom_metadata)
    with _open_source(source) as src:
        meter = _Progress(progress, src.size)
        if src.size is not None and src.size <= threshold:
            return _upload_single(project, bucket, key, src, meter, upload_options, metadata, None)
        if src.size is None:  # unknown length: a short stream is one plain upload after all
            first = memoryview(bytearray(part_size))
            count = _read_full(src.file, first)
            if count < len(first):  # the stream ended within the first part
                return _upload_single(project, bucket, key, src, meter, upload_options, metadata, first[:count])
            return _upload_multipart(project, bucket, key, src, meter, upload_options, metadata, part_size,
                                     parallelism, first[:count])
        return _upload_multipart(project, bucket, key, src, meter, upload_options, metadata, part_size,
                                 parallelism, None)


def _upload_single(project: "Project", bucket: str, key: str, src: _Source, meter: _Progress,
                   upload_options: Optional[UploadOptions], metadata: Optional[CustomMetadata],
                   already_read: Optional[memoryview]) -> Object:
    with project.upload_object(bucket, key, upload_options) as upload:  # aborts on any exception
        if already_read is not None:
            upload.write(already_read)
            meter.add(len(already_read))
        else:
            view = memoryview(bytearray(min(CHUNK_SIZE, max(src.size or CHUNK_SIZE, 1))))
            copy(_source_reader(src.file, src.fd, src.start), upload.write, view, src.size, progress=meter.add,
                 ended_early=lambda done: f"the source ended {(src.size or 0) - done} bytes before its size")
        if metadata is not None:
            upload.set_custom_metadata(metadata)
        upload.commit()
        return upload.info()


def _upload_part(project: "Project", bucket: str, key: str, upload_id: str, number: int, meter: _Progress,
                 stop: threading.Event, data: Optional[memoryview] = None, fd: Optional[int] = None,
                 offset: int = 0, length: int = 0) -> None:
    """Uploads one part: from ``data`` in memory, or ``length`` bytes of ``fd`` at ``offset``."""
    if stop.is_set():
        raise TransferStopped()
    with project.upload_part(bucket, key, upload_id, number) as part:  # aborts the part on exception
        if data is not None:
            for start in range(0, len(data), CHUNK_SIZE):  # chunked only to check `stop` and report progress
                if stop.is_set():
                    raise TransferStopped()
                piece = data[start:start + CHUNK_SIZE]
                part.write(piece)
                meter.add(len(piece))
            return
        assert fd is not None
        copy(_source_reader(None, fd, offset), part.write, memoryview(bytearray(min(CHUNK_SIZE, length))), length,
             progress=meter.add, stop=stop,
             ended_early=lambda done: f"the source ended at byte {offset + done}, before its size")


def _upload_multipart(project: "Project", bucket: str, key: str, src: _Source, meter: _Progress,
                      upload_options: Optional[UploadOptions], metadata: Optional[CustomMetadata],
                      part_size: int, parallelism: int, first: Optional[memoryview]) -> Object:
    upload_id = project.begin_upload(bucket, key, upload_options).upload_id
    stop = threading.Event()
    pool = ThreadPoolExecutor(max_workers=parallelism, thread_name_prefix="uplink-upload-part")
    futures: list[Future[None]] = []
    try:
        if src.fd is not None and src.size is not None:
            for number, offset in enumerate(range(0, src.size, part_size), start=1):
                futures.append(pool.submit(_upload_part, project, bucket, key, upload_id, number, meter, stop,
                                           fd=src.fd, offset=src.start + offset,
                                           length=min(part_size, src.size - offset)))
        else:
            _submit_stream_parts(pool, futures, project, bucket, key, upload_id, src, meter, stop, part_size,
                                 parallelism, first)
        done, _ = wait(futures, return_when=FIRST_EXCEPTION)
        for future in done:
            future.result()  # the first failure, if any
        for future in futures:
            future.result()
        pool.shutdown()
        return project.commit_upload(bucket, key, upload_id,
                                     CommitUploadOptions(metadata) if metadata is not None else None)
    except BaseException:
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
        try:
            project.abort_upload(bucket, key, upload_id)
        except Exception:  # noqa: BLE001 - the original failure is what the caller needs
            pass
        raise


def _submit_stream_parts(pool: ThreadPoolExecutor, futures: list[Future[None]], project: "Project", bucket: str,
                         key: str, upload_id: str, src: _Source, meter: _Progress, stop: threading.Event,
                         part_size: int, parallelism: int, first: Optional[memoryview]) -> None:
    """Reads a stream part by part into memory (at most ``parallelism`` + 1 parts at once) and submits them."""
    slots = threading.Semaphore(parallelism)
    number = 0
    remaining = src.size
    while not stop.is_set():
        if first is not None:
            view, first = first, None
            count = len(view)
        else:
            view = memoryview(bytearray(part_size if remaining is None else min(part_size, remaining)))
            count = _read_full(src.file, view)
        if count == 0:
            break
        number += 1
        while not slots.acquire(timeout=0.1):  # wait for a free slot, but notice a failed part
            if any(f.done() and f.exception() is not None for f in futures):
                return
        future = pool.submit(_upload_part, project, bucket, key, upload_id, number, meter, stop, data=view[:count])
        future.add_done_callback(lambda _: slots.release())
        futures.append(future)
        if remaining is not None:
            remaining -= count
            if remaining == 0:
                break
        if count < len(view):
            break


# downloads


def _file_mode(target: Path) -> int:
    """The mode the target will have: the existing file's, else what ``open()`` would give under the umask."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        pass
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _target_writer(file: Optional[BinaryIO], fd: Optional[int], offset: int) -> Callable[[memoryview], None]:
    """Writes of a range: at their own offsets into a regular file's descriptor (ranges in parallel), or
    appended to a file object."""
    if fd is None:
        assert file is not None
        return lambda view: write_out(file, view)
    position = offset

    def write(view: memoryview) -> None:
        nonlocal position
        while len(view):
            written = os.pwrite(fd, view, position)
            view, position = view[written:], position + written
    return write


def _download_range(project: "Project", bucket: str, key: str, created: int, offset: int, length: int,
                    meter: _Progress, stop: threading.Event, fd: Optional[int] = None,
                    file: Optional[BinaryIO] = None) -> None:
    """Downloads ``length`` bytes at ``offset`` into ``fd`` at the same offset (or appends them to ``file``)."""
    if stop.is_set():
        raise TransferStopped()
    if length == 0:
        return
    with project.download_object(bucket, key, DownloadOptions(offset, length)) as download:
        if download.info().system.created != created:
            raise RuntimeError(f"sj://{bucket}/{key} was replaced during the download")
        copy(download.readinto, _target_writer(file, fd, offset), memoryview(bytearray(max(min(CHUNK_SIZE, length), 1))),
             length, progress=meter.add, stop=stop,
             ended_early=lambda done: f"sj://{bucket}/{key} ended at byte {offset + done} of {offset + length}")


def download_file(project: "Project", bucket: str, key: str, target: PathOrFile, *,
                  progress: Optional[ProgressCallback] = None, part_size: int = DEFAULT_PART_SIZE,
                  parallelism: int = DEFAULT_PARALLELISM, multipart_threshold: Optional[int] = None) -> Object:
    """Downloads ``bucket``/``key`` to a path (atomically, via a temporary file) or a binary file object.

    See ``Project.download_file``. Returns the object's metadata.
    """
    threshold = _check_sizes(part_size, parallelism, multipart_threshold)
    if not isinstance(target, (str, os.PathLike)):
        if isinstance(target, io.TextIOBase) or not hasattr(target, "write"):
            raise TypeError(f"target must be a path or a binary file object, not {type(target).__name__}")
    obj = project.stat_object(bucket, key)
    size = obj.system.content_length
    meter = _Progress(progress, size)
    if not isinstance(target, (str, os.PathLike)):  # a stream is written in order, by one download
        _download_range(project, bucket, key, obj.system.created, 0, size, meter, threading.Event(),
                        file=target)
        return obj
    path = Path(os.fspath(target))
    mode = _file_mode(path)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".storj-download")
    try:
        try:
            ranges = [(offset, min(part_size, size - offset)) for offset in range(0, size, part_size)] \
                if size > threshold else [(0, size)]
            _download_ranges(project, bucket, key, obj.system.created, ranges, meter, fd, parallelism)
            os.fchmod(fd, mode)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    return obj


def _download_ranges(project: "Project", bucket: str, key: str, created: int, ranges: list[tuple[int, int]],
                     meter: _Progress, fd: int, parallelism: int) -> None:
    stop = threading.Event()
    if len(ranges) == 1 or parallelism == 1:
        for offset, length in ranges:
            _download_range(project, bucket, key, created, offset, length, meter, stop, fd=fd)
        return
    pool = ThreadPoolExecutor(max_workers=parallelism, thread_name_prefix="uplink-download-range")
    try:
        futures = [pool.submit(_download_range, project, bucket, key, created, offset, length, meter, stop, fd=fd)
                   for offset, length in ranges]
        done, _ = wait(futures, return_when=FIRST_EXCEPTION)
        for future in done:
            future.result()
        for future in futures:
            future.result()
    except BaseException:
        stop.set()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


__all__ = ["upload_file", "download_file", "DEFAULT_PART_SIZE", "DEFAULT_PARALLELISM", "CHUNK_SIZE",
           "ProgressCallback", "PathOrFile"]
