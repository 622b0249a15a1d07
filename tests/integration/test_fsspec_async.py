"""sj:// as an fsspec async file system on the local network: batch calls run concurrently, bytes intact."""

from __future__ import annotations

import asyncio
import hashlib
import os
import threading
from pathlib import Path

import pytest

import fsspec  # noqa: E402  (installed by tests/run.sh: a missing one fails, never skips)

from uplink_python import Access, Project  # noqa: E402
from uplink_python.fs import StorjFileSystem  # noqa: E402

from ..inflight import InFlight  # noqa: E402


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_async_batch_calls_inside_a_running_loop(project: Project, bucket: str, tmp_path: Path) -> None:
    blobs = {f"{bucket}/batch/{i:02}": os.urandom(1000 * i + 1) for i in range(16)}  # inline and remote
    counted = InFlight(project, ("upload_object", "download_object", "stat_object"), together=4)
    local = tmp_path / "local"
    local.mkdir()
    for i in range(8):
        (local / f"up{i}").write_bytes(os.urandom(40_000 + i))

    async def scenario() -> tuple[int, dict[str, bytes]]:
        filesystem = StorjFileSystem(project=counted, asynchronous=True)
        try:
            assert filesystem.asynchronous
            await filesystem._pipe(blobs)
            read = await filesystem._cat(f"sj://{bucket}/batch/*")
            await filesystem._get(f"sj://{bucket}/batch", str(tmp_path / "got"), recursive=True)
            await filesystem._put(str(local), f"sj://{bucket}/put", recursive=True)
            infos = await asyncio.gather(*(filesystem._info(f"{bucket}/put/up{i}") for i in range(8)))
            assert [info["size"] for info in infos] == [40_000 + i for i in range(8)]
            await filesystem._rm(f"sj://{bucket}/batch", recursive=True)
            assert not await filesystem._exists(f"{bucket}/batch")
            return threading.get_ident(), read
        finally:
            filesystem.close()

    loop_thread, read = asyncio.run(scenario())
    assert {name: digest(data) for name, data in read.items()} == {name: digest(d) for name, d in blobs.items()}
    for name, data in blobs.items():
        assert digest((tmp_path / "got" / name.rsplit("/", 1)[1]).read_bytes()) == digest(data)
    for i in range(8):
        with project.open(bucket, f"put/up{i}", "rb") as f:
            assert digest(f.read()) == digest((local / f"up{i}").read_bytes())
    assert counted.peak >= 4 and loop_thread not in counted.threads


def test_sync_batch_calls_through_fsspec_wrappers(access: Access, project: Project, bucket: str) -> None:
    counted = InFlight(project, ("upload_object", "download_object"), together=4)
    filesystem = fsspec.filesystem("sj", project=counted, batch_size=6)
    assert isinstance(filesystem, StorjFileSystem) and not filesystem.asynchronous
    try:
        blobs = {f"sj://{bucket}/s/{i}": os.urandom(5000 + i) for i in range(12)}
        filesystem.pipe(blobs)
        read = filesystem.cat(list(blobs))
        assert {name: digest(data) for name, data in read.items()} == \
            {name[len("sj://"):]: digest(data) for name, data in blobs.items()}
    finally:
        filesystem.close()
    assert 4 <= counted.peak <= 6  # fsspec's batch_size bounds the coroutines in flight


def test_async_credentials_and_errors(access: Access, bucket: str) -> None:
    async def scenario() -> None:
        filesystem = StorjFileSystem(access=access.serialize(), asynchronous=True, skip_instance_cache=True)
        try:
            with pytest.raises(FileNotFoundError):
                await filesystem._cat_file(f"{bucket}/missing")
            with pytest.raises(FileNotFoundError):
                await filesystem._info("no-such-bucket/x")
            await filesystem._pipe_file(f"{bucket}/x", b"data")
            with pytest.raises(FileExistsError):
                await filesystem._pipe_file(f"{bucket}/x", b"again", mode="create")
            assert await filesystem._cat_file(f"{bucket}/x", start=1, end=3) == b"at"
            assert await filesystem._ls(bucket, detail=False) == [f"{bucket}/x"]
        finally:
            filesystem.close()

    asyncio.run(scenario())
