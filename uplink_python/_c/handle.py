"""Ownership of one libuplinkc handle: closed once, freed even when dropped, never used after close."""

from __future__ import annotations

import threading
import weakref
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional

from .native import lib
from .results import check
from ..errors import ClosedError

if TYPE_CHECKING:
    from .capi import Library
    from ..uplink import Uplink


# How an owner finds its close and free functions in the library: looked up at each use, so a forked
# child's refusing library (see _fork) is what answers there.
FunctionOf = Callable[["Library"], Any]


def _release(result: Any, close: Optional[FunctionOf], free: FunctionOf, handle_field: str) -> Any:
    """Closes (when the handle has a close call) and frees a result; returns the close error pointer.

    Used both by ``close()`` and by the finalizer of an object dropped without close.
    """
    library = lib()
    error = None
    try:
        if close is not None:
            error = close(library)(getattr(result, handle_field))
    finally:
        free(library)(result)
    return error


def _release_quietly(result: Any, close: Optional[FunctionOf], free: FunctionOf, handle_field: str) -> None:
    # A finalizer has nobody to raise to: the close error is freed and dropped.
    error = _release(result, close, free, handle_field)
    if error:
        lib().uplink_free_error(error)


class Owned:
    """Base of Access, Project, Upload, Download and EncryptionKey.

    Holds the C result that carries the handle. ``_call()`` hands out the handle for one C call at a
    time and refuses after close; ``_close_handle()`` waits for a call running on another thread, then
    closes and frees exactly once. A dropped object is freed by ``weakref.finalize``.
    """

    _kind = "handle"
    _handle_field = ""
    # The handle's close function, if it has one (projects, downloads), and its result's free function.
    _close_function: Optional[FunctionOf] = None

    @staticmethod
    def _free_function(library: Library) -> Callable[[Any], None]:
        raise NotImplementedError

    def __init__(self, result: Any) -> None:
        self._result = result
        # Calls on one handle are serialized: upstream libuplinkc is not safe for two at once (two threads
        # reading one download kill the process), and close must not free a handle under a running call.
        # Reentrant, so a method may call another method of the same object.
        self._lock = threading.RLock()
        self._closed = False
        self._finalizer = weakref.finalize(
            self, _release_quietly, result, self._close_function, self._free_function, self._handle_field)

    @property
    def closed(self) -> bool:
        return self._closed

    def _ensure_open(self) -> None:
        if self._closed:
            raise ClosedError(f"{self._kind} is closed")

    @contextmanager
    def _call(self) -> Iterator[Any]:
        """The C handle, valid and used by this thread alone for the duration of the block."""
        with self._lock:
            self._ensure_open()
            yield getattr(self._result, self._handle_field)

    def _close_handle(self) -> None:
        """Closes and frees the handle once; later calls do nothing. Raises the close error, if any."""
        with self._lock:  # waits for the call in flight, if any
            if self._closed:
                return
            self._closed = True
            if self._finalizer.detach() is None:
                return
            check(_release(self._result, self._close_function, self._free_function, self._handle_field))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {'closed' if self._closed else 'open'}>"

    # The old uplink-python package's attributes (``access.access``, ``project.uplink``...), kept read-only
    # for code written against it. New code never needs them.

    def _legacy_handle(self) -> Any:
        """The ctypes pointer to the C handle struct; refused after close (the struct is freed then)."""
        with self._lock:
            self._ensure_open()
            return getattr(self._result, self._handle_field)

    @property
    def uplink(self) -> "Uplink":
        """Legacy, read-only: an ``Uplink`` of the loaded library (the old package kept the one it was made by)."""
        from ..uplink import Uplink

        return Uplink()

