# mypy: disable-error-code="empty-body"
"""Every C function of libuplinkc, declared once: its C types for ctypes and its Python types for mypy.

Each method of ``Library`` is a typed stub of one C function, and its decorator records the function's
restype and argtypes (the C signature, as in ``docs/c-api.md``). ``_native`` sets those on the loaded
library's functions once, and ``_native.lib()`` returns the library typed as ``Library``: a call such as
``lib().uplink_stat_object(...)`` is a direct ctypes call, and a typo or a wrong argument is a mypy error,
not a run-time one.

``@_optional`` marks functions our libuplinkc adds (``libuplinkc_version`` and the ``upy_`` extensions): an
upstream uplink-c library lacks them, and the package checks for them before calling one.
"""

from __future__ import annotations

import ctypes
from ctypes import POINTER as _P
from ctypes import c_bool, c_char_p, c_int64, c_size_t, c_uint32, c_uint64, c_void_p
from typing import TYPE_CHECKING, Any, Callable, Optional, Protocol, TypeVar, Union

from . import ext_def as e
from . import structs as d

_str = c_char_p  # const char *, UTF-8, NUL-terminated (bytes, or None for NULL)
_GoInt = c_int64  # cgo's `int` parameter

S = TypeVar("S", bound=ctypes.Structure)
if TYPE_CHECKING:  # annotations only (never evaluated at run time)
    from ctypes import _CArgObject, _Pointer

    # What the library returns for a `T *`, and what a `T *` parameter accepts: a pointer, a struct that
    # ctypes passes by reference, byref(struct), or None for NULL.
    Ptr = _Pointer
    Ref = Union[_Pointer[S], S, _CArgObject, None]

F = TypeVar("F", bound=Callable[..., Any])

# name: (restype, argtypes); OPTIONAL names the functions only this project's libuplinkc exports.
DECLARATIONS: dict[str, tuple[Any, list[Any]]] = {}
OPTIONAL: set[str] = set()


def _declare(restype: Any, *argtypes: Any) -> Callable[[F], F]:
    """A function of uplink-c v1.14's C API: every library this package loads must export it."""
    def record(
            stub: F
    ) -> F:
        DECLARATIONS[stub.__name__] = (restype, list(argtypes))
        return stub

    return record


def _optional(restype: Any, *argtypes: Any) -> Callable[[F], F]:
    """A function only this project's libuplinkc exports (an upstream uplink-c library lacks it)."""
    def record(stub: F) -> F:
        OPTIONAL.add(stub.__name__)
        return _declare(restype, *argtypes)(stub)

    return record


class Library(Protocol):
    """The loaded libuplinkc as ``_native.lib()`` returns it: one typed method per C function."""

    # access

    @_declare(d._UplinkAccessResult, _str)
    def uplink_parse_access(self, access_string: Optional[bytes]) -> d._UplinkAccessResult: ...

    @_declare(d._UplinkAccessResult, _str, _str, _str)
    def uplink_request_access_with_passphrase(
            self, satellite_address: Optional[bytes], api_key: Optional[bytes], passphrase: Optional[bytes]
    ) -> d._UplinkAccessResult: ...

    @_declare(d._UplinkAccessResult, d._UplinkConfig, _str, _str, _str)
    def uplink_config_request_access_with_passphrase(
            self, config: d._UplinkConfig, satellite_address: Optional[bytes], api_key: Optional[bytes],
            passphrase: Optional[bytes]
    ) -> d._UplinkAccessResult: ...

    @_declare(d._UplinkStringResult, _P(d._UplinkAccess))
    def uplink_access_satellite_address(self, access: Ref[d._UplinkAccess]) -> d._UplinkStringResult: ...

    @_declare(d._UplinkStringResult, _P(d._UplinkAccess))
    def uplink_access_serialize(self, access: Ref[d._UplinkAccess]) -> d._UplinkStringResult: ...

    @_declare(d._UplinkAccessResult, _P(d._UplinkAccess), d._UplinkPermission, _P(d._UplinkSharePrefix), _GoInt)
    def uplink_access_share(
            self, access: Ref[d._UplinkAccess], permission: d._UplinkPermission,
            prefixes: Ref[d._UplinkSharePrefix], prefixes_count: int
    ) -> d._UplinkAccessResult: ...

    @_declare(_P(d._UplinkError), _P(d._UplinkAccess), _str, _str, _P(d._UplinkEncryptionKey))
    def uplink_access_override_encryption_key(
            self, access: Ref[d._UplinkAccess], bucket: Optional[bytes], prefix: Optional[bytes],
            encryption_key: Ref[d._UplinkEncryptionKey]
    ) -> Ptr[d._UplinkError]: ...

    @_declare(d._UplinkEncryptionKeyResult, _str, c_void_p, c_size_t)
    def uplink_derive_encryption_key(
            self, passphrase: Optional[bytes], salt: Any, length: int
    ) -> d._UplinkEncryptionKeyResult: ...

    @_declare(None, d._UplinkAccessResult)
    def uplink_free_access_result(self, result: d._UplinkAccessResult) -> None: ...

    @_declare(None, d._UplinkStringResult)
    def uplink_free_string_result(self, result: d._UplinkStringResult) -> None: ...

    @_declare(None, d._UplinkEncryptionKeyResult)
    def uplink_free_encryption_key_result(self, result: d._UplinkEncryptionKeyResult) -> None: ...


    # project

    @_declare(d._UplinkProjectResult, _P(d._UplinkAccess))
    def uplink_open_project(self, access: Ref[d._UplinkAccess]) -> d._UplinkProjectResult: ...

    @_declare(d._UplinkProjectResult, d._UplinkConfig, _P(d._UplinkAccess))
    def uplink_config_open_project(
            self, config: d._UplinkConfig, access: Ref[d._UplinkAccess]
    ) -> d._UplinkProjectResult: ...

    @_declare(_P(d._UplinkError), _P(d._UplinkProject))
    def uplink_close_project(self, handle: Ref[d._UplinkProject]) -> Ptr[d._UplinkError]: ...

    @_declare(None, d._UplinkProjectResult)
    def uplink_free_project_result(self, result: d._UplinkProjectResult) -> None: ...

    @_declare(_P(d._UplinkError), _P(d._UplinkProject), _P(d._UplinkAccess))
    def uplink_revoke_access(
            self, handle: Ref[d._UplinkProject], access_handle: Ref[d._UplinkAccess]
    ) -> Ptr[d._UplinkError]: ...


    # buckets

    @_declare(d._UplinkBucketResult, _P(d._UplinkProject), _str)
    def uplink_stat_bucket(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes]
    ) -> d._UplinkBucketResult: ...

    @_declare(d._UplinkBucketResult, _P(d._UplinkProject), _str)
    def uplink_create_bucket(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes]
    ) -> d._UplinkBucketResult: ...

    @_declare(d._UplinkBucketResult, _P(d._UplinkProject), _str)
    def uplink_ensure_bucket(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes]
    ) -> d._UplinkBucketResult: ...

    @_declare(d._UplinkBucketResult, _P(d._UplinkProject), _str)
    def uplink_delete_bucket(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes]
    ) -> d._UplinkBucketResult: ...

    @_declare(d._UplinkBucketResult, _P(d._UplinkProject), _str)
    def uplink_delete_bucket_with_objects(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes]
    ) -> d._UplinkBucketResult: ...

    @_declare(None, d._UplinkBucketResult)
    def uplink_free_bucket_result(self, result: d._UplinkBucketResult) -> None: ...

    @_declare(None, _P(d._UplinkBucket))
    def uplink_free_bucket(self, bucket: Ref[d._UplinkBucket]) -> None: ...

    @_declare(_P(d._UplinkBucketIterator), _P(d._UplinkProject), _P(d._UplinkListBucketsOptions))
    def uplink_list_buckets(
            self, project: Ref[d._UplinkProject], options: Ref[d._UplinkListBucketsOptions]
    ) -> Ptr[d._UplinkBucketIterator]: ...

    @_declare(c_bool, _P(d._UplinkBucketIterator))
    def uplink_bucket_iterator_next(self, it: Ref[d._UplinkBucketIterator]) -> bool: ...

    @_declare(_P(d._UplinkBucket), _P(d._UplinkBucketIterator))
    def uplink_bucket_iterator_item(self, it: Ref[d._UplinkBucketIterator]) -> Ptr[d._UplinkBucket]: ...

    @_declare(_P(d._UplinkError), _P(d._UplinkBucketIterator))
    def uplink_bucket_iterator_err(self, it: Ref[d._UplinkBucketIterator]) -> Ptr[d._UplinkError]: ...

    @_declare(None, _P(d._UplinkBucketIterator))
    def uplink_free_bucket_iterator(self, it: Ref[d._UplinkBucketIterator]) -> None: ...


    # objects

    @_declare(d._UplinkObjectResult, _P(d._UplinkProject), _str, _str)
    def uplink_stat_object(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_key: Optional[bytes]
    ) -> d._UplinkObjectResult: ...

    @_declare(d._UplinkObjectResult, _P(d._UplinkProject), _str, _str)
    def uplink_delete_object(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_key: Optional[bytes]
    ) -> d._UplinkObjectResult: ...

    @_declare(None, d._UplinkObjectResult)
    def uplink_free_object_result(self, result: d._UplinkObjectResult) -> None: ...

    @_declare(None, _P(d._UplinkObject))
    def uplink_free_object(self, object: Ref[d._UplinkObject]) -> None: ...

    @_declare(_P(d._UplinkObjectIterator), _P(d._UplinkProject), _str, _P(d._UplinkListObjectsOptions))
    def uplink_list_objects(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes],
            options: Ref[d._UplinkListObjectsOptions]
    ) -> Ptr[d._UplinkObjectIterator]: ...

    @_declare(c_bool, _P(d._UplinkObjectIterator))
    def uplink_object_iterator_next(self, it: Ref[d._UplinkObjectIterator]) -> bool: ...

    @_declare(_P(d._UplinkObject), _P(d._UplinkObjectIterator))
    def uplink_object_iterator_item(self, it: Ref[d._UplinkObjectIterator]) -> Ptr[d._UplinkObject]: ...

    @_declare(_P(d._UplinkError), _P(d._UplinkObjectIterator))
    def uplink_object_iterator_err(self, it: Ref[d._UplinkObjectIterator]) -> Ptr[d._UplinkError]: ...

    @_declare(None, _P(d._UplinkObjectIterator))
    def uplink_free_object_iterator(self, it: Ref[d._UplinkObjectIterator]) -> None: ...

    @_declare(d._UplinkObjectResult, _P(d._UplinkProject), _str, _str, _str, _str, _P(d._UplinkCopyObjectOptions))
    def uplink_copy_object(
            self, project: Ref[d._UplinkProject], old_bucket_name: Optional[bytes],
            old_object_key: Optional[bytes], new_bucket_name: Optional[bytes], new_object_key: Optional[bytes],
            options: Ref[d._UplinkCopyObjectOptions]
    ) -> d._UplinkObjectResult: ...

    @_declare(_P(d._UplinkError), _P(d._UplinkProject), _str, _str, _str, _str, _P(d._UplinkMoveObjectOptions))
    def uplink_move_object(
            self, project: Ref[d._UplinkProject], old_bucket_name: Optional[bytes],
            old_object_key: Optional[bytes], new_bucket_name: Optional[bytes], new_object_key: Optional[bytes],
            options: Ref[d._UplinkMoveObjectOptions]
    ) -> Ptr[d._UplinkError]: ...

    @_declare(
                _P(d._UplinkError), _P(d._UplinkProject), _str, _str, d._UplinkCustomMetadata,
            _P(d._UplinkUploadObjectMetadataOptions))
    def uplink_update_object_metadata(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_key: Optional[bytes],
            new_metadata: d._UplinkCustomMetadata, options: Ref[d._UplinkUploadObjectMetadataOptions]
    ) -> Ptr[d._UplinkError]: ...


    # upload

    @_declare(d._UplinkUploadResult, _P(d._UplinkProject), _str, _str, _P(d._UplinkUploadOptions))
    def uplink_upload_object(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_key: Optional[bytes],
            options: Ref[d._UplinkUploadOptions]
    ) -> d._UplinkUploadResult: ...

    @_declare(d._UplinkWriteResult, _P(d._UplinkUpload), c_void_p, c_size_t)
    def uplink_upload_write(self, p: Ref[d._UplinkUpload], bytes: Any, length: int) -> d._UplinkWriteResult: ...

    @_declare(_P(d._UplinkError), _P(d._UplinkUpload))
    def uplink_upload_commit(self, p: Ref[d._UplinkUpload]) -> Ptr[d._UplinkError]: ...

    @_declare(_P(d._UplinkError), _P(d._UplinkUpload))
    def uplink_upload_abort(self, p: Ref[d._UplinkUpload]) -> Ptr[d._UplinkError]: ...

    @_declare(d._UplinkObjectResult, _P(d._UplinkUpload))
    def uplink_upload_info(self, p: Ref[d._UplinkUpload]) -> d._UplinkObjectResult: ...

    @_declare(_P(d._UplinkError), _P(d._UplinkUpload), d._UplinkCustomMetadata)
    def uplink_upload_set_custom_metadata(
            self, p: Ref[d._UplinkUpload], custom: d._UplinkCustomMetadata
    ) -> Ptr[d._UplinkError]: ...

    @_declare(None, d._UplinkWriteResult)
    def uplink_free_write_result(self, result: d._UplinkWriteResult) -> None: ...

    @_declare(None, d._UplinkUploadResult)
    def uplink_free_upload_result(self, result: d._UplinkUploadResult) -> None: ...


    # download

    @_declare(d._UplinkDownloadResult, _P(d._UplinkProject), _str, _str, _P(d._UplinkDownloadOptions))
    def uplink_download_object(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_key: Optional[bytes],
            options: Ref[d._UplinkDownloadOptions]
    ) -> d._UplinkDownloadResult: ...

    @_declare(d._UplinkReadResult, _P(d._UplinkDownload), c_void_p, c_size_t)
    def uplink_download_read(self, p: Ref[d._UplinkDownload], bytes: Any, length: int) -> d._UplinkReadResult: ...

    @_declare(d._UplinkObjectResult, _P(d._UplinkDownload))
    def uplink_download_info(self, p: Ref[d._UplinkDownload]) -> d._UplinkObjectResult: ...

    @_declare(_P(d._UplinkError), _P(d._UplinkDownload))
    def uplink_close_download(self, p: Ref[d._UplinkDownload]) -> Ptr[d._UplinkError]: ...

    @_declare(None, d._UplinkReadResult)
    def uplink_free_read_result(self, result: d._UplinkReadResult) -> None: ...

    @_declare(None, d._UplinkDownloadResult)
    def uplink_free_download_result(self, result: d._UplinkDownloadResult) -> None: ...


    # multipart

    @_declare(d._UplinkUploadInfoResult, _P(d._UplinkProject), _str, _str, _P(d._UplinkUploadOptions))
    def uplink_begin_upload(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_key: Optional[bytes],
            options: Ref[d._UplinkUploadOptions]
    ) -> d._UplinkUploadInfoResult: ...

    @_declare(d._UplinkCommitUploadResult, _P(d._UplinkProject), _str, _str, _str, _P(d._UplinkCommitUploadOptions))
    def uplink_commit_upload(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_key: Optional[bytes],
            upload_i_d: Optional[bytes], options: Ref[d._UplinkCommitUploadOptions]
    ) -> d._UplinkCommitUploadResult: ...

    @_declare(_P(d._UplinkError), _P(d._UplinkProject), _str, _str, _str)
    def uplink_abort_upload(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_key: Optional[bytes],
            upload_i_d: Optional[bytes]
    ) -> Ptr[d._UplinkError]: ...

    @_declare(d._UplinkPartUploadResult, _P(d._UplinkProject), _str, _str, _str, c_uint32)
    def uplink_upload_part(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_key: Optional[bytes],
            upload_i_d: Optional[bytes], part_number: int
    ) -> d._UplinkPartUploadResult: ...

    @_declare(d._UplinkWriteResult, _P(d._UplinkPartUpload), c_void_p, c_size_t)
    def uplink_part_upload_write(
            self, p: Ref[d._UplinkPartUpload], bytes: Any, length: int
    ) -> d._UplinkWriteResult: ...

    @_declare(_P(d._UplinkError), _P(d._UplinkPartUpload), _str)
    def uplink_part_upload_set_etag(
            self, p: Ref[d._UplinkPartUpload], etag: Optional[bytes]
    ) -> Ptr[d._UplinkError]: ...

    @_declare(_P(d._UplinkError), _P(d._UplinkPartUpload))
    def uplink_part_upload_commit(self, p: Ref[d._UplinkPartUpload]) -> Ptr[d._UplinkError]: ...

    @_declare(_P(d._UplinkError), _P(d._UplinkPartUpload))
    def uplink_part_upload_abort(self, p: Ref[d._UplinkPartUpload]) -> Ptr[d._UplinkError]: ...

    @_declare(d._UplinkPartResult, _P(d._UplinkPartUpload))
    def uplink_part_upload_info(self, p: Ref[d._UplinkPartUpload]) -> d._UplinkPartResult: ...

    @_declare(_P(d._UplinkUploadIterator), _P(d._UplinkProject), _str, _P(d._UplinkListUploadsOptions))
    def uplink_list_uploads(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes],
            options: Ref[d._UplinkListUploadsOptions]
    ) -> Ptr[d._UplinkUploadIterator]: ...

    @_declare(c_bool, _P(d._UplinkUploadIterator))
    def uplink_upload_iterator_next(self, it: Ref[d._UplinkUploadIterator]) -> bool: ...

    @_declare(_P(d._UplinkUploadInfo), _P(d._UplinkUploadIterator))
    def uplink_upload_iterator_item(self, it: Ref[d._UplinkUploadIterator]) -> Ptr[d._UplinkUploadInfo]: ...

    @_declare(_P(d._UplinkError), _P(d._UplinkUploadIterator))
    def uplink_upload_iterator_err(self, it: Ref[d._UplinkUploadIterator]) -> Ptr[d._UplinkError]: ...

    @_declare(_P(d._UplinkPartIterator), _P(d._UplinkProject), _str, _str, _str, _P(d._UplinkListUploadPartsOptions))
    def uplink_list_upload_parts(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_key: Optional[bytes],
            upload_i_d: Optional[bytes], options: Ref[d._UplinkListUploadPartsOptions]
    ) -> Ptr[d._UplinkPartIterator]: ...

    @_declare(c_bool, _P(d._UplinkPartIterator))
    def uplink_part_iterator_next(self, it: Ref[d._UplinkPartIterator]) -> bool: ...

    @_declare(_P(d._UplinkPart), _P(d._UplinkPartIterator))
    def uplink_part_iterator_item(self, it: Ref[d._UplinkPartIterator]) -> Ptr[d._UplinkPart]: ...

    @_declare(_P(d._UplinkError), _P(d._UplinkPartIterator))
    def uplink_part_iterator_err(self, it: Ref[d._UplinkPartIterator]) -> Ptr[d._UplinkError]: ...

    @_declare(None, _P(d._UplinkUploadInfo))
    def uplink_free_upload_info(self, info: Ref[d._UplinkUploadInfo]) -> None: ...

    @_declare(None, d._UplinkUploadInfoResult)
    def uplink_free_upload_info_result(self, result: d._UplinkUploadInfoResult) -> None: ...

    @_declare(None, d._UplinkCommitUploadResult)
    def uplink_free_commit_upload_result(self, result: d._UplinkCommitUploadResult) -> None: ...

    @_declare(None, d._UplinkPartUploadResult)
    def uplink_free_part_upload_result(self, result: d._UplinkPartUploadResult) -> None: ...

    @_declare(None, _P(d._UplinkPart))
    def uplink_free_part(self, part: Ref[d._UplinkPart]) -> None: ...

    @_declare(None, d._UplinkPartResult)
    def uplink_free_part_result(self, result: d._UplinkPartResult) -> None: ...

    @_declare(None, _P(d._UplinkUploadIterator))
    def uplink_free_upload_iterator(self, it: Ref[d._UplinkUploadIterator]) -> None: ...

    @_declare(None, _P(d._UplinkPartIterator))
    def uplink_free_part_iterator(self, it: Ref[d._UplinkPartIterator]) -> None: ...


    # edge

    @_declare(d._EdgeCredentialsResult, d._EdgeConfig, _P(d._UplinkAccess), _P(d._EdgeRegisterAccessOptions))
    def edge_register_access(
            self, config: d._EdgeConfig, access_handle: Ref[d._UplinkAccess],
            options: Ref[d._EdgeRegisterAccessOptions]
    ) -> d._EdgeCredentialsResult: ...

    @_declare(d._UplinkStringResult, _str, _str, _str, _str, _P(d._EdgeShareURLOptions))
    def edge_join_share_url(
            self, base_u_r_l: Optional[bytes], access_key_i_d: Optional[bytes], bucket: Optional[bytes],
            key: Optional[bytes], options: Ref[d._EdgeShareURLOptions]
    ) -> d._UplinkStringResult: ...

    @_declare(None, _P(d._EdgeCredentials))
    def edge_free_credentials(self, credentials: Ref[d._EdgeCredentials]) -> None: ...

    @_declare(None, d._EdgeCredentialsResult)
    def edge_free_credentials_result(self, result: d._EdgeCredentialsResult) -> None: ...


    # errors and leak checks

    @_declare(None, _P(d._UplinkError))
    def uplink_free_error(self, err: Ref[d._UplinkError]) -> None: ...

    @_declare(c_bool)
    def uplink_internal_UniverseIsEmpty(self) -> bool: ...


    # Ours, outside uplink-c's names: present in this project's libuplinkc, absent from an upstream one.

    @_optional(_str)
    def libuplinkc_version(self) -> Optional[bytes]: ...


    # upy_: versioning, Object Lock, conditional writes, DeleteObjects (uplink_python_ext.h)

    @_optional(d._UplinkBucketResult, _P(d._UplinkProject), _str, c_bool)
    def upy_create_bucket(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_lock: bool
    ) -> d._UplinkBucketResult: ...

    @_optional(e._UpyIntResult, _P(d._UplinkProject), _str)
    def upy_get_bucket_versioning(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes]
    ) -> e._UpyIntResult: ...

    @_optional(_P(d._UplinkError), _P(d._UplinkProject), _str, c_bool)
    def upy_set_bucket_versioning(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], enabled: bool
    ) -> Ptr[d._UplinkError]: ...

    @_optional(e._UpyVersionedObjectResult, _P(d._UplinkProject), _str, _str, _str, c_size_t)
    def upy_stat_object(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_key: Optional[bytes],
            version: Optional[bytes], version_length: int
    ) -> e._UpyVersionedObjectResult: ...

    @_optional(e._UpyVersionedObjectResult, _P(d._UplinkProject), _str, _str, _str, c_size_t, c_bool)
    def upy_delete_object(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_key: Optional[bytes],
            version: Optional[bytes], version_length: int, bypass_governance: bool
    ) -> e._UpyVersionedObjectResult: ...

    @_optional(
            d._UplinkDownloadResult, _P(d._UplinkProject), _str, _str, _str, c_size_t, _P(d._UplinkDownloadOptions))
    def upy_download_object(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_key: Optional[bytes],
            version: Optional[bytes], version_length: int, options: Ref[d._UplinkDownloadOptions]
    ) -> d._UplinkDownloadResult: ...

    @_optional(d._UplinkUploadResult, _P(d._UplinkProject), _str, _str, _P(e._UpyUploadOptions))
    def upy_upload_object(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_key: Optional[bytes],
            options: Ref[e._UpyUploadOptions]
    ) -> d._UplinkUploadResult: ...

    @_optional(_P(d._UplinkError), _P(d._UplinkUpload))
    def upy_upload_commit(self, p: Ref[d._UplinkUpload]) -> Ptr[d._UplinkError]: ...

    @_optional(e._UpyVersionedObjectResult, _P(d._UplinkUpload))
    def upy_upload_info(self, p: Ref[d._UplinkUpload]) -> e._UpyVersionedObjectResult: ...

    @_optional(_P(e._UpyObjectVersionIterator), _P(d._UplinkProject), _str, _P(e._UpyListObjectVersionsOptions))
    def upy_list_object_versions(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes],
            options: Ref[e._UpyListObjectVersionsOptions]
    ) -> Ptr[e._UpyObjectVersionIterator]: ...

    @_optional(c_bool, _P(e._UpyObjectVersionIterator))
    def upy_object_version_iterator_next(self, it: Ref[e._UpyObjectVersionIterator]) -> bool: ...

    @_optional(_P(e._UpyVersionedObject), _P(e._UpyObjectVersionIterator))
    def upy_object_version_iterator_item(
            self, it: Ref[e._UpyObjectVersionIterator]
    ) -> Ptr[e._UpyVersionedObject]: ...

    @_optional(_P(d._UplinkError), _P(e._UpyObjectVersionIterator))
    def upy_object_version_iterator_err(self, it: Ref[e._UpyObjectVersionIterator]) -> Ptr[d._UplinkError]: ...

    @_optional(None, _P(e._UpyObjectVersionIterator))
    def upy_free_object_version_iterator(self, it: Ref[e._UpyObjectVersionIterator]) -> None: ...

    @_optional(_P(d._UplinkError), _P(d._UplinkProject), _str, _str, _str, c_size_t, e._UpyRetention, c_bool)
    def upy_set_object_retention(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_key: Optional[bytes],
            version: Optional[bytes], version_length: int, retention: e._UpyRetention, bypass_governance: bool
    ) -> Ptr[d._UplinkError]: ...

    @_optional(e._UpyRetentionResult, _P(d._UplinkProject), _str, _str, _str, c_size_t)
    def upy_get_object_retention(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_key: Optional[bytes],
            version: Optional[bytes], version_length: int
    ) -> e._UpyRetentionResult: ...

    @_optional(_P(d._UplinkError), _P(d._UplinkProject), _str, _str, _str, c_size_t, c_bool)
    def upy_set_object_legal_hold(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_key: Optional[bytes],
            version: Optional[bytes], version_length: int, enabled: bool
    ) -> Ptr[d._UplinkError]: ...

    @_optional(e._UpyIntResult, _P(d._UplinkProject), _str, _str, _str, c_size_t)
    def upy_get_object_legal_hold(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes], object_key: Optional[bytes],
            version: Optional[bytes], version_length: int
    ) -> e._UpyIntResult: ...

    @_optional(e._UpyObjectLockConfigurationResult, _P(d._UplinkProject), _str)
    def upy_get_bucket_object_lock_configuration(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes]
    ) -> e._UpyObjectLockConfigurationResult: ...

    @_optional(_P(d._UplinkError), _P(d._UplinkProject), _str, _P(e._UpyObjectLockConfiguration))
    def upy_set_bucket_object_lock_configuration(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes],
            configuration: Ref[e._UpyObjectLockConfiguration]
    ) -> Ptr[d._UplinkError]: ...

    @_optional(
                e._UpyDeleteObjectsResult, _P(d._UplinkProject), _str, _P(e._UpyDeleteObjectsItem), c_size_t, c_bool,
                c_bool)
    def upy_delete_objects(
            self, project: Ref[d._UplinkProject], bucket_name: Optional[bytes],
            items: Ref[e._UpyDeleteObjectsItem], count: int, bypass_governance: bool, quiet: bool
    ) -> e._UpyDeleteObjectsResult: ...

    @_optional(None, _P(e._UpyVersionedObject))
    def upy_free_versioned_object(self, o: Ref[e._UpyVersionedObject]) -> None: ...

    @_optional(None, e._UpyVersionedObjectResult)
    def upy_free_versioned_object_result(self, result: e._UpyVersionedObjectResult) -> None: ...

    @_optional(None, e._UpyIntResult)
    def upy_free_int_result(self, result: e._UpyIntResult) -> None: ...

    @_optional(None, e._UpyRetentionResult)
    def upy_free_retention_result(self, result: e._UpyRetentionResult) -> None: ...

    @_optional(None, e._UpyObjectLockConfigurationResult)
    def upy_free_object_lock_configuration_result(self, result: e._UpyObjectLockConfigurationResult) -> None: ...

    @_optional(None, e._UpyDeleteObjectsResult)
    def upy_free_delete_objects_result(self, result: e._UpyDeleteObjectsResult) -> None: ...

    @_optional(e._UpyObjectArray, _P(d._UplinkObjectIterator), c_size_t)
    def upy_object_iterator_next_array(self, it: Ref[d._UplinkObjectIterator], limit: int) -> e._UpyObjectArray: ...

    @_optional(None, e._UpyObjectArray)
    def upy_free_object_array(self, page: e._UpyObjectArray) -> None: ...

    @_optional(e._UpyObjectVersionPage, _P(e._UpyObjectVersionIterator), c_size_t)
    def upy_object_version_iterator_next_page(self, it: Ref[e._UpyObjectVersionIterator],
                                              limit: int) -> e._UpyObjectVersionPage: ...

    @_optional(None, e._UpyObjectVersionPage)
    def upy_free_object_version_page(self, page: e._UpyObjectVersionPage) -> None: ...

    # asyncio completions: each upy_async_X starts X and its result is taken later from the queue (docs/c-api.md)

    @_optional(e._UpyAsyncQueueResult)
    def upy_async_queue_new(self) -> e._UpyAsyncQueueResult: ...

    @_optional(c_size_t, _P(e._UpyAsyncQueue), _P(e._UpyCompletion), c_size_t)
    def upy_async_queue_take(self, queue: Ref[e._UpyAsyncQueue], completions: Any, capacity: int) -> int: ...

    @_optional(c_size_t, _P(e._UpyAsyncQueue))
    def upy_async_queue_in_flight(self, queue: Ref[e._UpyAsyncQueue]) -> int: ...

    @_optional(None, e._UpyAsyncQueueResult)
    def upy_free_async_queue_result(self, result: e._UpyAsyncQueueResult) -> None: ...

    @_optional(_P(d._UplinkError), _P(e._UpyAsyncQueue), c_uint64, _P(d._UplinkProject), _str, _str, _str, c_size_t)
    def upy_async_stat_object(
            self, queue: Ref[e._UpyAsyncQueue], token: int, project: Ref[d._UplinkProject],
            bucket_name: Optional[bytes], object_key: Optional[bytes], version: Optional[bytes], version_length: int
    ) -> Ptr[d._UplinkError]: ...

    @_optional(
                _P(d._UplinkError), _P(e._UpyAsyncQueue), c_uint64, _P(d._UplinkProject), _str, _str, _str, c_size_t,
                c_bool)
    def upy_async_delete_object(
            self, queue: Ref[e._UpyAsyncQueue], token: int, project: Ref[d._UplinkProject],
            bucket_name: Optional[bytes], object_key: Optional[bytes], version: Optional[bytes], version_length: int,
            bypass_governance: bool
    ) -> Ptr[d._UplinkError]: ...

    @_optional(
                _P(d._UplinkError), _P(e._UpyAsyncQueue), c_uint64, _P(d._UplinkProject), _str, _str,
                _P(d._UplinkUploadOptions))
    def upy_async_upload_object(
            self, queue: Ref[e._UpyAsyncQueue], token: int, project: Ref[d._UplinkProject],
            bucket_name: Optional[bytes], object_key: Optional[bytes], options: Ref[d._UplinkUploadOptions]
    ) -> Ptr[d._UplinkError]: ...

    @_optional(
                _P(d._UplinkError), _P(e._UpyAsyncQueue), c_uint64, _P(d._UplinkProject), _str, _str,
                _P(d._UplinkDownloadOptions))
    def upy_async_download_object(
            self, queue: Ref[e._UpyAsyncQueue], token: int, project: Ref[d._UplinkProject],
            bucket_name: Optional[bytes], object_key: Optional[bytes], options: Ref[d._UplinkDownloadOptions]
    ) -> Ptr[d._UplinkError]: ...

    @_optional(_P(d._UplinkError), _P(e._UpyAsyncQueue), c_uint64, _P(d._UplinkUpload), c_void_p, c_size_t)
    def upy_async_upload_write(
            self, queue: Ref[e._UpyAsyncQueue], token: int, p: Ref[d._UplinkUpload], bytes: Any, length: int
    ) -> Ptr[d._UplinkError]: ...

    @_optional(_P(d._UplinkError), _P(e._UpyAsyncQueue), c_uint64, _P(d._UplinkUpload))
    def upy_async_upload_commit(
            self, queue: Ref[e._UpyAsyncQueue], token: int, p: Ref[d._UplinkUpload]
    ) -> Ptr[d._UplinkError]: ...

    @_optional(_P(d._UplinkError), _P(e._UpyAsyncQueue), c_uint64, _P(d._UplinkUpload))
    def upy_async_upload_abort(
            self, queue: Ref[e._UpyAsyncQueue], token: int, p: Ref[d._UplinkUpload]
    ) -> Ptr[d._UplinkError]: ...

    @_optional(_P(d._UplinkError), _P(e._UpyAsyncQueue), c_uint64, _P(d._UplinkDownload), c_void_p, c_size_t)
    def upy_async_download_read(
            self, queue: Ref[e._UpyAsyncQueue], token: int, p: Ref[d._UplinkDownload], bytes: Any, length: int
    ) -> Ptr[d._UplinkError]: ...

    @_optional(_P(d._UplinkError), _P(e._UpyAsyncQueue), c_uint64, _P(d._UplinkDownload))
    def upy_async_close_download(
            self, queue: Ref[e._UpyAsyncQueue], token: int, p: Ref[d._UplinkDownload]
    ) -> Ptr[d._UplinkError]: ...

    @_optional(_P(d._UplinkError), _P(e._UpyAsyncQueue), c_uint64, _P(d._UplinkProject), _str)
    def upy_async_stat_bucket(
            self, queue: Ref[e._UpyAsyncQueue], token: int, project: Ref[d._UplinkProject],
            bucket_name: Optional[bytes]
    ) -> Ptr[d._UplinkError]: ...

    @_optional(_P(d._UplinkError), _P(e._UpyAsyncQueue), c_uint64, _P(d._UplinkProject), _str)
    def upy_async_create_bucket(
            self, queue: Ref[e._UpyAsyncQueue], token: int, project: Ref[d._UplinkProject],
            bucket_name: Optional[bytes]
    ) -> Ptr[d._UplinkError]: ...

    @_optional(_P(d._UplinkError), _P(e._UpyAsyncQueue), c_uint64, _P(d._UplinkProject), _str)
    def upy_async_ensure_bucket(
            self, queue: Ref[e._UpyAsyncQueue], token: int, project: Ref[d._UplinkProject],
            bucket_name: Optional[bytes]
    ) -> Ptr[d._UplinkError]: ...

    @_optional(_P(d._UplinkError), _P(e._UpyAsyncQueue), c_uint64, _P(d._UplinkProject), _str)
    def upy_async_delete_bucket(
            self, queue: Ref[e._UpyAsyncQueue], token: int, project: Ref[d._UplinkProject],
            bucket_name: Optional[bytes]
    ) -> Ptr[d._UplinkError]: ...
