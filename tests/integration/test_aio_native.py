"""aio's native path on the local network: the calls that have a twin in libuplinkc start from the event loop
and finish through the library's completion queue, with no thread of ours; without the twins (an upstream
library) the same calls run in the runner's threads and give the same results."""

from __future__ import annotations

import asyncio
import hashlib
import os
from typing import Any, Callable

import pytest

from uplink_python import Access, BucketNotFoundError, ClosedError, ObjectNotFoundError, Project, Uplink
from uplink_python.aio import AsyncProject, AsyncUplink, CallRunner
from uplink_python.aio import _native

from .test_aio import run


def record_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the functions the runners run in their threads from now on."""
    names: list[str] = []
    submit, call = CallRunner.submit, CallRunner.call

    def recorded(original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(self: CallRunner, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            names.append(getattr(function, "__name__", repr(function)))
            return original(self, function, *args, **kwargs)
        return wrapper

    monkeypatch.setattr(CallRunner, "submit", recorded(submit))
    monkeypatch.setattr(CallRunner, "call", recorded(call))
    return names


PAYLOADS = {f"native/{i:02d}": os.urandom(1 + i * 1531) for i in range(40)}


def small_calls(bucket: str, threads: list[str]) -> Callable[[AsyncProject], Any]:
    """Buckets and objects through every call with a twin, 40 objects at a time; returns what it saw and
    the functions that ran in threads meanwhile (opening the project's connections, and closing them, are
    not counted: the project opens one sync project per call in flight, in a thread, on first need)."""
    async def scenario(project: AsyncProject) -> dict[str, Any]:
        await asyncio.gather(*(project.stat_bucket(bucket) for _ in PAYLOADS))
        threads.clear()

        async def put(key: str) -> None:
            async with project.upload_object(bucket, key) as upload:
                assert await upload.write(PAYLOADS[key]) == len(PAYLOADS[key])

        async def get(key: str) -> str:
            async with project.download_object(bucket, key) as download:
                data, _ = await download.read(len(PAYLOADS[key]))
                buffer = bytearray(16)
                assert await download.readinto(buffer) == 0  # at the end
            return hashlib.sha256(data).hexdigest()

        extra = bucket + "-native"
        seen: dict[str, Any] = {"created": (await project.create_bucket(extra)).name}
        seen["ensured"] = (await project.ensure_bucket(extra)).name
        seen["stat bucket"] = (await project.stat_bucket(extra)).name
        seen["deleted bucket"] = (await project.delete_bucket(extra)).name
        with pytest.raises(BucketNotFoundError):
            await project.stat_bucket(extra)
        await asyncio.gather(*(put(key) for key in PAYLOADS))
        sizes = await asyncio.gather(*(project.stat_object(bucket, key) for key in PAYLOADS))
        seen["sizes"] = [obj.system.content_length for obj in sizes]
        seen["hashes"] = await asyncio.gather(*(get(key) for key in PAYLOADS))
        deleted = await asyncio.gather(*(project.delete_object(bucket, key) for key in PAYLOADS))
        seen["deleted"] = sorted(obj.key for obj in deleted if obj is not None)
        with pytest.raises(ObjectNotFoundError):
            await project.stat_object(bucket, next(iter(PAYLOADS)))
        upload = await project.upload_object(bucket, "aborted")
        await upload.write(b"never seen")
        await upload.abort()
        await upload.close()
        seen["threads"] = list(threads)
        return seen

    return scenario


def expected_of(bucket: str) -> dict[str, Any]:
    extra = bucket + "-native"
    return {"created": extra, "ensured": extra, "stat bucket": extra, "deleted bucket": extra,
            "sizes": [len(p) for p in PAYLOADS.values()],
            "hashes": [hashlib.sha256(p).hexdigest() for p in PAYLOADS.values()], "deleted": sorted(PAYLOADS)}


def test_small_calls_run_from_the_loop_without_threads(access: Access, bucket: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    threads = record_threads(monkeypatch)
    seen = run(small_calls(bucket, threads), access)
    assert seen.pop("threads") == []
    assert seen == expected_of(bucket)


def test_without_twins_the_same_calls_run_in_threads(access: Access, bucket: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_native, "TWINS", {})
    monkeypatch.setattr(_native, "_twins_of", None)
    threads = record_threads(monkeypatch)
    seen = run(small_calls(bucket, threads), access)
    ran = set(seen.pop("threads"))
    assert {"upy_stat_object", "uplink_upload_write", "uplink_download_read", "uplink_close_download",
            "uplink_upload_commit", "uplink_upload_abort", "uplink_create_bucket"} <= ran
    assert seen == expected_of(bucket)


def test_calls_in_flight_stay_within_max_concurrency(access: Access, bucket: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    most = 0
    start = _native.Completions.start

    def counting(self: _native.Completions, call: Any) -> Any:
        nonlocal most
        started = start(self, call)
        most = max(most, self.in_flight)
        return started

    monkeypatch.setattr(_native.Completions, "start", counting)

    async def scenario(project: AsyncProject) -> None:
        await asyncio.gather(*(project.stat_bucket(bucket) for _ in range(60)))

    run(scenario, access, max_concurrency=7)
    assert most == 7


def test_a_project_is_used_from_the_loop_it_was_opened_in(access: Access, bucket: str) -> None:
    async def opened() -> Any:
        aio_access = await AsyncUplink().parse_access(access.serialize())
        project = await aio_access.open_project()
        await project.stat_bucket(bucket)  # its completion queue now belongs to this loop
        return aio_access, project

    loop = asyncio.new_event_loop()
    aio_access, project = loop.run_until_complete(opened())
    try:
        with pytest.raises(RuntimeError, match="event loop"):
            asyncio.run(project.stat_bucket(bucket))
    finally:
        loop.run_until_complete(project.close())
        loop.run_until_complete(aio_access.close())
        loop.close()


def test_a_cancelled_close_still_closes_everything(access: Access, project: Project, bucket: str) -> None:
    """close() cancelled while calls are in flight: it raises CancelledError once the calls ended and the
    projects and the completion queue are closed: no handle is left while the object is still referenced."""
    async def main() -> None:
        aio_access = await AsyncUplink().parse_access(access.serialize())
        aio = await aio_access.open_project()
        calls = [asyncio.ensure_future(aio.stat_bucket(bucket)) for _ in range(20)]
        await asyncio.sleep(0)  # the calls start
        closing = asyncio.ensure_future(aio.close())
        await asyncio.sleep(0)
        closing.cancel()
        with pytest.raises(asyncio.CancelledError):
            await closing
        assert aio.closed
        results = await asyncio.gather(*calls, return_exceptions=True)
        assert all(getattr(r, "name", None) == bucket or isinstance(r, ClosedError) for r in results), results
        await aio_access.close()
        project.close()  # the test's own project and access: now nothing should hold a handle
        access.close()
        assert Uplink.internal_universe_is_empty()  # while aio is still referenced: closed, not dropped

    asyncio.run(main())
