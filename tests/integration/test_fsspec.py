"""fsspec's sj:// on the local network: the file system API, fsspec.open, pandas and pyarrow."""

from __future__ import annotations

import errno
import gc
import os
from pathlib import Path
from typing import Iterator

import pytest

import fsspec  # noqa: E402  (installed by tests/run.sh: a missing one fails, never skips)

from uplink_python import Access, Project  # noqa: E402
from uplink_python.fs import StorjFileSystem  # noqa: E402

MiB = 1 << 20


@pytest.fixture
def serialized(access: Access) -> Iterator[str]:
    """The test's access as a string, for storage options; afterwards every file system it opened is closed
    (the access fixture then checks that no library handle is left)."""
    if "sj" not in fsspec.available_protocols():  # run from a checkout, not installed: no entry point to see
        fsspec.register_implementation("sj", StorjFileSystem, clobber=True)
        fsspec.register_implementation("storj", StorjFileSystem, clobber=True)
    StorjFileSystem.clear_instance_cache()
    yield access.serialize()
    for instance in list(StorjFileSystem._cache.values()):
        instance.close()
    StorjFileSystem.clear_instance_cache()
    gc.collect()


@pytest.fixture
def sj(serialized: str) -> StorjFileSystem:
    filesystem = fsspec.filesystem("sj", access=serialized)
    assert isinstance(filesystem, StorjFileSystem)
    return filesystem


def test_registered_for_both_protocols(serialized: str) -> None:
    assert fsspec.get_filesystem_class("sj") is StorjFileSystem
    assert fsspec.get_filesystem_class("storj") is StorjFileSystem
    assert fsspec.filesystem("storj", access=serialized) is fsspec.filesystem("sj", access=serialized)


def test_file_system_api(sj: StorjFileSystem, bucket: str, tmp_path: Path) -> None:
    root = f"sj://{bucket}"
    sj.pipe_file(f"{root}/top.txt", b"0123456789")
    sj.pipe_file(f"{root}/dir/a.txt", b"a" * 100)
    sj.pipe_file(f"{root}/dir/sub/b.txt", b"b" * 5000)  # remote, not inline
    assert bucket in sj.ls("sj://", detail=False)
    assert sj.ls(root, detail=False) == [f"{bucket}/dir", f"{bucket}/top.txt"]
    entries = {entry["name"]: entry for entry in sj.ls(f"{root}/dir")}
    assert entries[f"{bucket}/dir/a.txt"]["type"] == "file" and entries[f"{bucket}/dir/a.txt"]["size"] == 100
    assert entries[f"{bucket}/dir/sub"]["type"] == "directory"
    assert sj.info(f"{root}/dir/sub/b.txt")["size"] == 5000
    assert sj.info(f"{root}/dir")["type"] == "directory" and sj.info(root)["type"] == "directory"
    assert sj.exists(f"{root}/top.txt") and not sj.exists(f"{root}/nothing") and not sj.exists("sj://no-such-bucket/x")
    assert sorted(sj.find(root)) == [f"{bucket}/dir/a.txt", f"{bucket}/dir/sub/b.txt", f"{bucket}/top.txt"]

    assert sj.cat_file(f"{root}/top.txt") == b"0123456789"
    assert sj.cat_file(f"{root}/top.txt", start=2, end=5) == b"234"
    assert sj.cat_file(f"{root}/top.txt", start=-3) == b"789"
    assert sj.cat_file(f"{root}/dir/sub/b.txt", start=4990, end=6000) == b"b" * 10
    assert sj.cat_file(f"{root}/top.txt", start=20) == b""
    with pytest.raises(FileNotFoundError):
        sj.cat_file(f"{root}/nothing")

    with sj.open(f"{root}/opened.bin", "wb") as f:
        f.write(b"x" * MiB)
    with sj.open(f"{root}/opened.bin", "rb") as f:
        f.seek(MiB - 4)
        assert f.read() == b"xxxx"

    local = tmp_path / "local.bin"
    local.write_bytes(os.urandom(3 * MiB))
    sj.put(str(local), f"{root}/up/local.bin")
    sj.get(f"{root}/up/local.bin", str(tmp_path / "back.bin"))
    assert (tmp_path / "back.bin").read_bytes() == local.read_bytes()

    sj.cp_file(f"{root}/top.txt", f"{root}/copy.txt")
    sj.mv(f"{root}/copy.txt", f"{root}/moved.txt")
    assert not sj.exists(f"{root}/copy.txt") and sj.cat(f"{root}/moved.txt") == b"0123456789"
    sj.rm(f"{root}/dir", recursive=True)
    assert not sj.exists(f"{root}/dir") and sj.exists(f"{root}/top.txt")
    with pytest.raises(FileNotFoundError):
        sj.rm(f"{root}/dir/a.txt")


def test_buckets_as_directories(sj: StorjFileSystem, bucket: str) -> None:
    other = f"{bucket}-x"
    sj.mkdir(f"sj://{other}")
    with pytest.raises(FileExistsError):
        sj.mkdir(f"sj://{other}")
    sj.makedirs(f"sj://{other}", exist_ok=True)
    sj.pipe_file(f"sj://{other}/k", b"v")
    with pytest.raises(OSError) as caught:
        sj.rmdir(f"sj://{other}")
    assert caught.value.errno == errno.ENOTEMPTY
    sj.rm(f"sj://{other}/k")
    sj.rmdir(f"sj://{other}")
    assert other not in sj.ls("", detail=False)
    sj.mkdir(f"sj://{other}")
    sj.pipe_file(f"sj://{other}/a/b", b"v")
    sj.rm(f"sj://{other}", recursive=True)  # the bucket with its objects
    assert other not in sj.ls("", detail=False)


def test_fsspec_open_with_storage_options_and_environment(serialized: str, project: Project, bucket: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    with fsspec.open(f"sj://{bucket}/hello.txt", "w", access=serialized) as f:
        f.write("hello storj\n")
    with fsspec.open(f"sj://{bucket}/hello.txt", "r", access=serialized) as f:
        assert f.read() == "hello storj\n"
    assert project.stat_object(bucket, "hello.txt").system.content_length == 12
    monkeypatch.setenv("STORJ_ACCESS", serialized)
    with fsspec.open(f"storj://{bucket}/hello.txt", "rb") as f:
        assert f.read(5) == b"hello"


def test_pandas_csv_and_parquet(serialized: str, bucket: str) -> None:
    import pandas
    options = {"access": serialized}
    frame = pandas.DataFrame({"id": range(10_000), "name": [f"row {i}" for i in range(10_000)],
                              "value": [i * 0.5 for i in range(10_000)]})
    frame.to_csv(f"sj://{bucket}/frame.csv", index=False, storage_options=options)
    assert pandas.read_csv(f"sj://{bucket}/frame.csv", storage_options=options).equals(frame)
    frame.to_parquet(f"sj://{bucket}/frame.parquet", storage_options=options)
    assert pandas.read_parquet(f"sj://{bucket}/frame.parquet", storage_options=options).equals(frame)


def test_pyarrow_parquet(sj: StorjFileSystem, bucket: str) -> None:
    import pyarrow
    import pyarrow.parquet as pq

    table = pyarrow.table({"n": list(range(50_000)), "s": [str(i) for i in range(50_000)]})
    pq.write_table(table, f"{bucket}/tables/t.parquet", filesystem=sj, row_group_size=10_000)
    assert pq.read_table(f"{bucket}/tables/t.parquet", filesystem=sj).equals(table)
    subset = pq.ParquetFile(sj.open(f"sj://{bucket}/tables/t.parquet", "rb")).read_row_group(3, columns=["n"])
    assert subset.column("n").to_pylist() == list(range(30_000, 40_000))
    dataset = pq.read_table(f"{bucket}/tables", filesystem=sj)
    assert dataset.num_rows == 50_000


def test_get_into_a_folder_that_does_not_exist_yet(sj: StorjFileSystem, bucket: str, tmp_path: Path) -> None:
    sj.pipe_file(f"sj://{bucket}/dir/a.txt", b"a")
    sj.pipe_file(f"sj://{bucket}/dir/sub/b.txt", b"b")
    sj.get(f"sj://{bucket}/dir", str(tmp_path / "new" / "deeper"), recursive=True)
    assert (tmp_path / "new" / "deeper" / "a.txt").read_bytes() == b"a"
    assert (tmp_path / "new" / "deeper" / "sub" / "b.txt").read_bytes() == b"b"
    sj.get(f"sj://{bucket}/dir/a.txt", str(tmp_path / "other" / "a.txt"))
    assert (tmp_path / "other" / "a.txt").read_bytes() == b"a"


def test_transactions_commit_at_the_end_or_not_at_all(sj: StorjFileSystem, project: Project, bucket: str,
                                                      tmp_path: Path) -> None:
    with sj.transaction:
        with sj.open(f"sj://{bucket}/t1", "wb") as f:
            f.write(b"one")
        with sj.open(f"sj://{bucket}/t2", "w") as text:
            text.write("two")
        sj.pipe_file(f"sj://{bucket}/t4", b"four")
        assert not sj.exists(f"sj://{bucket}/t1")  # closed but not committed: nothing to see yet
        assert not sj.exists(f"sj://{bucket}/t4")
    assert sj.cat(f"sj://{bucket}/t1") == b"one" and sj.cat(f"sj://{bucket}/t2") == b"two"
    assert sj.cat(f"sj://{bucket}/t4") == b"four"
    with pytest.raises(RuntimeError):
        with sj.transaction:
            with sj.open(f"sj://{bucket}/t3", "wb") as f:
                f.write(b"three")
            local = tmp_path / "five"
            local.write_bytes(b"five")
            sj.put_file(str(local), f"sj://{bucket}/t5")
            raise RuntimeError("the transaction fails")
    assert not sj.exists(f"sj://{bucket}/t3") and not sj.exists(f"sj://{bucket}/t5")
    assert list(project.list_uploads(bucket)) == []  # discarded: nothing left pending


def test_read_caches_are_honoured_or_refused(sj: StorjFileSystem, bucket: str) -> None:
    sj.pipe_file(f"sj://{bucket}/c", os.urandom(100_000))
    with sj.open(f"sj://{bucket}/c", "rb", block_size=10_000) as f:
        f.read(1)
        assert f.raw.tell() == 10_000  # one read-ahead of block_size
    with sj.open(f"sj://{bucket}/c", "rb", block_size=10_000, cache_type="readahead") as f:
        f.read(1)
        assert f.raw.tell() == 10_000
    with sj.open(f"sj://{bucket}/c", "rb", cache_type="none") as f:
        f.read(1)
        assert f.raw.tell() == 1  # nothing read ahead
    with pytest.raises(ValueError, match="cache_type"):
        sj.open(f"sj://{bucket}/c", "rb", cache_type="blockcache")
    with pytest.raises(ValueError, match="cache_options"):
        sj.open(f"sj://{bucket}/c", "rb", cache_options={"maxblocks": 4})
    with pytest.raises(ValueError, match="for reading"):
        sj.open(f"sj://{bucket}/w", "wb", cache_type="readahead")
    with pytest.raises(TypeError, match="content_type"):
        sj.open(f"sj://{bucket}/w", "wb", content_type="text/plain")
    assert not sj.exists(f"sj://{bucket}/w")
