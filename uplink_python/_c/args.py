"""Argument checks that run before anything reaches C, with messages that name the argument."""

from __future__ import annotations

import ctypes
from typing import Any, Optional, TypeVar

T = TypeVar("T")


def text(value: Any, name: str) -> bytes:
    """A ``str`` argument as NUL-terminated UTF-8 for C."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be str, not {type(value).__name__}")
    if "\0" in value:
        raise ValueError(f"{name} must not contain NUL characters")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"{name} is not valid UTF-8 text: {exc.reason}") from None


def integer(value: Any, name: str, minimum: Optional[int] = 0) -> int:
    """An ``int`` argument (not bool), at least ``minimum`` unless that is None."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be int, not {type(value).__name__}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


class OutOfRangeError(ValueError, OverflowError):
    """An integer that does not fit the C field it goes into: ctypes would wrap it silently."""


def c_integer(value: Any, name: str, c_type: Any, minimum: Optional[int] = None) -> int:
    """An ``int`` for a C integer field of type ``c_type`` (a ctypes type), checked against its range."""
    checked = integer(value, name, minimum)
    bits = 8 * ctypes.sizeof(c_type)
    signed: bool = c_type(-1).value < 0
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    if not low <= checked <= high:
        kind = f"{'' if signed else 'u'}int{bits}_t"
        raise OutOfRangeError(f"{name} is {checked}, outside the range of its C type {kind} ({low} to {high})")
    return checked


def flag(value: Any, name: str) -> bool:
    """A yes/no option: bool, or an int used as one (0 or 1)."""
    if not isinstance(value, int) or value not in (0, 1):
        raise TypeError(f"{name} must be bool, not {value!r}")
    return bool(value)


def instance(value: Any, cls: type[T], name: str, optional: bool = True) -> Optional[T]:
    """``value`` if it is a ``cls`` (or None when optional)."""
    if value is None and optional:
        return None
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be {cls.__name__}{' or None' if optional else ''}, not {type(value).__name__}")
    return value
