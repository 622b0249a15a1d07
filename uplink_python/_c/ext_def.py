"""ctypes mirrors of ``uplink_python_ext.h`` (our libuplinkc's ``upy_`` extensions) and their declarations.

The extensions are ours: an upstream uplink-c library has none of them, so they are declared as optional
functions (``_native``) and every method that needs one asks ``require()`` first, which raises one clear
``ExtensionUnavailableError`` on such a library. Field order and C types follow the header one for one.
"""

from __future__ import annotations

from ctypes import POINTER, Structure, c_bool, c_char_p, c_int32, c_int64, c_size_t, c_uint8, c_uint64, c_void_p

from . import structs as d

_P = POINTER
# Versions are explicit-length bytes. In arguments they are passed as c_char_p (bytes, NULs allowed, the
# length beside them); in results they are pointers read with ctypes.string_at.
_bytes_out = POINTER(c_uint8)


class _UpyObjectVersionIterator(d._Handle):
    pass


class _UpyRetention(Structure):
    _fields_ = [("mode", c_int32), ("retain_until", c_int64)]


class _UpyVersionedObject(Structure):
    _fields_ = [
        ("object", _P(d._UplinkObject)),
        ("version", _bytes_out),
        ("version_length", c_size_t),
        ("is_versioned", c_bool),
        ("is_delete_marker", c_bool),
        ("is_latest", c_bool),
        ("retention", _UpyRetention),
        ("legal_hold", c_int32),
    ]


class _UpyVersionedObjectResult(Structure):
    _fields_ = [("object", _P(_UpyVersionedObject)), ("error", _P(d._UplinkError))]


class _UpyIntResult(Structure):
    _fields_ = [("value", c_int64), ("error", _P(d._UplinkError))]


class _UpyRetentionResult(Structure):
    _fields_ = [("retention", _UpyRetention), ("error", _P(d._UplinkError))]


class _UpyObjectLockConfiguration(Structure):
    _fields_ = [("enabled", c_bool), ("default_mode", c_int32), ("default_days", c_int32),
                ("default_years", c_int32)]


class _UpyObjectLockConfigurationResult(Structure):
    _fields_ = [("configuration", _UpyObjectLockConfiguration), ("error", _P(d._UplinkError))]


class _UpyUploadOptions(Structure):
    _fields_ = [("expires", c_int64), ("retention", _UpyRetention), ("legal_hold", c_bool),
                ("if_none_match", c_bool)]


class _UpyListObjectVersionsOptions(Structure):
    _fields_ = [
        ("prefix", c_char_p),
        ("cursor", c_char_p),
        ("version_cursor", c_char_p),
        ("version_cursor_length", c_size_t),
        ("recursive", c_bool),
        ("system", c_bool),
        ("custom", c_bool),
    ]


class _UpyDeleteObjectsItem(Structure):
    _fields_ = [("object_key", c_char_p), ("version", c_char_p), ("version_length", c_size_t)]


class _UpyDeleteObjectsResultItem(Structure):
    _fields_ = [
        ("object_key", d.c_char_ptr),
        ("requested_version", _bytes_out),
        ("requested_version_length", c_size_t),
        ("status", c_int32),
        ("removed", c_bool),
        ("removed_version", _bytes_out),
        ("removed_version_length", c_size_t),
        ("marker_created", c_bool),
        ("marker_version", _bytes_out),
        ("marker_version_length", c_size_t),
    ]


class _UpyDeleteObjectsResult(Structure):
    _fields_ = [("items", _P(_UpyDeleteObjectsResultItem)), ("items_count", c_size_t),
                ("error", _P(d._UplinkError))]


class _UpyObjectArray(Structure):
    _fields_ = [("objects", c_void_p), ("count", c_size_t), ("bytes", c_size_t), ("error", _P(d._UplinkError))]


class _UpyObjectVersionPage(Structure):
    _fields_ = [("items", _P(_P(_UpyVersionedObject))), ("count", c_size_t), ("error", _P(d._UplinkError))]


class _UpyAsyncQueue(d._Handle):
    pass


class _UpyAsyncQueueResult(Structure):
    _fields_ = [("queue", _P(_UpyAsyncQueue)), ("fd", c_int64), ("error", _P(d._UplinkError))]


class _UpyCompletion(Structure):
    # value then error have the layout of the mirrored function's result struct ({one word; error}): an
    # integer value lets the caller copy those 16 bytes into that struct.
    _fields_ = [("token", c_uint64), ("value", c_size_t), ("error", _P(d._UplinkError))]


C_STRUCTS: dict[str, type[Structure]] = {
    name[1:]: value
    for name, value in list(globals().items())
    if name.startswith("_Upy") and isinstance(value, type) and issubclass(value, Structure)
}

__all__ = ["C_STRUCTS"]
