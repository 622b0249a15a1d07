"""The event loop's own path into libuplinkc: C calls started without blocking, finished by the library.

The sync API's methods are written as steps (``uplink_python._c.steps``): each blocking C call is a
``CCall``. ``drive`` runs those steps for an async method. A call that has an asynchronous twin in our
libuplinkc (``upy_async_stat_object`` for ``upy_stat_object``...) is started from the loop's thread by the
twin, which returns at once; the work runs on a goroutine of its own, and the result comes back through
the library's completion queue, whose pipe the loop watches (``Completions``). No thread of ours waits,
and the GIL is not fought over. A call without a twin (and every call with an upstream uplink-c library)
runs in the ``CallRunner``'s threads, as before.
"""

from __future__ import annotations

import asyncio
import ctypes
from typing import TYPE_CHECKING, Any, Callable, Optional, TypeVar

from .._c import capi, native
from .._c import ext_def as e
from .._c.handle import Owned
from .._c.native import lib
from .._c.results import check, own
from .._c.steps import CCall, Finished, Steps, advance

if TYPE_CHECKING:
    from ._runner import CallRunner

T = TypeVar("T")

# The twin of each C function the steps yield: the same call (same arguments after the queue and token),
# started without blocking. Functions not named here run in a thread.
TWINS = {
    "upy_stat_object": "upy_async_stat_object",
    "upy_delete_object": "upy_async_delete_object",
    "uplink_upload_object": "upy_async_upload_object",
    "uplink_download_object": "upy_async_download_object",
    "uplink_upload_write": "upy_async_upload_write",
    "uplink_upload_commit": "upy_async_upload_commit",
    "uplink_upload_abort": "upy_async_upload_abort",
    "uplink_download_read": "upy_async_download_read",
    "uplink_close_download": "upy_async_close_download",
    "uplink_stat_bucket": "upy_async_stat_bucket",
    "uplink_create_bucket": "upy_async_create_bucket",
    "uplink_ensure_bucket": "upy_async_ensure_bucket",
    "uplink_delete_bucket": "upy_async_delete_bucket",
}

# Completions taken from the library per call: a batch as large as the calls usually in flight.
BATCH = 64
_ENTRY = ctypes.sizeof(e._UpyCompletion)
_WORD = ctypes.sizeof(ctypes.c_void_p)


class _Twin:
    """How one C function is started natively, and how its result is read back out of a completion."""

    __slots__ = ("start", "result_type", "offset")

    def __init__(self, start: Callable[..., Any], result_type: Any) -> None:
        self.start = start
        self.result_type = result_type
        # A completion is {token, value, error}; a result struct is {value, error}, a bare error {error}.
        bare_error = not issubclass(result_type, ctypes.Structure)
        self.offset = 2 * _WORD if bare_error else _WORD


_twins_of: Optional[tuple[Any, dict[str, _Twin]]] = None


def twins() -> dict[str, _Twin]:
    """The twins the loaded library has, by the name of the function each one mirrors (none upstream)."""
    global _twins_of
    library = lib()
    known = _twins_of
    if known is None or known[0] is not library:
        found: dict[str, _Twin] = {}
        if native.has_extensions() and hasattr(library, "upy_async_queue_new"):
            for name, twin in TWINS.items():
                found[name] = _Twin(getattr(library, twin), capi.DECLARATIONS[name][0])
        known = _twins_of = (library, found)
    return known[1]


class _Queue(Owned, kind="completion queue", handle_field="queue",
             free=lambda library: library.upy_free_async_queue_result):
    """The library's completion queue: freed once, even when dropped (calls finishing later free their
    own results then)."""


class Completions:
    """One completion queue of the library, watched by one event loop.

    ``start`` begins a call through its twin and returns a future of the loop that gets the call's C
    result (the struct the sync call returns); the caller converts and frees it, as the sync steps do.
    The arguments are kept here until the result is back: the library reads them while the call runs.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        library = lib()
        result = own(library.upy_async_queue_new(), library.upy_free_async_queue_result, "queue")
        self._queue = _Queue(result)
        self._handle = result.queue
        self._fd = int(result.fd)
        self._loop = loop
        self._twins = twins()
        self._pending: dict[int, tuple[asyncio.Future[Any], CCall, _Twin]] = {}
        self._last_token = 0
        self._batch = (e._UpyCompletion * BATCH)()
        self._idle: Optional[asyncio.Future[None]] = None
        try:
            loop.add_reader(self._fd, self._take)
        except NotImplementedError:  # a loop that cannot watch a pipe (Windows' proactor): threads then
            self._queue.close()
            raise

    @property
    def in_flight(self) -> int:
        """Calls started and not finished yet."""
        return len(self._pending)

    def start(self, call: CCall) -> Optional[asyncio.Future[Any]]:
        """Starts ``call`` through its twin; None when it has none (the caller runs it in a thread).

        Raises what ctypes raises for a bad argument, before anything started.
        """
        twin = self._twins.get(call.name)
        if twin is None:
            return None
        if self._loop is not asyncio.get_running_loop():
            raise RuntimeError("an AsyncProject is used from the event loop it was opened in, not another")
        self._last_token += 1
        token = self._last_token
        check(twin.start(self._handle, token, *call.args))  # refused only for a freed queue
        future: asyncio.Future[Any] = self._loop.create_future()
        self._pending[token] = (future, call, twin)
        return future

    def _take(self) -> None:
        """The pipe is readable: hands every finished call's result to its future."""
        library, batch, pending = lib(), self._batch, self._pending
        while True:
            count = library.upy_async_queue_take(self._handle, batch, BATCH)
            for index in range(count):
                future, _, twin = pending.pop(batch[index].token)
                result = twin.result_type.from_buffer_copy(batch, index * _ENTRY + twin.offset)
                future.set_result(result)  # never cancelled: the drivers shield it
            if count < BATCH:
                break
        if not pending and self._idle is not None and not self._idle.done():
            self._idle.set_result(None)

    async def idle(self) -> None:
        """Returns once no call is in flight."""
        while self._pending:
            if self._idle is None or self._idle.done():
                self._idle = self._loop.create_future()
            await asyncio.shield(self._idle)

    def close(self) -> None:
        """Stops watching the pipe and frees the queue; call it only once ``idle`` returned."""
        if self._queue.closed:
            return
        self._loop.remove_reader(self._fd)
        self._queue.close()


async def _outcome(future: "asyncio.Future[Any]") -> None:
    """Waits for ``future`` to be done, through any number of cancellations of the awaiting task; its
    exception, if any, is then retrieved (so asyncio does not log it) and left for the caller to read."""
    while not future.done():
        try:
            await asyncio.shield(future)
        except asyncio.CancelledError:
            continue
        except BaseException:  # noqa: BLE001 - the caller reads the outcome from the future
            break
    if not future.cancelled():
        future.exception()


def _begin(call: CCall, completions: Optional[Completions], runner: "CallRunner") -> "asyncio.Future[Any]":
    """The call started natively when it can be, else in a thread of the runner."""
    started = completions.start(call) if completions is not None else None
    return started if started is not None else runner.submit(call.function, *call.args)


async def drive(steps: Steps[T], completions: Optional[Completions], runner: "CallRunner",
                undo_value: Optional[Callable[[T], None]] = None) -> T:
    """Runs a method's steps for asyncio: each C call started off the loop, its result sent back in.

    Cancelled while a call is in flight, the call is let finish (it cannot be stopped in the library) and
    its result is sent into the steps, which own and free it as always; they are then stopped at their
    next call. If they returned instead (say, the opened upload), ``undo_value(value)`` runs in a thread
    (aborting the upload). Only then is the cancellation raised: nothing is left pending or leaked.
    """
    try:
        return await _drive(steps, completions, runner, undo_value)
    finally:
        steps.close()  # on this thread, which holds what the steps hold (a no-op once they ended)


async def _drive(steps: Steps[T], completions: Optional[Completions], runner: "CallRunner",
                 undo_value: Optional[Callable[[T], None]]) -> T:
    result: Any = None
    failure: Optional[BaseException] = None
    while not isinstance(call := advance(steps, result, failure), Finished):
        try:
            pending = _begin(call, completions, runner)
        except Exception as error:  # noqa: BLE001 - a bad argument: raised by the steps, as in sync
            result, failure = None, error
            continue
        try:
            result, failure = await asyncio.shield(pending), None
        except asyncio.CancelledError:
            await _undo(steps, pending, runner, undo_value)
            raise
        except Exception as error:  # noqa: BLE001 - raised by the C call in a thread (ctypes): to the steps
            result, failure = None, error
    return call.value


async def _undo(steps: Steps[T], pending: "asyncio.Future[Any]", runner: "CallRunner",
                undo_value: Optional[Callable[[T], None]]) -> None:
    """After a cancellation: the call's result handed to the steps, which are then stopped (see drive)."""
    await _outcome(pending)
    try:
        if pending.cancelled():  # the runner shut down before the call ran
            steps.throw(asyncio.CancelledError())
        elif pending.exception() is not None:
            steps.throw(pending.exception())  # type: ignore[arg-type]
        else:
            steps.send(pending.result())
    except StopIteration as stop:
        if undo_value is not None:
            await _outcome(runner.submit(undo_value, stop.value))
        return
    except BaseException:  # noqa: BLE001 - the cancellation is what the task raises
        return
    try:
        steps.throw(asyncio.CancelledError())  # they wanted another call: stop them there
    except BaseException:  # noqa: BLE001 - the CancelledError coming back, or what they raised instead
        pass


__all__ = ["BATCH", "Completions", "TWINS", "drive", "twins"]
