"""Argument checks that run before anything reaches C, with messages that name the argument."""

from __future__ import annotations

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


def int64(value: Any, name: str, minimum: Optional[int] = None) -> int:
    """An ``int`` that must fit C's int64_t (times, offsets, lengths)."""
    value = integer(value, name, minimum)
    if not -(2**63) <= value < 2**63:
        raise ValueError(f"{name} does not fit in 64 bits: {value}")
    return value


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
