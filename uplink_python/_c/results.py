"""The one place that turns a C result into a Python value or a raised exception, and frees it.

libuplinkc returns three shapes: a ``*Result`` struct (a value plus ``UplinkError *error``), a bare
``UplinkError *``, and iterators. Every call site goes through one of the functions below, so the
error check and the matching ``uplink_free_*`` call are written once.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, TypeVar

from .convert import text
from .native import lib
from .steps import CCall, Steps
from ..errors import ERROR_EOF, ERROR_INTERNAL, exception_for

T = TypeVar("T")


def _read_error(error: Any) -> Optional[tuple[int, str]]:
    """(code, message) of a non-NULL ``UplinkError *``; None for NULL. Does not free."""
    if not error:
        return None
    return error.contents.code, text(error.contents.message)


def _raise_unless_eof(found: Optional[tuple[int, str]], eof_ok: bool) -> bool:
    """Raises the exception for an error; returns True for EOF when the caller reads a stream."""
    if found is None:
        return False
    code, message = found
    if code == ERROR_EOF:
        if eof_ok:
            return True
        message = message or "unexpected end of stream"
    raise exception_for(code, message)


def check(error: Any) -> None:
    """Frees a bare ``UplinkError *`` and raises it if it is not NULL."""
    found = _read_error(error)
    if error:
        lib().uplink_free_error(error)
    _raise_unless_eof(found, eof_ok=False)


R = TypeVar("R")


def consume(result: R, free: Callable[[R], None], convert: Callable[[R], T]) -> T:
    """For results holding data: the converted value, or the raised error. Always frees the result."""
    try:
        _raise_unless_eof(_read_error(getattr(result, "error")), eof_ok=False)
        return convert(result)
    finally:
        free(result)


def consume_count(result: R, free: Callable[[R], None], count_field: str) -> tuple[int, bool]:
    """For read/write results: (bytes moved, reached EOF). EOF is the end of a stream, never raised.

    Such a result holds a count and an error, nothing else (uplink-c's free functions of read and write
    results free only the error): without an error there is nothing to free, and the call into the
    library, one per chunk of a transfer, is skipped."""
    error = getattr(result, "error")
    if not error:
        return getattr(result, count_field), False
    try:
        eof = _raise_unless_eof(_read_error(error), eof_ok=True)
        return int(getattr(result, count_field)), eof
    finally:
        free(result)


def write_all(function: Callable[[Any, int, int], Any], handle: Any, address: int, size: int) -> Steps[int]:
    """Hands ``size`` bytes at ``address`` to a libuplinkc write function, continuing short writes (steps)."""
    written = 0
    while written < size:
        result = yield CCall(function, handle, address + written, size - written)
        count, _ = consume_count(result, lib().uplink_free_write_result, "bytes_written")
        if count == 0:  # no progress and no error: stop instead of spinning
            name = getattr(function, "__name__", "write")
            raise exception_for(ERROR_INTERNAL, f"{name} accepted no bytes at offset {written} of {size}")
        written += count
    return written


def own(result: R, free: Callable[[R], None], handle_field: str) -> R:
    """For results holding a handle the caller will own: the result itself, kept until its owner frees it.

    On error the result is freed here and the error raised.
    """
    found = _read_error(getattr(result, "error"))
    if found is not None or not getattr(result, handle_field):
        free(result)
        _raise_unless_eof(found or (ERROR_INTERNAL, f"library returned no {handle_field} and no error"), eof_ok=False)
    return result
