"""ctypes mirrors of the structs in libuplinkc v1.14's ``uplink_definitions.h``.

Field order and C types follow the header one for one; the layout is what the C compiler gives
those declarations on the same platform. Names keep the header's ``Uplink``/``Edge`` prefixes
(with a leading underscore) so a struct can be found in the header by name.
"""

from __future__ import annotations

import ctypes
from typing import TYPE_CHECKING, Optional
from ctypes import POINTER, Structure, c_bool, c_char_p, c_int32, c_int64, c_size_t, c_uint32, c_void_p

c_char_ptr = POINTER(ctypes.c_char)
"""C ``char *`` that the library allocated and ctypes must not convert to ``bytes`` (the pointer is needed to
read explicit-length data and to pass the struct back for freeing)."""

if TYPE_CHECKING:
    from ctypes import _Pointer


class _Handle(Structure):
    """Every opaque handle struct of the header is a single ``size_t _handle``."""

    _fields_ = [("_handle", c_size_t)]


class _UplinkAccess(_Handle):
    pass


class _UplinkProject(_Handle):
    pass


class _UplinkDownload(_Handle):
    pass


class _UplinkUpload(_Handle):
    pass


class _UplinkEncryptionKey(_Handle):
    pass


class _UplinkPartUpload(_Handle):
    pass


class _UplinkObjectIterator(_Handle):
    pass


class _UplinkBucketIterator(_Handle):
    pass


class _UplinkUploadIterator(_Handle):
    pass


class _UplinkPartIterator(_Handle):
    pass


class _UplinkConfig(Structure):
    _fields_ = [
        ("user_agent", c_char_p),
        ("dial_timeout_milliseconds", c_int32),
        ("temp_directory", c_char_p),
    ]


class _UplinkBucket(Structure):
    _fields_ = [("name", c_char_p), ("created", c_int64)]


class _UplinkSystemMetadata(Structure):
    _fields_ = [("created", c_int64), ("expires", c_int64), ("content_length", c_int64)]


class _UplinkCustomMetadataEntry(Structure):
    _fields_ = [
        ("key", c_char_ptr),
        ("key_length", c_size_t),
        ("value", c_char_ptr),
        ("value_length", c_size_t),
    ]


class _UplinkCustomMetadata(Structure):
    _fields_ = [("entries", POINTER(_UplinkCustomMetadataEntry)), ("count", c_size_t)]


class _UplinkObject(Structure):
    _fields_ = [
        ("key", c_char_p),
        ("is_prefix", c_bool),
        ("system", _UplinkSystemMetadata),
        ("custom", _UplinkCustomMetadata),
    ]


class _UplinkUploadOptions(Structure):
    _fields_ = [("expires", c_int64)]


class _UplinkDownloadOptions(Structure):
    _fields_ = [("offset", c_int64), ("length", c_int64)]


class _UplinkListObjectsOptions(Structure):
    _fields_ = [
        ("prefix", c_char_p),
        ("cursor", c_char_p),
        ("recursive", c_bool),
        ("system", c_bool),
        ("custom", c_bool),
    ]


class _UplinkListUploadsOptions(Structure):
    _fields_ = [
        ("prefix", c_char_p),
        ("cursor", c_char_p),
        ("recursive", c_bool),
        ("system", c_bool),
        ("custom", c_bool),
    ]


class _UplinkListBucketsOptions(Structure):
    _fields_ = [("cursor", c_char_p)]


class _UplinkPermission(Structure):
    _fields_ = [
        ("allow_download", c_bool),
        ("allow_upload", c_bool),
        ("allow_list", c_bool),
        ("allow_delete", c_bool),
        ("not_before", c_int64),
        ("not_after", c_int64),
    ]


class _UplinkPart(Structure):
    _fields_ = [
        ("part_number", c_uint32),
        ("size", c_size_t),
        ("modified", c_int64),
        ("etag", c_char_ptr),
        ("etag_length", c_size_t),
    ]


class _UplinkSharePrefix(Structure):
    _fields_ = [("bucket", c_char_p), ("prefix", c_char_p)]


class _UplinkError(Structure):
    _fields_ = [("code", c_int32), ("message", c_char_p)]


# Every ``*Result`` struct is a value (or pointer) followed by ``UplinkError *error``. The annotations
# are for mypy only (ctypes reads ``_fields_``).


class _UplinkAccessResult(Structure):
    _fields_ = [("access", POINTER(_UplinkAccess)), ("error", POINTER(_UplinkError))]
    access: "_Pointer[_UplinkAccess]"
    error: "_Pointer[_UplinkError]"


class _UplinkProjectResult(Structure):
    _fields_ = [("project", POINTER(_UplinkProject)), ("error", POINTER(_UplinkError))]
    project: "_Pointer[_UplinkProject]"
    error: "_Pointer[_UplinkError]"


class _UplinkBucketResult(Structure):
    _fields_ = [("bucket", POINTER(_UplinkBucket)), ("error", POINTER(_UplinkError))]
    bucket: "_Pointer[_UplinkBucket]"
    error: "_Pointer[_UplinkError]"


class _UplinkObjectResult(Structure):
    _fields_ = [("object", POINTER(_UplinkObject)), ("error", POINTER(_UplinkError))]
    object: "_Pointer[_UplinkObject]"
    error: "_Pointer[_UplinkError]"


class _UplinkUploadResult(Structure):
    _fields_ = [("upload", POINTER(_UplinkUpload)), ("error", POINTER(_UplinkError))]
    upload: "_Pointer[_UplinkUpload]"
    error: "_Pointer[_UplinkError]"


class _UplinkPartUploadResult(Structure):
    _fields_ = [("part_upload", POINTER(_UplinkPartUpload)), ("error", POINTER(_UplinkError))]
    part_upload: "_Pointer[_UplinkPartUpload]"
    error: "_Pointer[_UplinkError]"


class _UplinkDownloadResult(Structure):
    _fields_ = [("download", POINTER(_UplinkDownload)), ("error", POINTER(_UplinkError))]
    download: "_Pointer[_UplinkDownload]"
    error: "_Pointer[_UplinkError]"


class _UplinkWriteResult(Structure):
    _fields_ = [("bytes_written", c_size_t), ("error", POINTER(_UplinkError))]
    bytes_written: int
    error: "_Pointer[_UplinkError]"


class _UplinkReadResult(Structure):
    _fields_ = [("bytes_read", c_size_t), ("error", POINTER(_UplinkError))]
    bytes_read: int
    error: "_Pointer[_UplinkError]"


class _UplinkStringResult(Structure):
    _fields_ = [("string", c_char_p), ("error", POINTER(_UplinkError))]
    string: Optional[bytes]
    error: "_Pointer[_UplinkError]"


class _UplinkEncryptionKeyResult(Structure):
    _fields_ = [("encryption_key", POINTER(_UplinkEncryptionKey)), ("error", POINTER(_UplinkError))]
    encryption_key: "_Pointer[_UplinkEncryptionKey]"
    error: "_Pointer[_UplinkError]"


class _UplinkUploadInfo(Structure):
    _fields_ = [
        ("upload_id", c_char_p),
        ("key", c_char_p),
        ("is_prefix", c_bool),
        ("system", _UplinkSystemMetadata),
        ("custom", _UplinkCustomMetadata),
    ]


class _UplinkUploadInfoResult(Structure):
    _fields_ = [("info", POINTER(_UplinkUploadInfo)), ("error", POINTER(_UplinkError))]
    info: "_Pointer[_UplinkUploadInfo]"
    error: "_Pointer[_UplinkError]"


class _UplinkCommitUploadOptions(Structure):
    _fields_ = [("custom_metadata", _UplinkCustomMetadata)]


class _UplinkCommitUploadResult(Structure):
    _fields_ = [("object", POINTER(_UplinkObject)), ("error", POINTER(_UplinkError))]
    object: "_Pointer[_UplinkObject]"
    error: "_Pointer[_UplinkError]"


class _UplinkPartResult(Structure):
    _fields_ = [("part", POINTER(_UplinkPart)), ("error", POINTER(_UplinkError))]
    part: "_Pointer[_UplinkPart]"
    error: "_Pointer[_UplinkError]"


class _UplinkListUploadPartsOptions(Structure):
    _fields_ = [("cursor", c_uint32)]


class _EdgeConfig(Structure):
    _fields_ = [
        ("auth_service_address", c_char_p),
        ("certificate_pem", c_char_p),
        ("insecure_unencrypted_connection", c_bool),
    ]


class _EdgeRegisterAccessOptions(Structure):
    _fields_ = [("is_public", c_bool)]


class _EdgeCredentials(Structure):
    _fields_ = [("access_key_id", c_char_p), ("secret_key", c_char_p), ("endpoint", c_char_p)]


class _EdgeCredentialsResult(Structure):
    _fields_ = [("credentials", POINTER(_EdgeCredentials)), ("error", POINTER(_UplinkError))]
    credentials: "_Pointer[_EdgeCredentials]"
    error: "_Pointer[_UplinkError]"


class _EdgeShareURLOptions(Structure):
    _fields_ = [("raw", c_bool)]


class _Empty(Structure):
    """The header's empty option structs (GNU C gives them size 0); only pointers to them are passed."""

    _fields_ = []


class _UplinkMoveObjectOptions(_Empty):
    pass


class _UplinkUploadObjectMetadataOptions(_Empty):
    pass


class _UplinkCopyObjectOptions(_Empty):
    pass


C_STRUCTS: dict[str, type[Structure]] = {
    name[1:]: value
    for name, value in list(globals().items())
    if name.startswith(("_Uplink", "_Edge")) and isinstance(value, type) and issubclass(value, Structure)
}
"""Every struct of the header, by its C name (``"UplinkAccess"``...): the layout test and the declarations
use this table."""

__all__ = ["C_STRUCTS", "c_char_ptr", "c_void_p"]
