"""Zero-copy access to any bytes-like object's memory, so C reads or fills it in place.

Python's buffer protocol (``PyObject_GetBuffer``) gives the address of bytes, bytearray, memoryview,
array, mmap and similar objects without copying, read-only ones included; the buffer stays pinned
(a bytearray cannot be resized) until it is released.
"""

from __future__ import annotations

import ctypes
from contextlib import contextmanager
from ctypes import POINTER, c_char_p, c_int, c_ssize_t, c_void_p
from typing import Any, Iterator, Optional

from . import args as _args

# Chunk for streaming files: large enough that per-call cost vanishes, small enough to stay constant memory.
COPY_BUFSIZE = 4 * 1024 * 1024

_PyBUF_SIMPLE = 0  # contiguous bytes, read-only allowed
_PyBUF_WRITABLE = 1


class _PyBuffer(ctypes.Structure):
    """CPython's ``Py_buffer`` (stable ABI since 3.11, unchanged in layout since 3.3)."""

    _fields_ = [
        ("buf", c_void_p),
        ("obj", c_void_p),  # a reference owned by the view; PyBuffer_Release drops it
        ("len", c_ssize_t),
        ("itemsize", c_ssize_t),
        ("readonly", c_int),
        ("ndim", c_int),
        ("format", c_char_p),
        ("shape", c_void_p),
        ("strides", c_void_p),
        ("suboffsets", c_void_p),
        ("internal", c_void_p),
    ]


# Prototypes over the interpreter's own C API; PYFUNCTYPE keeps the GIL and raises Python errors.
_get_buffer = ctypes.PYFUNCTYPE(c_int, ctypes.py_object, POINTER(_PyBuffer), c_int)(
    ("PyObject_GetBuffer", ctypes.pythonapi))
_release_buffer = ctypes.PYFUNCTYPE(None, POINTER(_PyBuffer))(("PyBuffer_Release", ctypes.pythonapi))
_bytes_new = ctypes.PYFUNCTYPE(ctypes.py_object, c_char_p, c_ssize_t)(("PyBytes_FromStringAndSize", ctypes.pythonapi))
_bytes_address = ctypes.PYFUNCTYPE(c_void_p, ctypes.py_object)(("PyBytes_AsString", ctypes.pythonapi))


def _is_readonly(data: Any) -> bool:
    view = _PyBuffer()
    try:
        _get_buffer(data, ctypes.byref(view), _PyBUF_SIMPLE)
    except (TypeError, BufferError):
        return False
    _release_buffer(ctypes.byref(view))
    return True


@contextmanager
def pinned(data: Any, name: str, writable: bool = False) -> Iterator[tuple[int, int]]:
    """Yields (address, size in bytes) of ``data``'s memory, kept valid and unmoved inside the block."""
    kind = "a writable bytes-like object (bytearray, memoryview)" if writable else "a bytes-like object"
    if isinstance(data, str) or data is None:
        raise TypeError(f"{name} must be {kind}, not {type(data).__name__}")
    view = _PyBuffer()
    try:
        _get_buffer(data, ctypes.byref(view), _PyBUF_WRITABLE if writable else _PyBUF_SIMPLE)
    except TypeError:
        raise TypeError(f"{name} must be {kind}, not {type(data).__name__}") from None
    except BufferError as exc:
        if writable and _is_readonly(data):
            raise TypeError(f"{name} must be {kind}; {type(data).__name__} is read-only") from None
        raise ValueError(f"{name}: {exc}") from None
    try:
        yield view.buf or 0, view.len
    finally:
        _release_buffer(ctypes.byref(view))


def new_bytes(size: int) -> tuple[bytes, int]:
    """A new ``bytes`` of ``size`` uninitialised bytes and its address, for C to fill before anyone sees it.

    As CPython's own file reads do: no zero-filling and no copy into the bytes returned (a bytearray read
    then converted to bytes costs a memset, a memcpy and twice the page faults).
    """
    data = _bytes_new(None, size)
    return data, _bytes_address(data) or 0


@contextmanager
def pinned_prefix(data: Any, size: Optional[int], data_name: str, size_name: str) -> Iterator[tuple[int, int]]:
    """Like ``pinned``, for the first ``size`` bytes of ``data`` (all of it when ``size`` is None)."""
    with pinned(data, data_name) as (address, available):
        count = available if size is None else _args.integer(size, size_name)
        if count > available:
            raise ValueError(f"{size_name} is {count} but {data_name} holds only {available} bytes")
        yield address, count


def chunk_buffer(buffer_size: Optional[int]) -> memoryview:
    """The one reusable buffer a file transfer streams through."""
    size = COPY_BUFSIZE if buffer_size is None else _args.integer(buffer_size, "buffer_size", 1)
    return memoryview(bytearray(size))
