"""One Project shared by many threads: its calls run side by side, and closing it mid-flight is clean."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from uplink_python import ListObjectsOptions, Project
from uplink_python.errors import ClosedError, StorjException

from .conftest import sha256

THREADS = 16
OBJECTS_PER_THREAD = 8


def _round_trip(project: Project, bucket: str, worker: int) -> dict[str, str]:
    """Uploads, stats and downloads this worker's objects; returns key -> SHA-256 of the bytes read back."""
    read_back = {}
    for index in range(OBJECTS_PER_THREAD):
        key = f"w{worker}/o{index}"
        data = os.urandom(1024 * (1 + (worker * OBJECTS_PER_THREAD + index) % 48))
        with project.upload_object(bucket, key) as upload:
            upload.write(data)
            upload.commit()
        assert project.stat_object(bucket, key).system.content_length == len(data)
        with project.download_object(bucket, key) as download:
            received = download.read(len(data) + 1)[0]
        assert sha256(received) == sha256(data), key
        read_back[key] = sha256(received)
    return read_back


def test_many_threads_upload_stat_and_download_on_one_project(project: Project, bucket: str) -> None:
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda worker: _round_trip(project, bucket, worker), range(THREADS)))
    keys = {key for result in results for key in result}
    assert len(keys) == THREADS * OBJECTS_PER_THREAD
    listed = {obj.key for obj in project.list_objects(bucket, ListObjectsOptions(recursive=True))}
    assert listed == keys


def test_closing_a_project_while_threads_call_it_gives_typed_errors(project: Project, bucket: str) -> None:
    with project.upload_object(bucket, "seed") as upload:
        upload.write(b"seed")
        upload.commit()
    calls_made = threading.Semaphore(0)
    outcomes: list[BaseException] = []
    lock = threading.Lock()

    def stat() -> None:
        project.stat_object(bucket, "seed")

    def upload() -> None:
        with project.upload_object(bucket, f"racing-{threading.get_ident()}") as racing:
            racing.write(os.urandom(4096))
            racing.commit()

    def hammer(call: Callable[[], None]) -> None:
        try:
            while True:
                call()
                calls_made.release()
        except BaseException as failure:  # noqa: BLE001 - every outcome is checked below
            with lock:
                outcomes.append(failure)

    threads = [threading.Thread(target=hammer, args=(stat if index % 2 else upload,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for _ in range(40):  # the threads are calling the project
        assert calls_made.acquire(timeout=60)
    project.close()
    for thread in threads:
        thread.join(60)
        assert not thread.is_alive()
    assert len(outcomes) == len(threads)
    # Each thread ended on a typed error: the project (or its upload) closed under it, or a call it had in
    # flight cancelled by the close; never anything untyped, and the process is alive.
    assert all(isinstance(outcome, StorjException) for outcome in outcomes), outcomes
    assert any(isinstance(outcome, ClosedError) for outcome in outcomes)
    assert project.closed
