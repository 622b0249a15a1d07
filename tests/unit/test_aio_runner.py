"""CallRunner without the library: bounded threads, and cancellation that waits for the call, then undoes it."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from uplink_python.aio import CallRunner


def test_calls_run_off_the_loop_at_most_max_concurrency_at_once() -> None:
    inside, most, threads = 0, 0, set()
    lock = threading.Lock()

    def work() -> int:
        nonlocal inside, most
        with lock:
            inside += 1
            most = max(most, inside)
            threads.add(threading.get_ident())
        time.sleep(0.01)
        with lock:
            inside -= 1
        return 1

    async def main() -> int:
        runner = CallRunner(3)
        try:
            return sum(await asyncio.gather(*(runner.call(work) for _ in range(20))))
        finally:
            runner.shutdown()

    assert asyncio.run(main()) == 20
    assert most == 3 and threading.get_ident() not in threads


def test_a_cancelled_call_in_flight_is_let_return_then_undone() -> None:
    events: list[str] = []
    entered, release = threading.Event(), threading.Event()

    def call() -> str:
        entered.set()
        release.wait(10)
        events.append("call returned")
        return "result"

    async def main() -> None:
        runner = CallRunner(2)
        task = asyncio.ensure_future(runner.call(call, interrupt=lambda: events.append("interrupted"),
                                                 undo_result=lambda r: events.append(f"undo {r}"),
                                                 undo=lambda: events.append("undo")))
        while not entered.is_set():
            await asyncio.sleep(0.001)
        task.cancel()
        await asyncio.sleep(0.05)
        assert not task.done()  # still waiting for the call in flight
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await task
        runner.shutdown()

    asyncio.run(main())
    assert events == ["interrupted", "call returned", "undo result", "undo"]


def test_limits_are_checked() -> None:
    for bad in (0, -1, True, 1.5):
        with pytest.raises(ValueError):
            CallRunner(bad)  # type: ignore[arg-type]
