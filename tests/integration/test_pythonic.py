"""Storj the way Python works, on the local network: file objects, lazy listings, file transfers, fork safety."""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import random
import tarfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Optional

import pytest

from uplink_python import Access, ListObjectsOptions, Project, Uplink
from uplink_python.errors import ForkedProcessError
from uplink_python.fileobj import StorjReader

from .conftest import sha256

MiB = 1 << 20


def pending_uploads(project: Project, bucket: str) -> list[Any]:
    return list(project.list_uploads(bucket))


def random_file(path: Path, size: int) -> str:
    """Writes ``size`` random bytes to ``path`` in 8 MiB pieces; returns their SHA-256."""
    digest = hashlib.sha256()
    with open(path, "wb") as file:
        for start in range(0, size, 8 * MiB):
            piece = os.urandom(min(8 * MiB, size - start))
            digest.update(piece)
            file.write(piece)
    return digest.hexdigest()


class Progress:
    def __init__(self, interrupt_at: Optional[int] = None) -> None:
        self.calls: list[tuple[int, Optional[int]]] = []
        self.interrupt_at = interrupt_at

    def __call__(self, done: int, total: Optional[int]) -> None:
        self.calls.append((done, total))
        if self.interrupt_at is not None and done >= self.interrupt_at:
            raise KeyboardInterrupt

    def assert_monotonic_to(self, total: int) -> None:
        counts = [done for done, _ in self.calls]
        assert counts == sorted(counts) and counts[0] == 0 and counts[-1] == total
        assert {t for _, t in self.calls} == {total}


# file objects


def test_reader_random_seeks_match_the_uploaded_bytes(project: Project, bucket: str) -> None:
    data = os.urandom(64 * MiB + 300 * 1024)  # two segments: seeks cross the boundary
    with project.open(bucket, "seek.bin", "wb") as writer:
        writer.write(data)
    generator = random.Random(13)
    with project.open(bucket, "seek.bin", "rb") as reader:
        assert isinstance(reader, StorjReader) and reader.seekable() and reader.readable()
        assert reader.size == len(data)
        for _ in range(25):
            position = generator.randrange(len(data))
            count = generator.choice([1, 100, 4096, 300_000, 2 * MiB])
            assert reader.seek(position) == position
            assert reader.read(count) == data[position:position + count]
            assert reader.tell() == min(position + count, len(data))
        assert reader.seek(64 * MiB - 10) == 64 * MiB - 10 and reader.read(20) == data[64 * MiB - 10:64 * MiB + 10]
        reader.seek(-5, io.SEEK_END)
        assert reader.read() == data[-5:] and reader.read(1) == b""
        buffer = bytearray(1000)
        reader.seek(12345)
        assert reader.readinto(buffer) == 1000 and buffer == data[12345:13345]


def test_text_wrapper_reads_lines(project: Project, bucket: str) -> None:
    lines = [f"{i},naïve café {i * i}\n" for i in range(50_000)]
    with project.open(bucket, "lines.csv", "w", encoding="utf-8") as writer:
        writer.writelines(lines)
    with io.TextIOWrapper(project.open(bucket, "lines.csv", "rb"), encoding="utf-8") as reader:
        assert reader.readline() == lines[0]
        assert reader.readline() == lines[1]
        assert list(reader) == lines[2:]
    with project.open(bucket, "lines.csv", "r", encoding="utf-8") as reader:
        assert sum(1 for _ in reader) == len(lines)


def test_zipfile_written_and_read_back(project: Project, bucket: str) -> None:
    members = {f"folder/{i}.bin": os.urandom(i * 40_000 + 1) for i in range(12)}
    members["notes.txt"] = b"hello\n" * 10_000
    with project.open(bucket, "archive.zip", "wb") as writer:
        with zipfile.ZipFile(writer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, content in members.items():
                archive.writestr(name, content)
    with project.open(bucket, "archive.zip", "rb") as reader:
        with zipfile.ZipFile(reader) as archive:
            assert archive.testzip() is None
            assert {name: archive.read(name) for name in archive.namelist()} == members


def test_tarfile_written_and_read_back(project: Project, bucket: str) -> None:
    content = os.urandom(3 * MiB + 7)
    with project.open(bucket, "archive.tar", "wb") as writer:
        with tarfile.open(fileobj=writer, mode="w") as archive:
            info = tarfile.TarInfo("data/blob.bin")
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    with project.open(bucket, "archive.tar", "rb") as reader:
        with tarfile.open(fileobj=reader, mode="r") as archive:
            member = archive.extractfile("data/blob.bin")
            assert member is not None and member.read() == content


def test_writer_aborted_by_an_exception_leaves_no_object(project: Project, bucket: str) -> None:
    with pytest.raises(RuntimeError, match="half way"):
        with project.open(bucket, "aborted.bin", "wb") as writer:
            writer.write(os.urandom(5 * MiB))
            raise RuntimeError("half way")
    with pytest.raises(FileNotFoundError):
        project.stat_object(bucket, "aborted.bin")
    assert project.list_objects(bucket) == [] and pending_uploads(project, bucket) == []


def test_writer_commits_on_close_with_metadata(project: Project, bucket: str) -> None:
    writer = project.open(bucket, "meta.bin", "wb", custom_metadata={"content-type": "application/x-test"})
    writer.write(b"x" * 1000)
    with pytest.raises(FileNotFoundError):
        project.stat_object(bucket, "meta.bin")  # nothing before close
    writer.close()
    obj = project.stat_object(bucket, "meta.bin")
    assert obj.system.content_length == 1000
    assert obj.custom.to_mapping() == {"content-type": "application/x-test"}


# lazy listings


def test_iter_objects_over_2500_objects(project: Project, bucket: str) -> None:
    keys = [f"many/{i:05d}" for i in range(2500)]

    def put(key: str) -> None:
        with project.upload_object(bucket, key) as upload:
            upload.write(key.encode())

    started = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(put, keys))
    uploaded = time.monotonic() - started

    started = time.monotonic()
    objects = project.iter_objects(bucket, ListObjectsOptions(prefix="many/", recursive=True, system=True))
    first = next(objects)
    first_after = time.monotonic() - started
    rest = [obj.key for obj in objects]
    listed = time.monotonic() - started
    # Keys are listed in the order of their encrypted form, not alphabetically.
    assert sorted([first.key, *rest]) == keys and first.system.content_length == len(first.key)
    print(f"\n2500 objects: uploaded in {uploaded:.1f} s, first item after {first_after * 1000:.0f} ms, "
          f"all listed in {listed:.2f} s")
    assert project.list_objects(bucket, ListObjectsOptions(prefix="many/", recursive=True)).__len__() == 2500
    partial = project.iter_objects(bucket, ListObjectsOptions(prefix="many/"))
    assert next(partial).key in keys
    partial.close()  # type: ignore[attr-defined]  # abandoned part-way: freed now
    assert [b.name for b in project.iter_buckets()] == [bucket]


# transfers


def test_upload_file_and_download_file_150_mib_in_parallel(project: Project, bucket: str, tmp_path: Path) -> None:
    size = 150 * MiB
    source = tmp_path / "source.bin"
    digest = random_file(source, size)

    progress = Progress()
    started = time.monotonic()
    obj = project.upload_file(source, bucket, "big.bin", custom_metadata={"sha256": digest}, progress=progress,
                              part_size=32 * MiB, parallelism=4)
    upload_seconds = time.monotonic() - started
    assert obj.system.content_length == size
    progress.assert_monotonic_to(size)
    assert pending_uploads(project, bucket) == []
    assert project.stat_object(bucket, "big.bin").custom.to_mapping() == {"sha256": digest}

    target = tmp_path / "target.bin"
    progress = Progress()
    started = time.monotonic()
    project.download_file(bucket, "big.bin", target, progress=progress, part_size=32 * MiB, parallelism=4)
    download_seconds = time.monotonic() - started
    progress.assert_monotonic_to(size)
    assert target.stat().st_size == size
    assert random_file_digest(target) == digest
    assert sorted(os.listdir(tmp_path)) == ["source.bin", "target.bin"]
    print(f"\n150 MiB: upload_file {upload_seconds:.1f} s ({size / MiB / upload_seconds:.0f} MiB/s), "
          f"download_file {download_seconds:.1f} s ({size / MiB / download_seconds:.0f} MiB/s)")


def random_file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(8 * MiB):
            digest.update(chunk)
    return digest.hexdigest()


def test_an_interrupted_upload_leaves_no_pending_upload(project: Project, bucket: str, tmp_path: Path) -> None:
    source = tmp_path / "source.bin"
    random_file(source, 40 * MiB)
    with pytest.raises(KeyboardInterrupt):
        project.upload_file(source, bucket, "interrupted.bin", progress=Progress(interrupt_at=12 * MiB),
                            part_size=8 * MiB, parallelism=2)
    assert pending_uploads(project, bucket) == []
    with pytest.raises(FileNotFoundError):
        project.stat_object(bucket, "interrupted.bin")


def test_upload_file_from_a_stream_and_download_into_a_file_object(project: Project, bucket: str) -> None:
    data = os.urandom(20 * MiB + 3)
    project.upload_file(io.BufferedReader(io.BytesIO(data)), bucket, "stream.bin", part_size=8 * MiB)  # type: ignore
    sink = io.BytesIO()
    project.download_file(bucket, "stream.bin", sink)
    assert sha256(sink.getvalue()) == sha256(data)


def test_a_failed_download_leaves_no_half_written_file(project: Project, bucket: str, tmp_path: Path) -> None:
    project.upload_file(io.BytesIO(os.urandom(24 * MiB)), bucket, "d.bin")
    target = tmp_path / "d.bin"
    with pytest.raises(KeyboardInterrupt):
        project.download_file(bucket, "d.bin", target, progress=Progress(interrupt_at=5 * MiB),
                              part_size=8 * MiB, parallelism=2)
    assert os.listdir(tmp_path) == []
    target.write_bytes(b"previous")
    with pytest.raises(FileNotFoundError):
        project.download_file(bucket, "missing.bin", target)
    assert os.listdir(tmp_path) == ["d.bin"] and target.read_bytes() == b"previous"


# fork safety


def _use_in_child(project: Project, bucket: str, report: Any) -> None:
    started = time.monotonic()
    try:
        project.stat_bucket(bucket)
        report.put(("no exception", 0.0))
    except ForkedProcessError as error:
        report.put((f"ForkedProcessError: {error}", time.monotonic() - started))
    except BaseException as error:  # noqa: BLE001
        report.put((f"{type(error).__name__}: {error}", time.monotonic() - started))


def _use_in_spawned_child(serialized: str, bucket: str, report: Any) -> None:
    with Uplink().parse_access(serialized) as access, access.open_project() as project:
        report.put(project.stat_bucket(bucket).name)


def test_a_forked_child_gets_a_clear_exception_within_a_second(project: Project, bucket: str,
                                                              access: Access) -> None:
    fork = multiprocessing.get_context("fork")
    report = fork.Queue()
    started = time.monotonic()
    child = fork.Process(target=_use_in_child, args=(project, bucket, report))
    child.start()
    message, seconds = report.get(timeout=10)
    child.join(10)
    assert message.startswith("ForkedProcessError") and "spawn" in message, message
    assert seconds < 1.0 and time.monotonic() - started < 5
    assert project.stat_bucket(bucket).name == bucket  # the parent goes on

    spawn = multiprocessing.get_context("spawn")  # what the README tells users to do
    report = spawn.Queue()
    child = spawn.Process(target=_use_in_spawned_child, args=(access.serialize(), bucket, report))
    child.start()
    assert report.get(timeout=60) == bucket
    child.join(30)
    assert child.exitcode == 0
