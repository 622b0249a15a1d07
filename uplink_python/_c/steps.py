"""A method's blocking C calls as steps, so one body serves the sync API and ``uplink_python.aio``.

A method written as steps is a generator: it prepares the arguments, ``yield``s each blocking C call as a
``CCall`` and receives the call's result back, then converts it (through ``results``, as every call
site does) and returns the method's value. ``run`` makes the calls one after the other on the calling
thread: that is the sync method. The aio driver (``uplink_python.aio._native``) starts each call without
blocking the event loop, and sends the result in when it arrives.

What the generator holds across a ``yield`` (the handle's ``_call()`` block, a pinned buffer) stays held
until the call's result is back, which is what keeps the handle and the buffer valid for the library.
Calls that never block (an object's ``info``, a free) are made directly, not yielded.
"""

from __future__ import annotations

from typing import Any, Callable, Generator, Generic, Optional, TypeVar, Union

T = TypeVar("T")


class CCall:
    """One blocking call of a C function of the library: ``function(*args)``."""

    __slots__ = ("function", "args")

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self.function = function
        self.args = args

    @property
    def name(self) -> str:
        """The C function's name (ctypes functions carry it)."""
        return str(getattr(self.function, "__name__", "?"))


Steps = Generator[CCall, Any, T]
"""A method's body as steps: yields each blocking ``CCall``, receives its result, returns the value."""


class Finished(Generic[T]):
    """What ``advance`` returns once the steps returned: their value."""

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value


def advance(steps: Steps[T], result: Any, failure: Optional[BaseException]) -> Union[CCall, Finished[T]]:
    """The steps' next call after handing them the last call's result (or throwing its exception into
    them, as it would have been raised at the call in a plain method); ``Finished`` once they return."""
    try:
        return steps.send(result) if failure is None else steps.throw(failure)
    except StopIteration as stop:
        return Finished(stop.value)


def run(steps: Steps[T]) -> T:
    """Runs ``steps`` on this thread, each call as it comes: the method's sync behaviour."""
    result: Any = None
    failure: Optional[BaseException] = None
    while not isinstance(step := advance(steps, result, failure), Finished):
        try:
            result, failure = step.function(*step.args), None
        except BaseException as error:  # noqa: BLE001 - handed to the steps, which re-raise it
            result, failure = None, error
    return step.value


__all__ = ["CCall", "Finished", "Steps", "advance", "run"]
