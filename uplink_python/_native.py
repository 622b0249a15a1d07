"""The one place that finds libuplinkc, loads it once per process and declares its functions.

Every one of libuplinkc v1.14's 85 exported functions appears exactly once in ``DECLARATIONS`` with
its restype and argtypes, taken from its exported signatures (``docs/c-api.md``).
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from ctypes import POINTER, c_bool, c_char_p, c_int64, c_size_t, c_uint32, c_void_p
from pathlib import Path
from typing import Any, Optional

from . import _ext_def
from . import module_def as d
from .errors import LibUplinkSoError

# Set to a full path to load that library instead of the one inside the package.
LIBRARY_ENV = "UPLINK_PYTHON_LIBUPLINKC"
LIBRARY_NAME = "libuplinkc.dylib" if sys.platform == "darwin" else "libuplinkc.so"
# The package folder, where build_libuplink.sh puts the library (tests point it elsewhere).
PACKAGE_DIR = Path(__file__).resolve().parent

_P = POINTER
_str = c_char_p  # const char *, UTF-8, NUL-terminated
_GoInt = c_int64  # cgo's `int` parameter

# name: (restype, argtypes)
DECLARATIONS: dict[str, tuple[Any, list[Any]]] = {
    # access
    "uplink_parse_access": (d._UplinkAccessResult, [_str]),
    "uplink_request_access_with_passphrase": (d._UplinkAccessResult, [_str, _str, _str]),
    "uplink_config_request_access_with_passphrase": (d._UplinkAccessResult, [d._UplinkConfig, _str, _str, _str]),
    "uplink_access_satellite_address": (d._UplinkStringResult, [_P(d._UplinkAccess)]),
    "uplink_access_serialize": (d._UplinkStringResult, [_P(d._UplinkAccess)]),
    "uplink_access_share": (
        d._UplinkAccessResult, [_P(d._UplinkAccess), d._UplinkPermission, _P(d._UplinkSharePrefix), _GoInt]),
    "uplink_access_override_encryption_key": (
        _P(d._UplinkError), [_P(d._UplinkAccess), _str, _str, _P(d._UplinkEncryptionKey)]),
    "uplink_derive_encryption_key": (d._UplinkEncryptionKeyResult, [_str, c_void_p, c_size_t]),
    "uplink_free_access_result": (None, [d._UplinkAccessResult]),
    "uplink_free_string_result": (None, [d._UplinkStringResult]),
    "uplink_free_encryption_key_result": (None, [d._UplinkEncryptionKeyResult]),
    # project
    "uplink_open_project": (d._UplinkProjectResult, [_P(d._UplinkAccess)]),
    "uplink_config_open_project": (d._UplinkProjectResult, [d._UplinkConfig, _P(d._UplinkAccess)]),
    "uplink_close_project": (_P(d._UplinkError), [_P(d._UplinkProject)]),
    "uplink_free_project_result": (None, [d._UplinkProjectResult]),
    "uplink_revoke_access": (_P(d._UplinkError), [_P(d._UplinkProject), _P(d._UplinkAccess)]),
    # buckets
    "uplink_stat_bucket": (d._UplinkBucketResult, [_P(d._UplinkProject), _str]),
    "uplink_create_bucket": (d._UplinkBucketResult, [_P(d._UplinkProject), _str]),
    "uplink_ensure_bucket": (d._UplinkBucketResult, [_P(d._UplinkProject), _str]),
    "uplink_delete_bucket": (d._UplinkBucketResult, [_P(d._UplinkProject), _str]),
    "uplink_delete_bucket_with_objects": (d._UplinkBucketResult, [_P(d._UplinkProject), _str]),
    "uplink_free_bucket_result": (None, [d._UplinkBucketResult]),
    "uplink_free_bucket": (None, [_P(d._UplinkBucket)]),
    "uplink_list_buckets": (_P(d._UplinkBucketIterator), [_P(d._UplinkProject), _P(d._UplinkListBucketsOptions)]),
    "uplink_bucket_iterator_next": (c_bool, [_P(d._UplinkBucketIterator)]),
    "uplink_bucket_iterator_item": (_P(d._UplinkBucket), [_P(d._UplinkBucketIterator)]),
    "uplink_bucket_iterator_err": (_P(d._UplinkError), [_P(d._UplinkBucketIterator)]),
    "uplink_free_bucket_iterator": (None, [_P(d._UplinkBucketIterator)]),
    # objects
    "uplink_stat_object": (d._UplinkObjectResult, [_P(d._UplinkProject), _str, _str]),
    "uplink_delete_object": (d._UplinkObjectResult, [_P(d._UplinkProject), _str, _str]),
    "uplink_free_object_result": (None, [d._UplinkObjectResult]),
    "uplink_free_object": (None, [_P(d._UplinkObject)]),
    "uplink_list_objects": (
        _P(d._UplinkObjectIterator), [_P(d._UplinkProject), _str, _P(d._UplinkListObjectsOptions)]),
    "uplink_object_iterator_next": (c_bool, [_P(d._UplinkObjectIterator)]),
    "uplink_object_iterator_item": (_P(d._UplinkObject), [_P(d._UplinkObjectIterator)]),
    "uplink_object_iterator_err": (_P(d._UplinkError), [_P(d._UplinkObjectIterator)]),
    "uplink_free_object_iterator": (None, [_P(d._UplinkObjectIterator)]),
    "uplink_copy_object": (
        d._UplinkObjectResult, [_P(d._UplinkProject), _str, _str, _str, _str, _P(d._UplinkCopyObjectOptions)]),
    "uplink_move_object": (
        _P(d._UplinkError), [_P(d._UplinkProject), _str, _str, _str, _str, _P(d._UplinkMoveObjectOptions)]),
    "uplink_update_object_metadata": (
        _P(d._UplinkError),
        [_P(d._UplinkProject), _str, _str, d._UplinkCustomMetadata, _P(d._UplinkUploadObjectMetadataOptions)]),
    # upload
    "uplink_upload_object": (
        d._UplinkUploadResult, [_P(d._UplinkProject), _str, _str, _P(d._UplinkUploadOptions)]),
    "uplink_upload_write": (d._UplinkWriteResult, [_P(d._UplinkUpload), c_void_p, c_size_t]),
    "uplink_upload_commit": (_P(d._UplinkError), [_P(d._UplinkUpload)]),
    "uplink_upload_abort": (_P(d._UplinkError), [_P(d._UplinkUpload)]),
    "uplink_upload_info": (d._UplinkObjectResult, [_P(d._UplinkUpload)]),
    "uplink_upload_set_custom_metadata": (_P(d._UplinkError), [_P(d._UplinkUpload), d._UplinkCustomMetadata]),
    "uplink_free_write_result": (None, [d._UplinkWriteResult]),
    "uplink_free_upload_result": (None, [d._UplinkUploadResult]),
    # download
    "uplink_download_object": (
        d._UplinkDownloadResult, [_P(d._UplinkProject), _str, _str, _P(d._UplinkDownloadOptions)]),
    "uplink_download_read": (d._UplinkReadResult, [_P(d._UplinkDownload), c_void_p, c_size_t]),
    "uplink_download_info": (d._UplinkObjectResult, [_P(d._UplinkDownload)]),
    "uplink_close_download": (_P(d._UplinkError), [_P(d._UplinkDownload)]),
    "uplink_free_read_result": (None, [d._UplinkReadResult]),
    "uplink_free_download_result": (None, [d._UplinkDownloadResult]),
    # multipart
    "uplink_begin_upload": (
        d._UplinkUploadInfoResult, [_P(d._UplinkProject), _str, _str, _P(d._UplinkUploadOptions)]),
    "uplink_commit_upload": (
        d._UplinkCommitUploadResult, [_P(d._UplinkProject), _str, _str, _str, _P(d._UplinkCommitUploadOptions)]),
    "uplink_abort_upload": (_P(d._UplinkError), [_P(d._UplinkProject), _str, _str, _str]),
    "uplink_upload_part": (d._UplinkPartUploadResult, [_P(d._UplinkProject), _str, _str, _str, c_uint32]),
    "uplink_part_upload_write": (d._UplinkWriteResult, [_P(d._UplinkPartUpload), c_void_p, c_size_t]),
    "uplink_part_upload_set_etag": (_P(d._UplinkError), [_P(d._UplinkPartUpload), _str]),
    "uplink_part_upload_commit": (_P(d._UplinkError), [_P(d._UplinkPartUpload)]),
    "uplink_part_upload_abort": (_P(d._UplinkError), [_P(d._UplinkPartUpload)]),
    "uplink_part_upload_info": (d._UplinkPartResult, [_P(d._UplinkPartUpload)]),
    "uplink_list_uploads": (
        _P(d._UplinkUploadIterator), [_P(d._UplinkProject), _str, _P(d._UplinkListUploadsOptions)]),
    "uplink_upload_iterator_next": (c_bool, [_P(d._UplinkUploadIterator)]),
    "uplink_upload_iterator_item": (_P(d._UplinkUploadInfo), [_P(d._UplinkUploadIterator)]),
    "uplink_upload_iterator_err": (_P(d._UplinkError), [_P(d._UplinkUploadIterator)]),
    "uplink_list_upload_parts": (
        _P(d._UplinkPartIterator), [_P(d._UplinkProject), _str, _str, _str, _P(d._UplinkListUploadPartsOptions)]),
    "uplink_part_iterator_next": (c_bool, [_P(d._UplinkPartIterator)]),
    "uplink_part_iterator_item": (_P(d._UplinkPart), [_P(d._UplinkPartIterator)]),
    "uplink_part_iterator_err": (_P(d._UplinkError), [_P(d._UplinkPartIterator)]),
    "uplink_free_upload_info": (None, [_P(d._UplinkUploadInfo)]),
    "uplink_free_upload_info_result": (None, [d._UplinkUploadInfoResult]),
    "uplink_free_commit_upload_result": (None, [d._UplinkCommitUploadResult]),
    "uplink_free_part_upload_result": (None, [d._UplinkPartUploadResult]),
    "uplink_free_part": (None, [_P(d._UplinkPart)]),
    "uplink_free_part_result": (None, [d._UplinkPartResult]),
    "uplink_free_upload_iterator": (None, [_P(d._UplinkUploadIterator)]),
    "uplink_free_part_iterator": (None, [_P(d._UplinkPartIterator)]),
    # edge
    "edge_register_access": (
        d._EdgeCredentialsResult, [d._EdgeConfig, _P(d._UplinkAccess), _P(d._EdgeRegisterAccessOptions)]),
    "edge_join_share_url": (d._UplinkStringResult, [_str, _str, _str, _str, _P(d._EdgeShareURLOptions)]),
    "edge_free_credentials": (None, [_P(d._EdgeCredentials)]),
    "edge_free_credentials_result": (None, [d._EdgeCredentialsResult]),
    # errors and leak checks
    "uplink_free_error": (None, [_P(d._UplinkError)]),
    "uplink_internal_UniverseIsEmpty": (c_bool, []),
}

# Functions of our libuplinkc that an upstream uplink-c build lacks: declared when present, never required.
OPTIONAL_DECLARATIONS: dict[str, tuple[Any, list[Any]]] = {
    # The uplink_python version the library was built for (1.14.0.N); a constant string, not freed.
    "libuplinkc_version": (c_char_p, []),
    # The upy_ extensions (uplink_python_ext.h): versioning, Object Lock, conditional writes, DeleteObjects.
    **_ext_def.DECLARATIONS,
}

_lock = threading.Lock()
_library: Optional[ctypes.CDLL] = None
_library_path: Optional[Path] = None


def candidate_paths() -> list[Path]:
    """Where the library is looked for, in order: the environment override, then the package folder."""
    paths = []
    override = os.environ.get(LIBRARY_ENV)
    if override:
        paths.append(Path(override))
    paths.append(PACKAGE_DIR / LIBRARY_NAME)
    return paths


def _declare(library: ctypes.CDLL, path: Path) -> None:
    missing = [name for name in DECLARATIONS if not hasattr(library, name)]
    if missing:
        raise LibUplinkSoError(
            details=f"{path} does not export {len(missing)} function(s) this package needs: {', '.join(missing)}")
    for name, (restype, argtypes) in DECLARATIONS.items():
        function = getattr(library, name)
        function.restype = restype
        function.argtypes = argtypes
    for name, (restype, argtypes) in OPTIONAL_DECLARATIONS.items():
        if hasattr(library, name):
            function = getattr(library, name)
            function.restype = restype
            function.argtypes = argtypes


def load(path: Optional[Path] = None) -> ctypes.CDLL:
    """Loads and declares libuplinkc once per process; later calls return the same library."""
    global _library, _library_path
    with _lock:
        if _library is not None:
            if path is not None and path.resolve() != _library_path:
                # One Go runtime per process: a second libuplinkc cannot be loaded beside the first.
                raise LibUplinkSoError(details=f"{_library_path} is already loaded; cannot also load {path}")
            return _library
        tried = [path] if path is not None else candidate_paths()
        errors = []
        for candidate in tried:
            if not candidate.is_file():
                errors.append(f"{candidate}: no such file")
                continue
            try:
                library = ctypes.CDLL(str(candidate))
            except OSError as exc:
                errors.append(f"{candidate}: {exc}")
                continue
            _declare(library, candidate)
            _library, _library_path = library, candidate.resolve()
            return library
        raise LibUplinkSoError(
            details="tried " + "; ".join(errors)
            + f". Build it with build_libuplink.sh or set {LIBRARY_ENV} to its path.")


def lib() -> Any:
    """The loaded library (loading it on first use). Typed Any: its functions are declared at run time."""
    return _library if _library is not None else load()


def library_version() -> Optional[str]:
    """The version the loaded libuplinkc reports (libuplinkc_version()), or None for a library without it
    (an upstream uplink-c build)."""
    library = lib()
    if not hasattr(library, "libuplinkc_version"):
        return None
    value: bytes = library.libuplinkc_version()
    return value.decode()
