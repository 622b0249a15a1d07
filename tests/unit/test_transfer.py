"""upload_file/download_file (uplink_python.transfer) over the in-memory project: parts, progress, cleanup."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import Any, Optional

import pytest

from uplink_python.errors import InternalError
from uplink_python import transfer
from uplink_python.transfer import download_file, upload_file

from .test_fileobj import MemoryProject, memory, payload  # noqa: F401 - the fixture

KiB = 1024


@pytest.fixture(autouse=True)
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The in-memory project takes parts of any size: keep the test data small."""
    monkeypatch.setattr(transfer, "MIN_PART_SIZE", 1)


class Recorder:
    """A progress callback that records its calls."""

    def __init__(self, fail_at: Optional[int] = None, exception: type[BaseException] = KeyboardInterrupt) -> None:
        self.calls: list[tuple[int, Optional[int]]] = []
        self.fail_at, self.exception = fail_at, exception

    def __call__(self, done: int, total: Optional[int]) -> None:
        self.calls.append((done, total))
        if self.fail_at is not None and done >= self.fail_at:
            raise self.exception()

    def check(self, total: Optional[int], size: int) -> None:
        counts = [done for done, _ in self.calls]
        assert counts == sorted(counts), "progress went down"
        assert counts[0] == 0 and counts[-1] == size
        assert all(t == total for _, t in self.calls)


class NonSeekable(io.RawIOBase):
    """A pipe-like stream: no size, no seek, short reads."""

    def __init__(self, data: bytes) -> None:
        self._data, self._position = memoryview(data), 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = min(len(buffer), 70_001, len(self._data) - self._position)
        buffer[:count] = self._data[self._position:self._position + count]
        self._position += count
        return count


@pytest.mark.parametrize("size", [0, 1, 300 * KiB, 1000 * KiB + 3])
def test_upload_file_from_a_path_in_parallel_parts(tmp_path: Path, memory: MemoryProject, size: int) -> None:
    data = payload(size)
    source = tmp_path / "source.bin"
    source.write_bytes(data)
    progress = Recorder()
    obj = upload_file(memory, source, "b", "k", custom_metadata={"a": "1"}, progress=progress,
                      part_size=128 * KiB, parallelism=3)
    assert memory.buckets["b"]["k"].data == data
    assert obj.system.content_length == size and obj.custom.to_mapping() == {"a": "1"}
    progress.check(size, size)
    if size > 128 * KiB:
        assert memory.max_parts_open > 1 and all(t.startswith("uplink-upload-part") for t in memory.part_threads)


@pytest.mark.parametrize("size", [0, 100 * KiB, 128 * KiB, 700 * KiB + 1])
def test_upload_file_from_streams(memory: MemoryProject, size: int) -> None:
    data = payload(size, seed=size)
    seekable = io.BytesIO(b"skip" + data)
    seekable.seek(4)
    progress = Recorder()
    upload_file(memory, seekable, "b", "seekable", progress=progress, part_size=128 * KiB, parallelism=2)
    assert memory.buckets["b"]["seekable"].data == data
    progress.check(size, size)
    progress = Recorder()
    upload_file(memory, NonSeekable(data), "b", "pipe", progress=progress, part_size=128 * KiB, parallelism=2)
    assert memory.buckets["b"]["pipe"].data == data
    progress.check(None, size)


def test_upload_file_from_an_open_file_continues_from_its_position(tmp_path: Path, memory: MemoryProject) -> None:
    data = payload(600 * KiB)
    source = tmp_path / "source.bin"
    source.write_bytes(data)
    with open(source, "rb") as f:
        f.read(1000)  # buffered: the OS position is ahead of tell()
        upload_file(memory, f, "b", "k", part_size=128 * KiB)
        assert f.tell() == len(data)
    assert memory.buckets["b"]["k"].data == data[1000:]


@pytest.mark.parametrize("source_kind", ["path", "stream"])
def test_a_failed_part_aborts_the_multipart_upload(tmp_path: Path, memory: MemoryProject, source_kind: str) -> None:
    data = payload(1000 * KiB)
    source: Any = tmp_path / "s.bin"
    source.write_bytes(data)
    if source_kind == "stream":
        source = NonSeekable(data)
    memory.fail_part = 3
    with pytest.raises(InternalError, match="injected"):
        upload_file(memory, source, "b", "k", part_size=100 * KiB, parallelism=2)
    assert "k" not in memory.buckets["b"] and not memory.pending


def test_an_interrupted_upload_leaves_no_pending_upload(tmp_path: Path, memory: MemoryProject) -> None:
    source = tmp_path / "s.bin"
    source.write_bytes(payload(2000 * KiB))
    with pytest.raises(KeyboardInterrupt):
        upload_file(memory, source, "b", "k", progress=Recorder(fail_at=300 * KiB), part_size=100 * KiB,
                    parallelism=4)
    assert "k" not in memory.buckets["b"] and not memory.pending
    with pytest.raises(KeyboardInterrupt):  # a plain (single) upload is aborted too
        upload_file(memory, source, "b", "k", progress=Recorder(fail_at=1), part_size=4096 * KiB)
    assert "k" not in memory.buckets["b"]


def test_bad_arguments(memory: MemoryProject, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="part_size"):
        upload_file(memory, io.BytesIO(b""), "b", "k", part_size=0)
    transfer.MIN_PART_SIZE = 5 * 1024 * KiB
    with pytest.raises(ValueError, match="minimum part size"):
        upload_file(memory, io.BytesIO(b""), "b", "k", part_size=1024 * KiB)
    with pytest.raises(ValueError, match="parallelism"):
        download_file(memory, "b", "k", tmp_path / "x", parallelism=0)
    with pytest.raises(TypeError, match="binary"):
        upload_file(memory, io.StringIO("text"), "b", "k")
    with pytest.raises(TypeError, match="callable"):
        upload_file(memory, io.BytesIO(b""), "b", "k", progress=3)  # type: ignore[arg-type]


@pytest.mark.parametrize("size", [0, 5, 1000 * KiB + 7])
def test_download_file_in_parallel_ranges(tmp_path: Path, memory: MemoryProject, size: int) -> None:
    data = payload(size)
    memory._store("b", "k", data, None)
    target = tmp_path / "target.bin"
    progress = Recorder()
    obj = download_file(memory, "b", "k", target, progress=progress, part_size=128 * KiB, parallelism=3)
    assert target.read_bytes() == data and obj.system.content_length == size
    progress.check(size, size)
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert os.listdir(tmp_path) == ["target.bin"]
    if size > 128 * KiB:
        assert memory.downloads_opened == -(-size // (128 * KiB))


def test_a_failed_download_leaves_no_file_and_keeps_the_old_one(tmp_path: Path, memory: MemoryProject) -> None:
    memory._store("b", "k", payload(1000 * KiB), None)
    memory.fail_download_at = 500 * KiB
    target = tmp_path / "target.bin"
    with pytest.raises(InternalError, match="injected"):
        download_file(memory, "b", "k", target, part_size=100 * KiB, parallelism=2)
    assert os.listdir(tmp_path) == []
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    with pytest.raises(InternalError, match="injected"):
        download_file(memory, "b", "k", target, part_size=100 * KiB, parallelism=1)
    assert os.listdir(tmp_path) == ["target.bin"] and target.read_bytes() == b"old"
    memory.fail_download_at = None
    download_file(memory, "b", "k", target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # a replaced file keeps its mode


def test_an_interrupted_download_leaves_no_file(tmp_path: Path, memory: MemoryProject) -> None:
    memory._store("b", "k", payload(2000 * KiB), None)
    with pytest.raises(KeyboardInterrupt):
        download_file(memory, "b", "k", tmp_path / "t", progress=Recorder(fail_at=1), part_size=100 * KiB)
    assert os.listdir(tmp_path) == []


def test_download_of_a_missing_object_creates_nothing(tmp_path: Path, memory: MemoryProject) -> None:
    with pytest.raises(FileNotFoundError):
        download_file(memory, "b", "missing", tmp_path / "t")
    assert os.listdir(tmp_path) == []


def test_download_file_into_a_file_object(memory: MemoryProject) -> None:
    data = payload(900 * KiB)
    memory._store("b", "k", data, None)
    target = io.BytesIO()
    progress = Recorder()
    download_file(memory, "b", "k", target, progress=progress, part_size=100 * KiB)
    assert target.getvalue() == data
    progress.check(len(data), len(data))
