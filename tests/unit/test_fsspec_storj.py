"""StorjFileSystem (uplink_python.fs) over the in-memory project; its fsspec entry point from setup.py."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

import fsspec  # noqa: E402  (installed by tests/run.sh: a missing one fails, never skips)

from uplink_python.fs import StorjFileSystem  # noqa: E402

from ..inflight import InFlight  # noqa: E402
from .test_fileobj import MemoryProject, payload  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fs() -> Iterator[StorjFileSystem]:
    project = MemoryProject()
    project.create_bucket("b")
    for key in ["top.txt", "dir/a.txt", "dir/sub/b.txt", "dir/sub/c.txt", "other/x"]:
        project._store("b", key, key.encode() * 3, None)
    filesystem = StorjFileSystem(project=project)
    yield filesystem
    filesystem.close()
    assert project.settled()


def test_ls_root_bucket_and_prefixes(fs: StorjFileSystem) -> None:
    assert fs.ls("sj://", detail=False) == ["b"]
    assert fs.ls("sj://b", detail=False) == ["b/dir", "b/other", "b/top.txt"]
    entries = {e["name"]: e for e in fs.ls("storj://b/dir")}
    assert entries["b/dir/a.txt"]["type"] == "file" and entries["b/dir/a.txt"]["size"] == 27
    assert entries["b/dir/sub"]["type"] == "directory"
    assert fs.ls("b/top.txt", detail=False) == ["b/top.txt"]
    with pytest.raises(FileNotFoundError):
        fs.ls("b/nothing")
    with pytest.raises(FileNotFoundError):
        fs.ls("missing-bucket")


def test_info_exists_isdir(fs: StorjFileSystem) -> None:
    assert fs.info("sj://b/dir/a.txt")["size"] == 27
    assert fs.info("sj://b/dir/sub")["type"] == "directory"
    assert fs.info("sj://b")["type"] == "directory"
    assert fs.exists("sj://b/dir") and fs.isdir("sj://b/dir") and fs.isfile("sj://b/top.txt")
    assert not fs.exists("sj://b/di") and not fs.exists("sj://nope/x")


def test_find_and_glob(fs: StorjFileSystem) -> None:
    assert fs.find("sj://b/dir") == ["b/dir/a.txt", "b/dir/sub/b.txt", "b/dir/sub/c.txt"]
    assert fs.find("sj://b/dir", withdirs=True) == ["b/dir", "b/dir/a.txt", "b/dir/sub", "b/dir/sub/b.txt",
                                                    "b/dir/sub/c.txt"]
    assert fs.find("sj://b/top.txt") == ["b/top.txt"]
    assert fs.find("sj://b/dir", maxdepth=1) == ["b/dir/a.txt"]
    assert fs.glob("sj://b/dir/sub/*.txt") == ["b/dir/sub/b.txt", "b/dir/sub/c.txt"]
    assert fs.du("sj://b/dir") == 27 + 2 * 39


def test_cat_file_ranges(fs: StorjFileSystem) -> None:
    data = b"dir/a.txt" * 3
    assert fs.cat_file("sj://b/dir/a.txt") == data
    assert fs.cat_file("sj://b/dir/a.txt", start=4, end=9) == data[4:9]
    assert fs.cat_file("sj://b/dir/a.txt", start=-5) == data[-5:]
    assert fs.cat_file("sj://b/dir/a.txt", start=2, end=-2) == data[2:-2]
    assert fs.cat_file("sj://b/dir/a.txt", start=20, end=100) == data[20:]
    assert fs.cat_file("sj://b/dir/a.txt", start=9, end=3) == b""
    assert fs.cat("sj://b/dir/sub/*.txt") == {"b/dir/sub/b.txt": b"dir/sub/b.txt" * 3,
                                              "b/dir/sub/c.txt": b"dir/sub/c.txt" * 3}


def test_pipe_open_put_get(fs: StorjFileSystem, tmp_path: Path) -> None:
    fs.pipe_file("sj://b/new", b"hello")
    assert fs.cat("sj://b/new") == b"hello"
    with fs.open("sj://b/text.txt", "w") as f:
        f.write("one\ntwo\n")
    with fs.open("sj://b/text.txt", "r") as f:
        assert f.readlines() == ["one\n", "two\n"]
    with fs.open("sj://b/text.txt", "rb") as f:
        f.seek(4)
        assert f.read(3) == b"two"
    data = payload(300_000)
    local = tmp_path / "local.bin"
    local.write_bytes(data)
    fs.put(str(local), "sj://b/up/local.bin")
    fs.get("sj://b/up/local.bin", str(tmp_path / "back.bin"))
    assert (tmp_path / "back.bin").read_bytes() == data
    fs.get("sj://b/dir", str(tmp_path / "tree"), recursive=True)
    assert (tmp_path / "tree" / "sub" / "c.txt").read_bytes() == b"dir/sub/c.txt" * 3
    with pytest.raises(NotImplementedError):
        fs.open("sj://b/new", "ab")
    with pytest.raises(FileExistsError):
        fs.open("sj://b/new", "xb")


def test_writers_abort_when_the_with_block_raises(fs: StorjFileSystem) -> None:
    for mode in ("wb", "w"):
        with pytest.raises(RuntimeError):
            with fs.open(f"sj://b/aborted-{mode}", mode) as f:
                f.write(b"partial" if mode == "wb" else "partial")
                raise RuntimeError("stop")
        assert not fs.exists(f"sj://b/aborted-{mode}")
    with fs.open("sj://b/text", "w", encoding="latin-1", newline="\r\n") as f:
        f.write("é\n")
    assert fs.cat("sj://b/text") == b"\xe9\r\n"


def test_rm_cp_mv_and_buckets(fs: StorjFileSystem) -> None:
    fs.cp_file("sj://b/top.txt", "sj://b/copy.txt")
    assert fs.cat("sj://b/copy.txt") == b"top.txt" * 3
    fs.mv("sj://b/copy.txt", "sj://b/moved.txt")
    assert not fs.exists("sj://b/copy.txt") and fs.cat("sj://b/moved.txt") == b"top.txt" * 3
    fs.mv("sj://b/dir/sub", "sj://b/sub2", recursive=True)
    assert fs.find("sj://b/sub2") == ["b/sub2/b.txt", "b/sub2/c.txt"] and not fs.exists("sj://b/dir/sub")
    fs.rm("sj://b/sub2", recursive=True)
    assert not fs.exists("sj://b/sub2")
    with pytest.raises(FileNotFoundError):
        fs.rm("sj://b/sub2/b.txt")
    fs.rm("sj://b/other/*")
    assert not fs.exists("sj://b/other")
    fs.mkdir("sj://c")
    with pytest.raises(FileExistsError):
        fs.mkdir("sj://c")
    fs.makedirs("sj://c", exist_ok=True)
    fs.mkdir("sj://d/prefix")  # creates the bucket; the prefix is implicit
    assert fs.ls("sj://", detail=False) == ["b", "c", "d"]
    with pytest.raises(OSError) as caught:
        fs.rmdir("sj://b")
    assert caught.value.errno == 39 or "not empty" in str(caught.value)
    fs.rmdir("sj://c")
    fs.rm("sj://b", recursive=True)
    assert fs.ls("sj://", detail=False) == ["d"]


def test_credentials_are_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STORJ_ACCESS", raising=False)
    with pytest.raises(ValueError, match="STORJ_ACCESS"):
        StorjFileSystem(skip_instance_cache=True, satellite="s")


def test_setup_py_registers_the_fsspec_entry_point(tmp_path: Path) -> None:
    """egg_info from setup.py, put on sys.path, makes fsspec find sj:// and storj:// by entry point."""
    result = subprocess.run([sys.executable, "setup.py", "-q", "egg_info", "--egg-base", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "UPLINK_PYTHON_SKIP_LIBUPLINKC": "1"})
    assert result.returncode == 0, result.stderr
    check = ("import fsspec; from uplink_python.fs import StorjFileSystem;"
             "assert fsspec.get_filesystem_class('sj') is StorjFileSystem;"
             "assert fsspec.get_filesystem_class('storj') is StorjFileSystem; print('ok')")
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])})
    assert result.stdout.strip() == "ok", result.stderr


def test_batch_calls_run_concurrently_off_the_event_loop(tmp_path: Path) -> None:
    """asynchronous=True inside a running loop: fsspec's batch coroutines run several library calls at once,
    each on the file system's threads, never on the loop's."""
    project = MemoryProject()
    project.create_bucket("b")
    counted = InFlight(project, ("upload_object", "download_object", "stat_object"), together=4)

    async def scenario() -> tuple[int, dict[str, bytes]]:
        filesystem = StorjFileSystem(project=counted, asynchronous=True, max_concurrency=8)
        try:
            await filesystem._pipe({f"b/many/{i}": payload(1000 + i) for i in range(12)})
            read = await filesystem._cat([f"sj://b/many/{i}" for i in range(12)])
            await filesystem._get([f"b/many/{i}" for i in range(6)], [str(tmp_path / str(i)) for i in range(6)])
            return threading.get_ident(), read
        finally:
            filesystem.close()

    loop_thread, read = asyncio.run(scenario())
    assert read == {f"b/many/{i}": payload(1000 + i) for i in range(12)}
    assert all((tmp_path / str(i)).read_bytes() == payload(1000 + i) for i in range(6))
    assert 4 <= counted.peak <= 8 and counted.calls >= 30  # bounded by max_concurrency
    assert loop_thread not in counted.threads
    assert project.settled()


def test_sync_batch_calls_run_concurrently() -> None:
    project = MemoryProject()
    project.create_bucket("b")
    counted = InFlight(project, ("upload_object", "download_object", "delete_object"), together=3)
    filesystem = StorjFileSystem(project=counted, max_concurrency=3)
    try:
        filesystem.pipe({f"sj://b/k{i}": b"v%d" % i for i in range(9)})
        assert filesystem.cat([f"b/k{i}" for i in range(9)]) == {f"b/k{i}": b"v%d" % i for i in range(9)}
        filesystem.rm([f"b/k{i}" for i in range(9)])
        assert filesystem.ls("b", detail=False) == []
    finally:
        filesystem.close()
    assert counted.peak == 3 and counted.calls == 27
    with pytest.raises(ValueError, match="max_concurrency"):
        StorjFileSystem(project=project, max_concurrency=0)


def test_unknown_options_are_refused(fs: StorjFileSystem, tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="content_type"):
        fs.pipe_file("sj://b/x", b"v", content_type="text/plain")
    with pytest.raises(TypeError, match="range"):
        fs.cat_file("sj://b/top.txt", range="1")
    with pytest.raises(ValueError, match="version aware"):  # a version on a file system that is not version aware
        fs.cat_file("sj://b/top.txt", version_id="01")
    (tmp_path / "f").write_bytes(b"v")
    with pytest.raises(TypeError, match="acl"):
        fs.put_file(str(tmp_path / "f"), "sj://b/x", acl="public")
    assert not fs.exists("sj://b/x")


def test_pipe_and_put_in_a_transaction_commit_at_its_end(fs: StorjFileSystem, tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(payload(70_000))
    with fs.transaction:
        fs.pipe_file("sj://b/piped", b"piped")
        fs.put_file(str(tmp_path / "f"), "sj://b/put", metadata={"k": "v"})
        assert not fs.exists("sj://b/piped") and not fs.exists("sj://b/put")
    assert fs.cat("sj://b/piped") == b"piped" and fs.cat("sj://b/put") == payload(70_000)
    assert fs.info("sj://b/put")["metadata"] == {"k": "v"}
    with pytest.raises(RuntimeError):
        with fs.transaction:
            fs.pipe_file("sj://b/discarded", b"x")
            raise RuntimeError("the transaction fails")
    assert not fs.exists("sj://b/discarded")
