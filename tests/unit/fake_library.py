"""A stand-in for libuplinkc in unit tests: real ctypes structs in, real ctypes structs out.

Each C function is a MagicMock (so tests set return values and inspect calls). Results handed out by
``result()``/``error()`` are tracked until the matching ``uplink_free_*`` receives them, so a test can
assert that nothing leaked, as ``uplink_internal_UniverseIsEmpty`` does for the real library.
"""

from __future__ import annotations

import ctypes
from typing import Any, Optional
from unittest.mock import MagicMock

from uplink_python._c import native as _native
from uplink_python._c import structs as d


class FakeLibrary:
    def __init__(self) -> None:
        self.live: dict[int, str] = {}  # address of a struct not yet freed -> what it is
        self._keep: list[Any] = []
        self.calls = MagicMock()  # every function attached, so tests can check the order of calls
        self.functions = {}
        for name, (restype, _) in _native.DECLARATIONS.items():
            function = self.functions[name] = MagicMock(name=name)
            self.calls.attach_mock(function, name)
            if name.startswith("uplink_free_"):
                function.side_effect = self._free
            elif restype is not None and getattr(restype, "_type_", None) is d._UplinkError:
                function.return_value = None  # bare UplinkError*: NULL, success, unless a test says otherwise
        self.functions["uplink_internal_UniverseIsEmpty"].side_effect = lambda: not self.live

    def __getattr__(self, name: str) -> MagicMock:
        try:
            return self.__dict__["functions"][name]
        except KeyError:
            raise AttributeError(name) from None

    def _track(self, struct: Any, what: str) -> None:
        self._keep.append(struct)
        self.live[ctypes.addressof(struct)] = what

    def _free(self, value: Any) -> None:
        """Frees a result struct or a pointer, like every uplink_free_* does (NULL is fine)."""
        if isinstance(value, ctypes.Structure):
            self.live.pop(ctypes.addressof(value), None)
            for name, _ in value._fields_:
                if name == "error" or isinstance(getattr(value, name), ctypes._Pointer):
                    self._free(getattr(value, name))
        elif value:
            self.live.pop(ctypes.addressof(value.contents), None)

    def error(self, code: int, message: Optional[bytes] = b"boom") -> Any:
        struct = d._UplinkError(code=code, message=message)
        self._track(struct, f"error {code}")
        return ctypes.pointer(struct)

    def handle(self, cls: type, value: int = 7) -> Any:
        struct = cls(_handle=value)
        self._track(struct, cls.__name__)
        return ctypes.pointer(struct)

    def pointer(self, struct: Any) -> Any:
        self._track(struct, type(struct).__name__)
        return ctypes.pointer(struct)

    def result(self, cls: type, error: Any = None, **values: Any) -> Any:
        """A *Result struct by value, as the C function returns it."""
        return cls(error=error, **values)

    def listing(self, kind: str, items: list[Any], error: Any = None) -> None:
        """The next ``uplink_list_<kind>s`` ("object" or "bucket") returns a C iterator over ``items`` (structs)
        whose error is then ``error`` (None: the listing succeeded)."""
        iterator = {"object": d._UplinkObjectIterator, "bucket": d._UplinkBucketIterator}[kind]
        getattr(self, f"uplink_list_{kind}s").return_value = self.handle(iterator)
        getattr(self, f"uplink_{kind}_iterator_next").side_effect = [True] * len(items) + [False]
        getattr(self, f"uplink_{kind}_iterator_item").side_effect = [self.pointer(item) for item in items]
        getattr(self, f"uplink_{kind}_iterator_err").return_value = error


def c_object(key: bytes = b"k", custom: Optional[dict[bytes, bytes]] = None, content_length: int = 0) -> d._UplinkObject:
    """An UplinkObject as the library would build it, metadata with explicit lengths."""
    items = list((custom or {}).items())
    entries = (d._UplinkCustomMetadataEntry * len(items))()
    buffers = []
    for index, (k, v) in enumerate(items):
        kb, vb = ctypes.create_string_buffer(k, len(k) or 1), ctypes.create_string_buffer(v, len(v) or 1)
        buffers += [kb, vb]
        entries[index] = d._UplinkCustomMetadataEntry(
            ctypes.cast(kb, d.c_char_ptr), len(k), ctypes.cast(vb, d.c_char_ptr), len(v))
    obj = d._UplinkObject(key=key, is_prefix=False,
                          system=d._UplinkSystemMetadata(created=1, expires=2, content_length=content_length),
                          custom=d._UplinkCustomMetadata(entries=entries, count=len(items)))
    obj._keep = (entries, buffers)
    return obj
