"""Runs the sync API's blocking calls off the event loop, in a bounded thread pool, undone when cancelled."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Awaitable, Callable, Optional, TypeVar

T = TypeVar("T")

DEFAULT_MAX_CONCURRENCY = 32
"""Threads a ``CallRunner`` (so an ``AsyncUplink``) uses when not told otherwise."""

_NOTHING: Any = object()


def check_limit(value: Any, name: str) -> int:
    """``value`` as a concurrency limit: an int >= 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be an int >= 1, got {value!r}")
    return value


async def uninterruptible(coroutine: Awaitable[Any]) -> None:
    """Runs ``coroutine`` to its end even when the awaiting task is cancelled (again) meanwhile.

    Clean-up after a cancellation uses it: an abort that is itself cancelled would leave work pending.
    Its result or exception is dropped: the caller is about to raise its own.
    """
    task = asyncio.ensure_future(coroutine)
    while not task.done():
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            continue
        except Exception:  # noqa: BLE001 - see the docstring
            break
    if not task.cancelled():
        task.exception()  # retrieved, so asyncio does not log it as never retrieved


class CallRunner:
    """Runs blocking calls of the sync API in at most ``max_concurrency`` threads, off the event loop.

    ctypes releases the GIL for the length of every C call, so the loop (and other calls) run while a
    call waits on the network. Calls beyond the limit wait in order. One runner may be shared by several
    ``AsyncUplink`` objects; its threads are started on demand.
    """

    def __init__(self, max_concurrency: int = DEFAULT_MAX_CONCURRENCY) -> None:
        self._max_concurrency = check_limit(max_concurrency, "max_concurrency")
        self._executor = ThreadPoolExecutor(max_workers=max_concurrency, thread_name_prefix="uplink-aio")

    @property
    def max_concurrency(self) -> int:
        """The most calls this runner runs at once."""
        return self._max_concurrency

    def shutdown(self, wait: bool = True) -> None:
        """Stops the runner's threads (after the calls in flight, when ``wait``); later calls raise."""
        self._executor.shutdown(wait=wait)

    def submit(self, function: Callable[..., T], *args: Any) -> "asyncio.Future[T]":
        """``function(*args)`` started in a thread of the runner, as a future of the running loop."""
        return asyncio.wrap_future(self._executor.submit(function, *args))

    async def call(self, function: Callable[..., T], *args: Any,
                   interrupt: Optional[Callable[[], None]] = None, undo: Optional[Callable[[], None]] = None,
                   undo_result: Optional[Callable[[T], None]] = None) -> T:
        """``function(*args)`` run in a thread of the runner; its result, or its exception raised.

        When the awaiting task is cancelled, the call may be running in its thread already and cannot be
        stopped mid-call. Then ``interrupt()`` is called at once (on the loop: it must not block), the
        call is let return, and the work it started is undone: ``undo_result(result)`` if it returned
        one, then ``undo()`` (which also runs when the call never started). Only then is the
        cancellation raised, so a cancelled task leaves nothing pending.
        """
        future = self._executor.submit(function, *args)
        try:
            return await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            started = not future.cancel()
            if started and interrupt is not None:
                interrupt()
            if started or undo is not None:
                await uninterruptible(self._undo(future, undo, undo_result))
            raise

    async def _undo(self, future: "Future[T]", undo: Optional[Callable[[], None]],
                    undo_result: Optional[Callable[[T], None]]) -> None:
        try:
            result = await asyncio.wrap_future(future)  # the call in flight returns first
        except BaseException:  # noqa: BLE001 - failed or never started: there is no result to undo
            result = _NOTHING
        loop = asyncio.get_running_loop()
        if undo_result is not None and result is not _NOTHING:
            await _quietly(loop.run_in_executor(self._executor, undo_result, result))
        if undo is not None:
            await _quietly(loop.run_in_executor(self._executor, undo))


async def _quietly(step: "asyncio.Future[Any]") -> None:
    # Undoing after a cancellation has nobody to report a failure to: the task raises CancelledError.
    try:
        await step
    except Exception:  # noqa: BLE001
        pass


_default_lock = threading.Lock()
_default: Optional[CallRunner] = None


def default_runner() -> CallRunner:
    """The process-wide runner of ``DEFAULT_MAX_CONCURRENCY`` threads, made on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = CallRunner()
        return _default


__all__ = ["CallRunner", "DEFAULT_MAX_CONCURRENCY", "default_runner", "check_limit", "uninterruptible"]
