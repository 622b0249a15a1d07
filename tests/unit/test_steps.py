"""Steps: one method body for the sync API (``steps.run``) and for aio (``_native.drive``), cancellation
included. The C calls here are plain Python functions run in a CallRunner's threads (no twins)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from uplink_python._c.steps import CCall, Steps, run
from uplink_python.aio import CallRunner
from uplink_python.aio._native import drive


def refuse(value: Any) -> Any:
    raise ValueError(f"bad argument {value!r}")


def two_calls(log: list[str]) -> Steps[str]:
    try:
        first: str = yield CCall(str.upper, "a")
        log.append(f"got {first}")
        try:
            yield CCall(refuse, 7)
        except ValueError as error:
            log.append(f"raised at the call: {error}")
        second: str = yield CCall(str.lower, "B")
        return first + second
    finally:
        log.append("ended")


def test_run_makes_each_call_and_throws_its_exception_into_the_steps() -> None:
    log: list[str] = []
    assert run(two_calls(log)) == "Ab"
    assert log == ["got A", "raised at the call: bad argument 7", "ended"]


def test_drive_gives_the_same_result_as_run() -> None:
    log: list[str] = []
    runner = CallRunner(2)
    try:
        assert asyncio.run(drive(two_calls(log), None, runner)) == "Ab"
    finally:
        runner.shutdown()
    assert log == ["got A", "raised at the call: bad argument 7", "ended"]


class _Gate:
    """A C call that blocks until released, so a test can cancel while it is in flight."""

    def __init__(self) -> None:
        self.entered, self.release = threading.Event(), threading.Event()
        self.calls = 0

    def __call__(self, value: str) -> str:
        self.calls += 1
        self.entered.set()
        assert self.release.wait(10)
        return value


def cancel_in_flight(steps: Steps[Any], gate: _Gate, **drive_options: Any) -> None:
    """Drives ``steps`` in a loop of its own and cancels the task while ``gate`` holds its first call; checks
    the task waits for that call, then ends cancelled."""
    async def main() -> None:
        task = asyncio.ensure_future(drive(steps, None, runner, **drive_options))
        await asyncio.get_running_loop().run_in_executor(None, gate.entered.wait)
        task.cancel()
        await asyncio.sleep(0.01)
        assert not task.done()  # waits for the call in flight
        gate.release.set()
        with pytest.raises(asyncio.CancelledError):
            await task

    runner = CallRunner(1)
    try:
        asyncio.run(main())
    finally:
        runner.shutdown()


def test_cancelled_in_flight_the_result_still_reaches_the_steps_and_the_value_is_undone() -> None:
    gate, log, undone = _Gate(), [], []  # type: tuple[_Gate, list[str], list[str]]

    def opening() -> Steps[str]:
        try:
            handle: str = yield CCall(gate, "handle")
            log.append(f"owns {handle}")
            return handle
        finally:
            log.append("ended")

    cancel_in_flight(opening(), gate, undo_value=undone.append)
    assert log == ["owns handle", "ended"] and undone == ["handle"]


def test_cancelled_steps_stop_at_their_next_call() -> None:
    gate, log = _Gate(), []
    second_calls: list[str] = []

    def writes() -> Steps[None]:
        try:
            log.append(f"wrote {(yield CCall(gate, 'first'))}")
            yield CCall(second_calls.append, "second")
            log.append("not reached")
        except asyncio.CancelledError:
            log.append("stopped")
            raise

    cancel_in_flight(writes(), gate)
    assert log == ["wrote first", "stopped"] and second_calls == [] and gate.calls == 1
