"""The fork guard (uplink_python._c.native and the finalizer path of _c.handle), with the fake library.

A child forked after the library was loaded must get ``ForkedProcessError`` at once from any call, and
must free nothing (the handles belong to the parent's Go runtime).
"""

from __future__ import annotations

import gc
import os
import sys
import time
from typing import Callable

from uplink_python._c import native as _native
from uplink_python._c import structs as d
from uplink_python.errors import ForkedProcessError
from uplink_python.listing import iter_buckets

from .helpers import open_project


def _in_child(work: Callable[[], str]) -> str:
    """Runs ``work`` in a forked child and returns what it reported (the child leaves without cleanup)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            message = work()
        except BaseException as error:  # noqa: BLE001
            message = f"wrong {type(error).__name__}: {error}"
        os.write(write_end, message.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        message = pipe.read().decode()
    os.waitpid(pid, 0)
    return message


def test_a_call_in_the_fork_child_raises_at_once_and_the_parent_goes_on(fake) -> None:
    project = open_project(fake)

    def work() -> str:
        started = time.monotonic()
        try:
            project.stat_bucket("b")
            return "no exception"
        except ForkedProcessError as error:
            calls = fake.uplink_stat_bucket.call_count
            return f"ok {time.monotonic() - started:.3f} {calls} {error}"

    message = _in_child(work)
    assert message.startswith("ok "), message
    _, seconds, calls, *text = message.split(" ")
    assert float(seconds) < 1.0 and calls == "0", message  # refused before calling into the library
    assert "spawn" in " ".join(text) and str(os.getpid()) in " ".join(text)
    fake.uplink_stat_bucket.return_value = fake.result(
        d._UplinkBucketResult, bucket=fake.pointer(d._UplinkBucket(name=b"b", created=1)))
    assert project.stat_bucket("b").name == "b"
    project.close()


def test_handles_dropped_or_closed_in_the_fork_child_free_nothing(fake) -> None:
    closed_there, dropped_there = open_project(fake), open_project(fake)

    def work() -> str:
        nonlocal dropped_there
        try:
            closed_there.close()
            closed = "closed"
        except ForkedProcessError:
            closed = "refused"
        unraisable: list[str] = []  # what a finalizer raised: nothing, it does not even try
        sys.unraisablehook = lambda report: unraisable.append(repr(report.exc_value))
        del dropped_there
        gc.collect()
        calls = fake.uplink_free_project_result.call_count + fake.uplink_close_project.call_count
        return f"{closed} {calls} {unraisable}"

    assert _in_child(work) == "refused 0 []"
    closed_there.close()  # the parent still owns and frees both
    dropped_there.close()
    assert fake.uplink_close_project.call_count == 2
    assert fake.uplink_free_project_result.call_count == 2


def test_fork_before_loading_leaves_the_child_free_to_load(mocker) -> None:
    mocker.patch.object(_native, "_library", None)
    assert _in_child(lambda: f"{_native.usable_here()} {_native._forked_from}") == "True None"


def test_a_listing_in_progress_refuses_in_the_fork_child(fake) -> None:
    with open_project(fake) as project:
        fake.uplink_list_buckets.return_value = fake.handle(d._UplinkBucketIterator)
        fake.uplink_bucket_iterator_next.side_effect = [True, True]
        fake.uplink_bucket_iterator_item.side_effect = [fake.pointer(d._UplinkBucket(name=b"x", created=1))] * 2
        buckets = iter_buckets(project)
        assert next(buckets).name == "x"

        def work() -> str:
            try:
                next(buckets)
                return "no exception"
            except ForkedProcessError as error:
                return f"ok {fake.uplink_bucket_iterator_next.call_count} {error}"

        message = _in_child(work)
        assert message.startswith("ok 1 "), message  # the C iterator was not called again in the child
        buckets.close()
