"""Ownership of libuplinkc handles: closed once, freed even when dropped, never used after close.

``Owned`` is the one ownership model: Access, Project, Upload, Download, EncryptionKey and the lazy
listings all are ``Owned``. It gives them ``close()``, ``with`` blocks, the registry of the children they
close first (a project's uploads, downloads and listings), the calls on the handle (one at a time, or side
by side for a ``concurrent`` owner), and the one finalizer path, which frees nothing in a process forked
after the library was loaded.
"""

from __future__ import annotations

import threading
import weakref
from collections import deque
from types import TracebackType
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Generic, Iterable, Optional, TypeVar

from . import native
from .native import lib
from .results import _read_error as read_error, check
from .steps import CCall, Steps, run
from ..errors import ERROR_INTERNAL, ClosedError, StorjException, exception_for

if TYPE_CHECKING:
    from .capi import Library
    from ..uplink import Uplink


# How an owner finds its close and free functions in the library.
FunctionOf = Callable[["Library"], Any]
T = TypeVar("T")
_O = TypeVar("_O", bound="Owned")
_C = TypeVar("_C", bound="Owned")

# Guards every owner's set of children: adopting is quick, and one lock keeps an owner small.
_children_lock = threading.Lock()


def _release(result: Any, handle: Any, close: Optional[FunctionOf], free: FunctionOf) -> Steps[Any]:
    """Closes (when the handle has a close call) and frees a result; returns the close error pointer.

    Steps: the close blocks (a download's lets go of its connections); the free never does."""
    library = lib()
    error = None
    try:
        if close is not None:
            error = yield CCall(close(library), handle)
    finally:
        free(library)(result)
    return error


def _finalize(result: Any, handle: Any, close: Optional[FunctionOf], free: FunctionOf) -> None:
    """The finalizer of an object dropped without close: nobody to raise to, so a close error is dropped.

    In a child forked after the library was loaded it frees nothing: the handles belong to the parent's
    runtime, and calling into the copy the child inherited could hang.
    """
    if not native.usable_here():
        return
    error = run(_release(result, handle, close, free))
    if error:
        lib().uplink_free_error(error)


def declare_functions(cls: type, **functions: Optional[FunctionOf]) -> None:
    """Sets ``cls._NAME_function`` to each function given (None leaves the inherited one), as a staticmethod
    so that ``self._NAME_function(library)`` is the plain lookup."""
    for name, function in functions.items():
        if function is not None:
            setattr(cls, f"_{name}_function", staticmethod(function))


class _TurnCall:
    """``Owned._call()`` of an owner whose calls take turns: holds its (reentrant) lock for the block."""

    __slots__ = ("_owner",)

    def __init__(self, owner: "Owned") -> None:
        self._owner = owner

    def __enter__(self) -> Any:
        owner = self._owner
        owner._lock.acquire()
        if owner._closed or not native.usable_here():
            owner._lock.release()
            owner._ensure_open()  # raises
        return owner._handle

    def __exit__(self, *exc_info: object) -> None:
        self._owner._lock.release()


class _SharedCall:
    """``Owned._call()`` of a concurrent owner: counts the call in flight for the block, so that close
    waits for it. A plain class rather than a generator: it is on the path of every call."""

    __slots__ = ("_owner",)

    def __init__(self, owner: "Owned") -> None:
        self._owner = owner

    def __enter__(self) -> Any:
        owner = self._owner
        with owner._mutex:
            if owner._closed or not native.usable_here():
                owner._ensure_open()  # raises
            owner._active += 1
        return owner._handle

    def __exit__(self, *exc_info: object) -> None:
        owner = self._owner
        with owner._mutex:
            owner._active -= 1
            if owner._closed and not owner._active:  # a close is waiting for the last call
                owner._lock.notify_all()


class Owned:
    """Base of every object that owns a libuplinkc handle.

    Holds the C result that carries the handle. ``_call()`` hands out the handle for one C call at a
    time (any number at once for a ``concurrent`` owner) and refuses after close; ``close()`` closes the
    children first, then refuses new calls and waits for those running on other threads, then closes and
    frees exactly once. A dropped object is freed by ``weakref.finalize``.
    """

    _kind = "handle"
    # The field of the result that holds the handle; empty when the result is the handle (iterators).
    _handle_field = ""
    # The handle's close function, if it has one (projects, downloads), and its result's free function.
    _close_function: Optional[FunctionOf] = None
    _free_function: FunctionOf
    # Whether calls on one handle may run at once (a project's: storj.io/uplink's Project is safe for
    # concurrent use); uploads, downloads, listings and accesses take turns.
    _concurrent = False

    def __init_subclass__(cls, *, kind: str = "", handle_field: str = "", free: Optional[FunctionOf] = None,
                          close: Optional[FunctionOf] = None, concurrent: Optional[bool] = None,
                          **kwargs: Any) -> None:
        """An owner states what differs in its class line: ``class Download(Owned, kind="Download",
        handle_field="download", free=..., close=...)``; a keyword left out is inherited. The functions are
        looked up in the library at each use, so a class can be defined before the library is loaded."""
        super().__init_subclass__(**kwargs)
        if kind:
            cls._kind = kind
        if handle_field:
            cls._handle_field = handle_field
        if concurrent is not None:
            cls._concurrent = concurrent
        declare_functions(cls, free=free, close=close)

    def __init__(self, result: Any, free: Optional[FunctionOf] = None) -> None:
        self._result = result
        self._handle = getattr(result, self._handle_field) if self._handle_field else result
        # Calls on one handle take turns unless the owner is concurrent: upstream libuplinkc is not safe for
        # two at once on a download (two threads reading one kill the process). Either way close must not
        # free a handle under a running call. Reentrant, so a method may call another method of the object.
        # A concurrent owner's lock guards only the count of calls in flight, which close waits to reach 0.
        self._lock: Any
        if self._concurrent:
            self._mutex = threading.Lock()
            self._lock = threading.Condition(self._mutex)
        else:
            self._lock = threading.RLock()
        self._active = 0
        self._closed = False
        self._children: Optional[weakref.WeakSet[Owned]] = None
        self._finalizer = weakref.finalize(
            self, _finalize, result, self._handle, self._close_function, free or self._free_function)

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called (or the object ended itself, as a finished listing does)."""
        return self._closed

    def _ensure_open(self) -> None:
        if self._closed:
            raise ClosedError(f"{self._kind} is closed")
        if not native.usable_here():
            native.raise_forked()

    def _call(self) -> ContextManager[Any]:
        """The C handle, valid for the duration of the block, and used by this thread alone unless the
        owner is concurrent."""
        return _SharedCall(self) if self._concurrent else _TurnCall(self)

    def _adopt(self, child: _C) -> _C:
        """Registers ``child`` (opened from this object) to be closed before this object closes."""
        with _children_lock:
            if self._children is None:
                self._children = weakref.WeakSet()
            self._children.add(child)
        return child

    def close(self) -> None:
        """Closes what was opened from this object, then the object itself. Idempotent.

        Everything is closed even when one close fails; the first failure is raised afterwards.
        """
        with _children_lock:
            children = list(self._children or ())
        failures = []
        for child in children:
            try:
                child.close()
            except StorjException as failure:
                failures.append(failure)
        self._close_handle()
        if failures:
            raise failures[0]

    def _close_handle(self) -> None:
        """Closes and frees the handle once; later calls do nothing. Raises the close error, if any.

        Called from inside a call on the same handle by the same thread, a concurrent owner would wait for
        itself: the package never does that (user callbacks never run inside a call)."""
        run(self._close_steps())

    def _close_steps(self) -> Steps[None]:
        """``_close_handle`` as steps (for an owner without children: aio closes a download so)."""
        with self._lock:  # waits for the call in flight, if any
            if self._closed:
                return
            self._closed = True  # refuses new calls from now on
            if self._concurrent:
                self._lock.wait_for(lambda: not self._active)  # the calls in flight on other threads
            detached = self._finalizer.detach()  # (object, function, args, kwargs), or None once run
            if detached is None:
                return
            check((yield from _release(*detached[2])))

    def __enter__(self: _O) -> _O:
        return self

    def __exit__(self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException],
                 traceback: Optional[TracebackType]) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {'closed' if self._closed else 'open'}>"

    # The old uplink-python package's attributes (``access.access``, ``project.uplink``...), kept read-only
    # for code written against it. New code never needs them.

    def _legacy_handle(self) -> Any:
        """The ctypes pointer to the C handle struct; refused after close (the struct is freed then)."""
        with self._lock:
            self._ensure_open()
            return self._handle

    @property
    def uplink(self) -> "Uplink":
        """Legacy, read-only: an ``Uplink`` of the loaded library (the old package kept the one it was made by)."""
        from ..uplink import Uplink

        return Uplink()


@dataclass(frozen=True)
class IteratorFunctions:
    """The C functions of one kind of iterator: next, item, err, free, and the free of one item; ``page`` and
    ``free_page`` when the library hands out a page of items per call (``upy_object_iterator_next_array``)."""

    kind: str
    next: Callable[[Any], bool]
    item: Callable[[Any], Any]
    err: Callable[[Any], Any]
    free: Callable[[Any], None]
    free_item: Callable[[Any], None]
    page: Optional[Callable[[Any, int], Any]] = None
    free_page: Optional[Callable[[Any], None]] = None


# Items a paged listing asks the library for per call: the per-call cost vanishes against them, and a
# consumer that stops early has converted at most this many items it did not use.
PAGE_ITEMS = 256


class LazyIterator(Owned, Generic[T], kind="listing"):
    """A C iterator (objects, buckets, uploads, parts) consumed item by item as the satellite's pages arrive.

    The error is checked after the last item, so a failure part-way raises instead of ending early.
    The C iterator is freed at the end, by ``close()``, or when this object is dropped.
    """

    def __init__(self, iterator: Any, functions: IteratorFunctions, convert: Callable[[Any], T],
                 keep_alive: Any = None, convert_page: Optional[Callable[[Any], Iterable[T]]] = None) -> None:
        if not iterator:
            raise exception_for(ERROR_INTERNAL, f"{functions.kind} listing returned no iterator")
        super().__init__(iterator, free=lambda library: functions.free)
        # Held for the listing: thousands of items make three C calls each (or one call per page).
        self._functions, self._convert = functions, convert
        # a page's items: by default a page of pointers (items[0..count)), each converted on its own
        self._convert_page = convert_page or self._convert_each
        self._keep_alive = keep_alive  # e.g. the project, which must outlive the iterator
        self._paged: deque[T] = deque()  # converted items of the last page not handed out yet
        self._last_page = False
        self._failure: Optional[tuple[int, str]] = None  # the error that came with the last page

    def __iter__(self) -> "LazyIterator[T]":
        return self

    def __next__(self) -> T:
        with self._lock:
            if self._closed:
                raise StopIteration
            functions = self._functions
            if functions.page is not None:
                return self._next_paged()
            with self._call() as iterator:
                if functions.next(iterator):
                    item = functions.item(iterator)
                    if not item:
                        self._close_handle()
                        raise exception_for(ERROR_INTERNAL, f"the {functions.kind} iterator returned no item")
                    try:
                        return self._convert(item.contents)
                    finally:
                        functions.free_item(item)
                error = functions.err(iterator)
            self._close_handle()
            check(error)
            raise StopIteration

    def _next_paged(self) -> T:
        if not self._paged and not self._last_page:
            self._read_page()
        if self._paged:
            return self._paged.popleft()
        self._close_handle()  # after the last item, as item by item
        if self._failure is not None:
            raise exception_for(*self._failure)
        raise StopIteration

    def _read_page(self) -> None:
        functions = self._functions
        assert functions.page is not None and functions.free_page is not None
        with self._call() as iterator:
            page = functions.page(iterator, PAGE_ITEMS)
        try:
            self._failure = read_error(page.error)
            self._paged.extend(self._convert_page(page))
            self._last_page = page.count < PAGE_ITEMS or self._failure is not None
        finally:
            functions.free_page(page)

    def _convert_each(self, page: Any) -> Iterable[T]:
        items, convert = page.items, self._convert
        return [convert(items[index].contents) for index in range(page.count)]


__all__ = ["FunctionOf", "IteratorFunctions", "LazyIterator", "Owned", "declare_functions"]
