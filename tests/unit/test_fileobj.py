"""File objects (Project.open) over an in-memory stand-in for Project, and that stand-in itself.

``MemoryProject`` answers the Project calls fileobj, transfer and fs make, with the same exceptions,
short reads (like the network's) and failure injection, so their logic is tested without libuplinkc.
"""

from __future__ import annotations

import gc
import hashlib
import io
import itertools
import shutil
import tarfile
import threading
import time
import uuid
import warnings
import zipfile
from typing import Any, Callable, Iterator, Optional

import pytest

from uplink_python.errors import (
    BucketAlreadyExistError, BucketNotEmptyError, BucketNotFoundError, InternalError, ObjectNotFoundError,
    UploadDoneError,
)
from uplink_python.fileobj import ObjectReader, StorjReader, StorjWriter, open_object
from uplink_python.module_classes import (
    Bucket, CommitUploadOptions, CustomMetadata, DownloadOptions, ListBucketsOptions, ListObjectsOptions, Object,
    SystemMetadata, UploadInfo, UploadOptions,
)


class _Stored:
    def __init__(self, data: bytes, metadata: Optional[CustomMetadata], created: int) -> None:
        self.data, self.metadata, self.created = data, metadata or CustomMetadata(), created


class MemoryDownload:
    def __init__(self, project: "MemoryProject", key: str, stored: _Stored, offset: int, length: int) -> None:
        self.project, self.key, self.stored = project, key, stored
        size = len(stored.data)
        start = max(size + offset, 0) if offset < 0 else min(offset, size)
        end = size if length < 0 else min(start + length, size)
        self.view = memoryview(stored.data)[start:end]
        self.start = start
        self.position = 0
        self.closed = False
        project.open_downloads.add(self)

    def readinto(self, buffer: Any) -> int:
        if self.closed:
            raise ValueError("download closed")
        failing = self.project.fail_download_at
        if failing is not None and self.start + self.position >= failing:
            raise InternalError(None, None, "injected download failure")
        view = memoryview(buffer).cast("B")
        count = min(len(view), len(self.view) - self.position, self.project.read_chunk)
        view[:count] = self.view[self.position:self.position + count]
        self.position += count
        return count

    def read(self, size: int) -> tuple[bytes, int]:
        """As Download.read: fewer bytes only at the end of the range (however short the network's reads)."""
        wanted = min(size, len(self.view) - self.position)
        buffer = bytearray(wanted)
        view = memoryview(buffer)
        filled = 0
        while filled < wanted:
            filled += self.readinto(view[filled:])
        return bytes(buffer), wanted

    def info(self) -> Object:
        return self.project._object(self.key, self.stored)

    def file_size(self) -> int:
        return len(self.stored.data)

    def close(self) -> None:
        self.closed = True
        self.project.open_downloads.discard(self)

    def __enter__(self) -> "MemoryDownload":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class MemoryUpload:
    def __init__(self, commit: Callable[[bytes, Optional[CustomMetadata]], Object], project: "MemoryProject",
                 fail_after: Optional[int] = None) -> None:
        self._commit, self.project, self.fail_after = commit, project, fail_after
        self.data = bytearray()
        self.metadata: Optional[CustomMetadata] = None
        self.done = False
        self.result: Optional[Object] = None
        self.closed = False
        self.on_close: Optional[Callable[[], None]] = None
        project.open_uploads.add(self)

    def write(self, data: Any, size: Optional[int] = None) -> int:
        if self.done:
            raise UploadDoneError(None, None, "done")
        view = memoryview(data).cast("B")
        if self.fail_after is not None and len(self.data) + len(view) > self.fail_after:
            raise InternalError(None, None, "injected upload failure")
        self.data += view
        self.project.bytes_written += len(view)
        return len(view)

    def set_custom_metadata(self, metadata: Optional[CustomMetadata] = None) -> None:
        self.metadata = metadata

    set_etag = None  # parts only, unused

    def commit(self) -> None:
        if self.done:
            raise UploadDoneError(None, None, "done")
        self.done = True
        self.result = self._commit(bytes(self.data), self.metadata)

    def abort(self) -> None:
        if self.done:
            raise UploadDoneError(None, None, "done")
        self.done = True

    def info(self) -> Object:
        assert self.result is not None
        return self.result

    def close(self) -> None:
        if not self.closed and self.on_close is not None:
            self.on_close()
        self.closed = True
        self.project.open_uploads.discard(self)

    def __enter__(self) -> "MemoryUpload":
        return self

    def __exit__(self, exc_type: Optional[type], *exc_info: object) -> None:
        try:
            if not self.done:
                self.commit() if exc_type is None else self.abort()
        finally:
            self.close()


class MemoryProject:
    """Buckets, objects and pending multipart uploads in dicts, behind the Project methods the modules call."""

    def __init__(self, read_chunk: int = 100_003) -> None:
        self.read_chunk = read_chunk  # the most one readinto returns, like the network's short reads
        self.buckets: dict[str, dict[str, _Stored]] = {}
        self.bucket_created: dict[str, int] = {}
        self.pending: dict[str, dict[str, Any]] = {}  # upload id -> bucket, key, parts
        self.lock = threading.Lock()
        self.clock = itertools.count(1_700_000_000)
        self.open_downloads: set[MemoryDownload] = set()
        self.open_uploads: set[MemoryUpload] = set()
        self.downloads_opened = 0
        self.bytes_written = 0
        self.fail_part: Optional[int] = None  # this part number fails after its first bytes
        self.fail_download_at: Optional[int] = None  # downloads fail past this object offset
        self.part_threads: set[str] = set()
        self.parts_open = self.max_parts_open = 0

    # buckets

    def _bucket(self, name: str) -> dict[str, _Stored]:
        if name not in self.buckets:
            raise BucketNotFoundError(None, None, name)
        return self.buckets[name]

    def stat_bucket(self, name: str) -> Bucket:
        self._bucket(name)
        return Bucket(name, self.bucket_created[name])

    def create_bucket(self, name: str) -> Bucket:
        if name in self.buckets:
            raise BucketAlreadyExistError(None, None, name)
        return self.ensure_bucket(name)

    def ensure_bucket(self, name: str) -> Bucket:
        if name not in self.buckets:
            self.buckets[name] = {}
            self.bucket_created[name] = next(self.clock)
        return self.stat_bucket(name)

    def delete_bucket(self, name: str) -> Bucket:
        if self._bucket(name):
            raise BucketNotEmptyError(None, None, name)
        return self.delete_bucket_with_objects(name)

    def delete_bucket_with_objects(self, name: str) -> Bucket:
        bucket = self.stat_bucket(name)
        del self.buckets[name]
        return bucket

    def iter_buckets(self, options: Optional[ListBucketsOptions] = None) -> Iterator[Bucket]:
        cursor = options.cursor if options else ""
        return iter([Bucket(n, self.bucket_created[n]) for n in sorted(self.buckets) if n > cursor])

    # objects

    def _object(self, key: str, stored: _Stored) -> Object:
        return Object(key=key, system=SystemMetadata(stored.created, 0, len(stored.data)), custom=stored.metadata)

    def _store(self, bucket: str, key: str, data: bytes, metadata: Optional[CustomMetadata]) -> Object:
        with self.lock:
            stored = self._bucket(bucket)[key] = _Stored(data, metadata, next(self.clock))
        return self._object(key, stored)

    def stat_object(self, bucket: str, key: str) -> Object:
        stored = self._bucket(bucket).get(key)
        if stored is None:
            raise ObjectNotFoundError(None, None, key)
        return self._object(key, stored)

    def delete_object(self, bucket: str, key: str) -> Optional[Object]:
        stored = self._bucket(bucket).pop(key, None)
        return None if stored is None else self._object(key, stored)

    def iter_objects(self, bucket: str, options: Optional[ListObjectsOptions] = None) -> Iterator[Object]:
        options = options or ListObjectsOptions()
        objects = self._bucket(bucket)
        seen: set[str] = set()
        for key in sorted(objects):
            if not key.startswith(options.prefix) or key <= options.cursor:
                continue
            rest = key[len(options.prefix):]
            if not options.recursive and "/" in rest:
                prefix = options.prefix + rest.split("/", 1)[0] + "/"
                if prefix not in seen:
                    seen.add(prefix)
                    yield Object(key=prefix, is_prefix=True)
                continue
            yield self._object(key, objects[key])

    def list_objects(self, bucket: str, options: Optional[ListObjectsOptions] = None) -> list[Object]:
        return list(self.iter_objects(bucket, options))

    def upload_object(self, bucket: str, key: str, options: Optional[UploadOptions] = None) -> MemoryUpload:
        self._bucket(bucket)
        return MemoryUpload(lambda data, metadata: self._store(bucket, key, data, metadata), self)

    def download_object(self, bucket: str, key: str, options: Optional[DownloadOptions] = None) -> MemoryDownload:
        stored = self._bucket(bucket).get(key)
        if stored is None:
            raise ObjectNotFoundError(None, None, key)
        options = options or DownloadOptions()
        with self.lock:
            self.downloads_opened += 1
        return MemoryDownload(self, key, stored, options.offset, options.length)

    def copy_object(self, bucket1: str, key1: str, bucket2: str, key2: str) -> Object:
        stored = self.stat_object(bucket1, key1) and self.buckets[bucket1][key1]
        return self._store(bucket2, key2, stored.data, stored.metadata)

    def move_object(self, bucket1: str, key1: str, bucket2: str, key2: str) -> None:
        self.copy_object(bucket1, key1, bucket2, key2)
        del self.buckets[bucket1][key1]

    # multipart

    def begin_upload(self, bucket: str, key: str, options: Optional[UploadOptions] = None) -> UploadInfo:
        self._bucket(bucket)
        upload_id = uuid.uuid4().hex
        self.pending[upload_id] = {"bucket": bucket, "key": key, "parts": {}}
        return UploadInfo(upload_id=upload_id, key=key)

    def upload_part(self, bucket: str, key: str, upload_id: str, number: int) -> MemoryUpload:
        pending = self.pending[upload_id]
        assert (pending["bucket"], pending["key"]) == (bucket, key)
        with self.lock:
            self.part_threads.add(threading.current_thread().name)
            self.parts_open += 1
            self.max_parts_open = max(self.max_parts_open, self.parts_open)
        time.sleep(0.02)  # as the network would take: lets the other workers start theirs

        def commit(data: bytes, _: Optional[CustomMetadata]) -> Object:
            pending["parts"][number] = data
            return Object()

        part = MemoryUpload(commit, self, fail_after=0 if number == self.fail_part else None)
        part.on_close = self._part_closed
        return part

    def _part_closed(self) -> None:
        with self.lock:
            self.parts_open -= 1

    def commit_upload(self, bucket: str, key: str, upload_id: str,
                      options: Optional[CommitUploadOptions] = None) -> Object:
        pending = self.pending.pop(upload_id)
        data = b"".join(pending["parts"][n] for n in sorted(pending["parts"]))
        return self._store(bucket, key, data, options.custom_metadata if options else None)

    def abort_upload(self, bucket: str, key: str, upload_id: str) -> None:
        del self.pending[upload_id]

    def list_uploads(self, bucket: str, options: Any = None) -> Iterator[UploadInfo]:
        return iter([UploadInfo(upload_id=i, key=p["key"]) for i, p in self.pending.items() if p["bucket"] == bucket])

    def settled(self) -> bool:
        """Nothing left open or pending."""
        return not self.open_downloads and not self.open_uploads and not self.pending


def payload(size: int, seed: int = 1) -> bytes:
    """Deterministic incompressible-looking bytes, built by hashing (no Python loop over bytes)."""
    block = hashlib.sha512(str(seed).encode()).digest() * 64  # 4 KiB
    counter = hashlib.sha256(block).digest()
    return (block + counter)[: size] if size <= len(block) else (block * (size // len(block) + 1))[:size]


@pytest.fixture
def memory() -> Iterator[MemoryProject]:
    project = MemoryProject()
    project.create_bucket("b")
    yield project
    gc.collect()
    assert project.settled(), "downloads or uploads left open, or multipart uploads pending"


# reading


def test_reader_random_seeks_return_the_bytes_stored(memory: MemoryProject) -> None:
    data = bytes(range(256)) * 4096 + b"tail"  # 1 MiB + 4
    memory._store("b", "k", data, None)
    with open_object(memory, "b", "k", "rb", buffer_size=64 * 1024) as f:
        assert isinstance(f, StorjReader) and f.size == len(data) and f.seekable() and f.readable()
        for position, count in [(0, 10), (700_000, 5000), (3, 1), (len(data) - 2, 10), (123_457, 200_000)]:
            assert f.seek(position) == position
            assert f.read(count) == data[position:position + count]
            assert f.tell() == min(position + count, len(data))
        assert f.seek(-4, io.SEEK_END) == len(data) - 4 and f.read() == b"tail"
        assert f.read(10) == b"" and f.read() == b""
        f.seek(10)
        assert f.seek(5, io.SEEK_CUR) == 15 and f.read(3) == data[15:18]
        assert f.seek(len(data) + 100) == len(data) + 100 and f.read(5) == b""
        with pytest.raises(OSError):
            f.seek(-1)


def test_sequential_reads_use_one_download_and_seeks_reopen_at_the_position(memory: MemoryProject) -> None:
    data = payload(3 * 1024 * 1024 + 17)
    memory._store("b", "k", data, None)
    with open_object(memory, "b", "k", "rb") as f:
        chunks = []
        while chunk := f.read(300_000):
            chunks.append(chunk)
        assert b"".join(chunks) == data
        assert memory.downloads_opened == 1
        f.seek(2_000_000)
        assert f.read(10) == data[2_000_000:2_000_010]
        assert memory.downloads_opened == 2
    assert not memory.open_downloads


def test_readinto_fills_the_callers_buffer_and_read_all_is_whole(memory: MemoryProject) -> None:
    data = payload(500_000)
    memory._store("b", "k", data, None)
    raw = ObjectReader(memory, "b", "k")
    buffer = bytearray(400_000)
    count = raw.readinto(buffer)
    assert 0 < count <= memory.read_chunk and buffer[:count] == data[:count]
    assert raw.readall() == data[count:]
    raw.close()
    with pytest.raises(ValueError):
        raw.readinto(buffer)


def test_text_mode_reads_lines(memory: MemoryProject) -> None:
    lines = [f"line {i} é\n" for i in range(20_000)]
    memory._store("b", "t.txt", "".join(lines).encode("utf-8"), None)
    with open_object(memory, "b", "t.txt", "r", encoding="utf-8") as f:
        assert isinstance(f, io.TextIOWrapper)
        assert f.readline() == lines[0]
        assert list(f) == lines[1:]
    with io.TextIOWrapper(open_object(memory, "b", "t.txt", "rb"), encoding="utf-8") as f:
        assert f.readlines()[-1] == lines[-1]


def test_missing_object_raises_file_not_found(memory: MemoryProject) -> None:
    with pytest.raises(FileNotFoundError):
        open_object(memory, "b", "nope", "rb")


@pytest.mark.parametrize("mode", ["ab", "r+b", "x", "rw", "", "bb", "rbt"])
def test_unsupported_modes_are_refused(memory: MemoryProject, mode: str) -> None:
    with pytest.raises(ValueError, match="mode"):
        open_object(memory, "b", "k", mode)


# writing


def test_writer_commits_on_close_with_metadata(memory: MemoryProject) -> None:
    data = payload(2_500_000)
    with open_object(memory, "b", "w", "wb", custom_metadata={"type": "blob"}) as f:
        assert isinstance(f, StorjWriter) and f.writable() and not f.seekable()
        f.write(data[:10])
        f.write(memoryview(data)[10:])
        assert f.tell() == len(data)
        with pytest.raises(FileNotFoundError):
            memory.stat_object("b", "w")  # not visible before close
    obj = memory.stat_object("b", "w")
    assert memory.buckets["b"]["w"].data == data and obj.custom.to_mapping() == {"type": "blob"}


def test_writer_aborts_when_the_with_block_raises(memory: MemoryProject) -> None:
    with pytest.raises(RuntimeError, match="stop"):
        with open_object(memory, "b", "w", "wb") as f:
            f.write(payload(3_000_000))
            raise RuntimeError("stop")
    assert f.closed
    with pytest.raises(FileNotFoundError):
        memory.stat_object("b", "w")
    with pytest.raises(RuntimeError, match="stop"):
        with open_object(memory, "b", "w.txt", "w") as text:
            text.write("partial")
            raise RuntimeError("stop")
    assert "w.txt" not in memory.buckets["b"]


def test_dropped_unclosed_writer_aborts_with_a_warning(memory: MemoryProject) -> None:
    f = open_object(memory, "b", "w", "wb")
    f.write(b"partial")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del f
        gc.collect()
    assert any(issubclass(w.category, ResourceWarning) for w in caught)
    assert "w" not in memory.buckets["b"]


def test_failed_commit_leaves_nothing_and_raises(memory: MemoryProject) -> None:
    f = open_object(memory, "b", "w", "wb")
    f.write(b"data")
    f.raw._upload.commit = lambda: (_ for _ in ()).throw(InternalError(None, None, "commit failed"))  # type: ignore
    with pytest.raises(InternalError, match="commit failed"):
        f.close()
    assert f.closed and "w" not in memory.buckets["b"]


def test_zipfile_written_and_read_back(memory: MemoryProject) -> None:
    members = {f"dir/file{i}.bin": payload(1000 * i + 1, seed=i) for i in range(1, 12)}
    with open_object(memory, "b", "a.zip", "wb") as f:
        with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, content in members.items():
                archive.writestr(name, content)
    with open_object(memory, "b", "a.zip", "rb") as f:
        with zipfile.ZipFile(f) as archive:
            assert archive.testzip() is None
            assert {name: archive.read(name) for name in archive.namelist()} == members


def test_tarfile_written_and_read_back(memory: MemoryProject) -> None:
    content = payload(300_001)
    with open_object(memory, "b", "a.tar.gz", "wb") as f:
        with tarfile.open(fileobj=f, mode="w:gz") as archive:
            info = tarfile.TarInfo("x/data.bin")
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    with open_object(memory, "b", "a.tar.gz", "rb") as f:
        with tarfile.open(fileobj=f, mode="r:gz") as archive:
            member = archive.extractfile("x/data.bin")
            assert member is not None and member.read() == content


def test_copyfileobj_both_ways(memory: MemoryProject) -> None:
    data = payload(5_000_000)
    with open_object(memory, "b", "c", "wb") as f:
        shutil.copyfileobj(io.BytesIO(data), f)
    target = io.BytesIO()
    with open_object(memory, "b", "c", "rb") as f:
        shutil.copyfileobj(f, target)
    assert target.getvalue() == data


def test_a_short_jump_ahead_reads_past_instead_of_reopening(memory: MemoryProject) -> None:
    data = payload(2_000_000)
    memory._store("b", "k", data, None)
    raw = ObjectReader(memory, "b", "k")
    buffer = bytearray(1000)
    raw.readinto(buffer)
    raw.seek(200_000)
    assert raw.readinto(buffer) == 1000 and buffer == data[200_000:201_000]
    assert memory.downloads_opened == 1
    raw.seek(1_500_000)  # far: a new ranged download
    assert raw.readinto(buffer) == 1000 and buffer == data[1_500_000:1_501_000]
    raw.seek(10)  # backwards: a new one too
    assert raw.readinto(buffer) == 1000 and buffer == data[10:1010]
    assert memory.downloads_opened == 3
    raw.close()


def test_an_object_replaced_while_open_is_not_mixed_in(memory: MemoryProject) -> None:
    memory._store("b", "k", payload(1_000_000, seed=1), None)
    with open_object(memory, "b", "k", "rb", buffer_size=1000) as f:
        f.read(10)
        memory._store("b", "k", payload(1_000_000, seed=2), None)
        f.seek(900_000)
        with pytest.raises(OSError, match="replaced"):
            f.read(10)
