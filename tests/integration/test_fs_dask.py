"""Scaling out: dask.distributed workers in two other processes write and read a parquet dataset on sj://."""

from __future__ import annotations

import gc
from typing import Iterator

import dask.dataframe as dd
import fsspec
import pandas
import pytest
from distributed import Client, LocalCluster

from uplink_python import Access, ListObjectsOptions
from uplink_python.fs import StorjFileSystem


@pytest.fixture
def storage_options(access: Access) -> Iterator[dict[str, str]]:
    """Credentials for sj://; afterwards the file systems dask opened in this process are closed."""
    StorjFileSystem.clear_instance_cache()
    yield {"access": access.serialize()}
    for instance in list(StorjFileSystem._cache.values()):
        instance.close()
    StorjFileSystem.clear_instance_cache()
    gc.collect()


@pytest.fixture
def client() -> Iterator[Client]:
    # Worker processes are spawned (distributed's default), never forked: each loads its own libuplinkc.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as dask_client:
            _register_sj()
            dask_client.run(_register_sj)
            yield dask_client


def _register_sj() -> None:
    # Run from a checkout the package is not installed, so fsspec has no entry point to find sj:// by;
    # registering it by name imports nothing until it is used.
    for protocol in ("sj", "storj"):
        if protocol not in fsspec.available_protocols():
            fsspec.register_implementation(protocol, "uplink_python.fs.StorjFileSystem", clobber=True)


def test_two_worker_processes_write_and_read_a_partitioned_parquet_dataset(
        client: Client, access: Access, storage_options: dict[str, str], bucket: str) -> None:
    options = storage_options
    frame = pandas.DataFrame({"id": range(10_000), "group": [i % 7 for i in range(10_000)],
                              "value": [i * 0.5 for i in range(10_000)]})
    path = f"sj://{bucket}/dataset"
    dd.from_pandas(frame, npartitions=8).to_parquet(path, storage_options=options, write_index=False)
    assert len(client.scheduler_info()["workers"]) == 2

    written = dd.read_parquet(path, storage_options=options)
    assert written.npartitions == 8
    back = written.compute().sort_values("id").reset_index(drop=True)
    pandas.testing.assert_frame_equal(back, frame, check_dtype=False)
    # The reads and writes ran in the two worker processes: each loaded its own libuplinkc.
    loaded = client.run(_libuplinkc_loaded_here)
    assert len(loaded) == 2 and all(loaded.values())
    with access.open_project() as project:
        parts = [o.key for o in project.iter_objects(bucket, ListObjectsOptions(prefix="dataset/"))]
    assert len([key for key in parts if key.endswith(".parquet")]) == 8


def _libuplinkc_loaded_here() -> bool:
    from uplink_python._c import native as _native

    return _native.loaded_path() is not None
