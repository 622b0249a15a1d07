"""ctypes mirrors of ``uplink_python_ext.h`` (our libuplinkc's ``upy_`` extensions) and their declarations.

The extensions are ours: an upstream uplink-c library has none of them, so they are declared as optional
functions (``_native``) and every method that needs one asks ``require()`` first, which raises one clear
``ExtensionUnavailableError`` on such a library. Field order and C types follow the header one for one.
"""

from __future__ import annotations

from ctypes import POINTER, Structure, c_bool, c_char_p, c_int32, c_int64, c_size_t, c_uint8
from typing import Any

from . import module_def as d

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


C_STRUCTS: dict[str, type[Structure]] = {
    name[1:]: value
    for name, value in list(globals().items())
    if name.startswith("_Upy") and isinstance(value, type) and issubclass(value, Structure)
}

_project = _P(d._UplinkProject)
_str = c_char_p
_version = [c_char_p, c_size_t]

# name: (restype, argtypes), in the order of docs/c-api.md's table of our additions.
DECLARATIONS: dict[str, tuple[Any, list[Any]]] = {
    "upy_create_bucket": (d._UplinkBucketResult, [_project, _str, c_bool]),
    "upy_get_bucket_versioning": (_UpyIntResult, [_project, _str]),
    "upy_set_bucket_versioning": (_P(d._UplinkError), [_project, _str, c_bool]),
    "upy_stat_object": (_UpyVersionedObjectResult, [_project, _str, _str, *_version]),
    "upy_delete_object": (_UpyVersionedObjectResult, [_project, _str, _str, *_version, c_bool]),
    "upy_download_object": (
        d._UplinkDownloadResult, [_project, _str, _str, *_version, _P(d._UplinkDownloadOptions)]),
    "upy_upload_object": (d._UplinkUploadResult, [_project, _str, _str, _P(_UpyUploadOptions)]),
    "upy_upload_commit": (_P(d._UplinkError), [_P(d._UplinkUpload)]),
    "upy_upload_info": (_UpyVersionedObjectResult, [_P(d._UplinkUpload)]),
    "upy_list_object_versions": (
        _P(_UpyObjectVersionIterator), [_project, _str, _P(_UpyListObjectVersionsOptions)]),
    "upy_object_version_iterator_next": (c_bool, [_P(_UpyObjectVersionIterator)]),
    "upy_object_version_iterator_item": (_P(_UpyVersionedObject), [_P(_UpyObjectVersionIterator)]),
    "upy_object_version_iterator_err": (_P(d._UplinkError), [_P(_UpyObjectVersionIterator)]),
    "upy_free_object_version_iterator": (None, [_P(_UpyObjectVersionIterator)]),
    "upy_set_object_retention": (_P(d._UplinkError), [_project, _str, _str, *_version, _UpyRetention, c_bool]),
    "upy_get_object_retention": (_UpyRetentionResult, [_project, _str, _str, *_version]),
    "upy_set_object_legal_hold": (_P(d._UplinkError), [_project, _str, _str, *_version, c_bool]),
    "upy_get_object_legal_hold": (_UpyIntResult, [_project, _str, _str, *_version]),
    "upy_get_bucket_object_lock_configuration": (_UpyObjectLockConfigurationResult, [_project, _str]),
    "upy_set_bucket_object_lock_configuration": (
        _P(d._UplinkError), [_project, _str, _P(_UpyObjectLockConfiguration)]),
    "upy_delete_objects": (
        _UpyDeleteObjectsResult, [_project, _str, _P(_UpyDeleteObjectsItem), c_size_t, c_bool, c_bool]),
    "upy_free_versioned_object": (None, [_P(_UpyVersionedObject)]),
    "upy_free_versioned_object_result": (None, [_UpyVersionedObjectResult]),
    "upy_free_int_result": (None, [_UpyIntResult]),
    "upy_free_retention_result": (None, [_UpyRetentionResult]),
    "upy_free_object_lock_configuration_result": (None, [_UpyObjectLockConfigurationResult]),
    "upy_free_delete_objects_result": (None, [_UpyDeleteObjectsResult]),
}

__all__ = ["C_STRUCTS", "DECLARATIONS"]
