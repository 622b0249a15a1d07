"""Exceptions raised by uplink_python: one class per error code of libuplinkc v1.14.

``StorjException`` carries ``code`` (the library's error code), ``message`` (what kind of error) and
``details`` (the library's own text). Classes also derive from the matching Python builtin where
one fits, so ``except FileNotFoundError`` catches a missing object or bucket.
"""

from __future__ import annotations

from typing import Any, Optional

# Error codes of uplink_definitions.h (v1.14). EOF (-1) is the end of a read, never raised.
ERROR_EOF = -1
ERROR_INTERNAL = 0x02
ERROR_CANCELED = 0x03
ERROR_INVALID_HANDLE = 0x04
ERROR_TOO_MANY_REQUESTS = 0x05
ERROR_BANDWIDTH_LIMIT_EXCEEDED = 0x06
ERROR_STORAGE_LIMIT_EXCEEDED = 0x07
ERROR_SEGMENTS_LIMIT_EXCEEDED = 0x08
ERROR_PERMISSION_DENIED = 0x09
ERROR_BUCKET_NAME_INVALID = 0x10
ERROR_BUCKET_ALREADY_EXISTS = 0x11
ERROR_BUCKET_NOT_EMPTY = 0x12
ERROR_BUCKET_NOT_FOUND = 0x13
ERROR_OBJECT_KEY_INVALID = 0x20
ERROR_OBJECT_NOT_FOUND = 0x21
ERROR_UPLOAD_DONE = 0x22
EDGE_ERROR_AUTH_DIAL_FAILED = 0x30
EDGE_ERROR_REGISTER_ACCESS_FAILED = 0x31
# Codes of our libuplinkc's extensions (uplink_python_ext.h): versioning, Object Lock, conditional writes.
ERROR_OBJECT_PROTECTED = 0x50
ERROR_OBJECT_LOCK_NOT_ENABLED = 0x51
ERROR_FAILED_PRECONDITION = 0x52
ERROR_RETENTION_NOT_FOUND = 0x53
ERROR_METHOD_NOT_ALLOWED = 0x54


class StorjException(Exception):
    """Base of every error raised by uplink_python."""

    default_message = "storj error"
    default_code: Optional[int] = None

    def __init__(self, message: Optional[str] = None, code: Optional[int] = None, details: str = "") -> None:
        self.message = message if message is not None else self.default_message
        self.code = code if code is not None else self.default_code
        self.details = details
        # Only the message goes to the builtin base: OSError reads extra args as errno/filename.
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.message}: {self.details}" if self.details else self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(message={self.message!r}, code={self.code!r}, details={self.details!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Keeps all three fields through pickling (e.g. across multiprocessing workers).
        return (type(self), (self.message, self.code, self.details))


def _code_error(name: str, code: int, message: str, *builtins: type[BaseException]) -> type[StorjException]:
    return type(name, (StorjException, *builtins), {"default_message": message, "default_code": code,
                                                     "__doc__": f"{message} (error code {code:#04x})."})


InternalError = _code_error("InternalError", ERROR_INTERNAL, "internal error")
CancelledError = _code_error("CancelledError", ERROR_CANCELED, "operation canceled")
InvalidHandleError = _code_error("InvalidHandleError", ERROR_INVALID_HANDLE, "invalid handle")
TooManyRequestsError = _code_error("TooManyRequestsError", ERROR_TOO_MANY_REQUESTS, "too many requests")
BandwidthLimitExceededError = _code_error(
    "BandwidthLimitExceededError", ERROR_BANDWIDTH_LIMIT_EXCEEDED, "bandwidth limit exceeded")
StorageLimitExceededError = _code_error(
    "StorageLimitExceededError", ERROR_STORAGE_LIMIT_EXCEEDED, "storage limit exceeded")
SegmentsLimitExceededError = _code_error(
    "SegmentsLimitExceededError", ERROR_SEGMENTS_LIMIT_EXCEEDED, "segments limit exceeded")
PermissionDeniedError = _code_error(
    "PermissionDeniedError", ERROR_PERMISSION_DENIED, "permission denied", PermissionError)
BucketNameInvalidError = _code_error(
    "BucketNameInvalidError", ERROR_BUCKET_NAME_INVALID, "invalid bucket name", ValueError)
BucketAlreadyExistError = _code_error(
    "BucketAlreadyExistError", ERROR_BUCKET_ALREADY_EXISTS, "bucket already exists", FileExistsError)
BucketNotEmptyError = _code_error("BucketNotEmptyError", ERROR_BUCKET_NOT_EMPTY, "bucket not empty")
BucketNotFoundError = _code_error(
    "BucketNotFoundError", ERROR_BUCKET_NOT_FOUND, "bucket not found", FileNotFoundError)
ObjectKeyInvalidError = _code_error(
    "ObjectKeyInvalidError", ERROR_OBJECT_KEY_INVALID, "invalid object key", ValueError)
ObjectNotFoundError = _code_error(
    "ObjectNotFoundError", ERROR_OBJECT_NOT_FOUND, "object not found", FileNotFoundError)
UploadDoneError = _code_error("UploadDoneError", ERROR_UPLOAD_DONE, "upload already committed or aborted")
EdgeAuthDialFailedError = _code_error(
    "EdgeAuthDialFailedError", EDGE_ERROR_AUTH_DIAL_FAILED, "cannot dial the auth service", ConnectionError)
EdgeRegisterAccessFailedError = _code_error(
    "EdgeRegisterAccessFailedError", EDGE_ERROR_REGISTER_ACCESS_FAILED, "registering the access failed")

# The spelling users of other bindings expect, as aliases of the documented classes.
BucketAlreadyExistsError = BucketAlreadyExistError
CanceledError = CancelledError


class ClosedError(InvalidHandleError, ValueError):  # type: ignore[misc,valid-type]
    """A method was called on an Access, Project, Upload or Download after it was closed."""

    default_message = "used after close"


class InvalidCustomMetadataError(InternalError, ValueError):  # type: ignore[misc,valid-type]
    """Custom metadata storj.io/uplink would refuse: an empty key, a NUL byte or non-UTF-8 in a key or value.

    Raised before the library is called, naming the entry. Derives from ``InternalError`` because the
    library itself reports these as an internal error ("invalid pairs"), and from ``ValueError``.
    """

    default_message = "invalid custom metadata"


class LibUplinkSoError(StorjException):
    """libuplinkc could not be found or loaded, or lacks a function this package needs."""

    default_message = "libuplinkc.so not found or not loadable"


class ExtensionUnavailableError(LibUplinkSoError, NotImplementedError):
    """The loaded libuplinkc is an upstream build without this project's extensions (versioning, Object Lock,
    conditional writes, batch deletes): the method needs uplink_python's own libuplinkc."""

    default_message = "this method needs uplink_python's own libuplinkc"


class ObjectProtectedError(StorjException, PermissionError):
    """Object Lock forbids it: a retention period or a legal hold protects the object version (code 0x50)."""

    default_message = "object is protected by Object Lock"
    default_code = ERROR_OBJECT_PROTECTED


class ObjectLockNotEnabledError(StorjException, ValueError):
    """The bucket was not created with Object Lock, so it has no retention or legal hold (code 0x51)."""

    default_message = "Object Lock is not enabled for the bucket"
    default_code = ERROR_OBJECT_LOCK_NOT_ENABLED


class PreconditionFailedError(StorjException, FileExistsError):
    """A condition of the request failed, e.g. ``if_none_match`` and the key already exists (code 0x52)."""

    default_message = "precondition failed"
    default_code = ERROR_FAILED_PRECONDITION


class RetentionNotFoundError(StorjException, LookupError):
    """The object version has no retention (code 0x53)."""

    default_message = "object has no retention"
    default_code = ERROR_RETENTION_NOT_FOUND


class MethodNotAllowedError(StorjException):
    """The operation does not apply to that version, e.g. reading a delete marker (code 0x54)."""

    default_message = "method not allowed"
    default_code = ERROR_METHOD_NOT_ALLOWED


ERRORS_BY_CODE: dict[int, type[StorjException]] = {
    cls.default_code: cls  # type: ignore[misc]
    for cls in (
        InternalError, CancelledError, InvalidHandleError, TooManyRequestsError, BandwidthLimitExceededError,
        StorageLimitExceededError, SegmentsLimitExceededError, PermissionDeniedError, BucketNameInvalidError,
        BucketAlreadyExistError, BucketNotEmptyError, BucketNotFoundError, ObjectKeyInvalidError,
        ObjectNotFoundError, UploadDoneError, EdgeAuthDialFailedError, EdgeRegisterAccessFailedError,
        ObjectProtectedError, ObjectLockNotEnabledError, PreconditionFailedError, RetentionNotFoundError,
        MethodNotAllowedError,
    )
}


def exception_for(code: int, details: str) -> StorjException:
    """The exception for a library error code; an unknown code still gives a StorjException."""
    cls = ERRORS_BY_CODE.get(code)
    if cls is None:
        return StorjException(f"unknown error code {code}", code, details)
    return cls(None, code, details)


__all__ = [
    "BandwidthLimitExceededError", "BucketAlreadyExistError", "BucketAlreadyExistsError",
    "BucketNameInvalidError", "BucketNotEmptyError", "BucketNotFoundError", "CanceledError", "CancelledError",
    "ClosedError", "EDGE_ERROR_AUTH_DIAL_FAILED", "EDGE_ERROR_REGISTER_ACCESS_FAILED",
    "ERROR_BANDWIDTH_LIMIT_EXCEEDED", "ERROR_BUCKET_ALREADY_EXISTS", "ERROR_BUCKET_NAME_INVALID",
    "ERROR_BUCKET_NOT_EMPTY", "ERROR_BUCKET_NOT_FOUND", "ERROR_CANCELED", "ERROR_EOF",
    "ERROR_FAILED_PRECONDITION", "ERROR_INTERNAL", "ERROR_INVALID_HANDLE", "ERROR_METHOD_NOT_ALLOWED",
    "ERROR_OBJECT_KEY_INVALID", "ERROR_OBJECT_LOCK_NOT_ENABLED", "ERROR_OBJECT_NOT_FOUND",
    "ERROR_OBJECT_PROTECTED", "ERROR_PERMISSION_DENIED", "ERROR_RETENTION_NOT_FOUND",
    "ERROR_SEGMENTS_LIMIT_EXCEEDED", "ERROR_STORAGE_LIMIT_EXCEEDED", "ERROR_TOO_MANY_REQUESTS",
    "ERROR_UPLOAD_DONE", "EdgeAuthDialFailedError", "EdgeRegisterAccessFailedError",
    "ExtensionUnavailableError", "InternalError", "InvalidCustomMetadataError", "InvalidHandleError",
    "LibUplinkSoError", "MethodNotAllowedError", "ObjectKeyInvalidError", "ObjectLockNotEnabledError",
    "ObjectNotFoundError", "ObjectProtectedError", "PermissionDeniedError", "PreconditionFailedError",
    "RetentionNotFoundError", "SegmentsLimitExceededError", "StorageLimitExceededError", "StorjException",
    "TooManyRequestsError", "UploadDoneError", "ERRORS_BY_CODE", "exception_for",
]
