"""Objects go up and come back byte for byte, through every write and read path."""

from __future__ import annotations

import io
import os

import pytest

from uplink_python import DownloadOptions, Project

from .conftest import sha256

MiB = 1 << 20
SIZES = [0, 1, 4096 - 1, 4096, 4096 + 1, MiB, 70 * MiB]  # inline, the inline limit, remote, two segments


def upload_bytes(project: Project, bucket: str, key: str, data: bytes) -> None:
    with project.upload_object(bucket, key) as upload:
        assert upload.write(data, len(data)) == len(data)


def download_bytes(project: Project, bucket: str, key: str, options: DownloadOptions | None = None) -> bytes:
    with project.download_object(bucket, key, options) as download:
        sink = io.BytesIO()
        download.read_file(sink)
        return sink.getvalue()


@pytest.mark.parametrize("size", SIZES, ids=[f"{s}B" for s in SIZES])
def test_write_then_read_file_is_identical(project: Project, bucket: str, size: int) -> None:
    data = os.urandom(size)
    upload_bytes(project, bucket, f"objects/{size}", data)
    assert project.stat_object(bucket, f"objects/{size}").system.content_length == size
    assert sha256(download_bytes(project, bucket, f"objects/{size}")) == sha256(data)


def test_write_file_and_readinto(project: Project, bucket: str, tmp_path) -> None:
    data = os.urandom(3 * MiB + 17)
    source = tmp_path / "source.bin"
    source.write_bytes(data)
    upload = project.upload_object(bucket, "from-file")
    with open(source, "r+b") as file_handle:
        assert upload.write_file(file_handle) == len(data)
    upload.commit()
    upload.close()

    received = bytearray()
    buffer = bytearray(256 * 1024)
    with project.download_object(bucket, "from-file") as download:
        assert download.file_size() == len(data)
        while count := download.readinto(buffer):
            received += buffer[:count]
        assert download.readinto(buffer) == 0  # the end stays the end
    assert sha256(bytes(received)) == sha256(data)


@pytest.mark.parametrize("offset,length", [(0, 10), (4095, 2), (MiB - 3, 7), (2 * MiB, -1), (-100, -1), (17, 0)])
def test_ranged_downloads(project: Project, bucket: str, offset: int, length: int) -> None:
    data = os.urandom(2 * MiB + 555)
    upload_bytes(project, bucket, "ranged", data)
    expected = data[offset:] if length < 0 else data[offset:offset + length]
    if offset < 0:
        expected = data[offset:]
    got = download_bytes(project, bucket, "ranged", DownloadOptions(offset=offset, length=length))
    assert got == expected


def test_read_returns_data_and_count(project: Project, bucket: str) -> None:
    data = os.urandom(100_000)
    upload_bytes(project, bucket, "read", data)
    with project.download_object(bucket, "read") as download:
        first, count = download.read(60_000)
        rest, rest_count = download.read(1 << 40)  # asking for far more than is left is fine
        end = download.read(10)
    assert (count, rest_count) == (60_000, 40_000)
    assert first + rest == data
    assert end == (b"", 0)


def test_overwrite_replaces_the_object(project: Project, bucket: str) -> None:
    upload_bytes(project, bucket, "same-key", b"first version")
    upload_bytes(project, bucket, "same-key", b"second")
    assert download_bytes(project, bucket, "same-key") == b"second"
