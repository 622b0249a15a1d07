"""Fork safety: the Go runtime inside libuplinkc does not survive ``fork()``.

A child forked after the library was loaded has the Go runtime's memory but none of its threads: any
call into it may hang forever. So, in the child, right after the fork, every function of the loaded
library is replaced by one that raises ``ForkedProcessError`` (a clear message, at once), and the
finalizers that would free handles inherited from the parent are dropped (freeing them would call
into the dead runtime; the memory belongs to the parent's copy anyway). Use multiprocessing's
``spawn`` (or ``forkserver``) start method: such children load their own library.
"""

from __future__ import annotations

import ctypes
import gc
import os
import weakref
from typing import Any, Callable, NoReturn

from . import native as _native
from ..errors import LibUplinkSoError


_C_FUNCTION: type = getattr(ctypes, "_CFuncPtr")  # the type of every function a CDLL hands out


class ForkedProcessError(LibUplinkSoError, RuntimeError):
    """libuplinkc was loaded before this process was forked: it cannot be used in the child.

    Start worker processes with ``multiprocessing.get_context("spawn")`` (or set the start method to
    ``"spawn"``/``"forkserver"``) and open the access and project inside each worker.
    """

    default_message = "libuplinkc cannot be used in a forked child process"


def _refuse(name: str, parent: int) -> Callable[..., NoReturn]:
    def refused(*args: Any, **kwargs: Any) -> NoReturn:
        raise ForkedProcessError(details=(
            f"{name} called in process {os.getpid()}, forked from process {parent} after libuplinkc was loaded "
            "there; the Go runtime does not survive fork(). Use multiprocessing's 'spawn' start method "
            "(multiprocessing.get_context('spawn')) and open the access in the child."))
    refused.__name__ = name
    return refused


def _is_library_finalizer(func: Any) -> bool:
    from .handle import _release_quietly

    return func is _release_quietly or str(getattr(func, "__name__", "")).startswith(("uplink_", "edge_", "upy_"))


def after_fork_in_child(parent: int) -> None:
    """Makes the inherited library refuse every call, and drops the finalizers of inherited handles."""
    library = _native._library
    if library is None:
        return  # nothing was loaded: the child may load the library itself
    names = set(_native.DECLARATIONS)
    names.update(name for name, value in vars(library).items() if isinstance(value, _C_FUNCTION))
    for name in names:
        setattr(library, name, _refuse(name, parent))
    _refuse_cached_functions(parent)
    registry = getattr(weakref.finalize, "_registry", {})
    for finalizer in list(registry):
        info = finalizer.peek()
        if info is not None and _is_library_finalizer(info[1]):
            finalizer.detach()


def _refuse_cached_functions(parent: int) -> None:
    """Listings in progress hold their C functions (looked up once per listing): those refuse too."""
    from .results import LazyIterator

    for obj in gc.get_objects():
        if isinstance(obj, LazyIterator):
            for attribute, value in list(vars(obj).items()):
                if attribute.endswith("_fn"):
                    setattr(obj, attribute, _refuse(str(getattr(value, "__name__", attribute)), parent))


_parent_pid = os.getpid()


def _before_fork() -> None:
    global _parent_pid
    _parent_pid = os.getpid()


def _in_child() -> None:
    after_fork_in_child(_parent_pid)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_child=_in_child)
