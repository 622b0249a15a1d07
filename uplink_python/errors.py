"""Exceptions raised by uplink_python: one class per error code of libuplinkc v1.14.

``StorjException`` carries ``code`` (the library's error code), ``message`` (what kind of error) and
``details`` (the library's own text). Classes also derive from the matching Python builtin where
one fits, so ``except FileNotFoundError`` catches a missing object or bucket.
"""

from __future__ import annotations

from typing import Any, ClassVar, Optional

# Error codes of uplink_definitions.h (v1.14) and of our uplink_python_ext.h, with the same values; a unit
# test reads both headers and checks every #define has its constant here and every constant its #define.
ERROR_EOF = -1
"""The end of a download (``EOF``): what a read returns at the end, never raised."""
ERROR_INTERNAL = 0x02
"""``UPLINK_ERROR_INTERNAL``: raised as `InternalError`."""
ERROR_CANCELED = 0x03
"""``UPLINK_ERROR_CANCELED``: raised as `CancelledError`."""
ERROR_INVALID_HANDLE = 0x04
"""``UPLINK_ERROR_INVALID_HANDLE``: raised as `InvalidHandleError`."""
ERROR_TOO_MANY_REQUESTS = 0x05
"""``UPLINK_ERROR_TOO_MANY_REQUESTS``: raised as `TooManyRequestsError`."""
ERROR_BANDWIDTH_LIMIT_EXCEEDED = 0x06
"""``UPLINK_ERROR_BANDWIDTH_LIMIT_EXCEEDED``: raised as `BandwidthLimitExceededError`."""
ERROR_STORAGE_LIMIT_EXCEEDED = 0x07
"""``UPLINK_ERROR_STORAGE_LIMIT_EXCEEDED``: raised as `StorageLimitExceededError`."""
ERROR_SEGMENTS_LIMIT_EXCEEDED = 0x08
"""``UPLINK_ERROR_SEGMENTS_LIMIT_EXCEEDED``: raised as `SegmentsLimitExceededError`."""
ERROR_PERMISSION_DENIED = 0x09
"""``UPLINK_ERROR_PERMISSION_DENIED``: raised as `PermissionDeniedError`."""
ERROR_BUCKET_NAME_INVALID = 0x10
"""``UPLINK_ERROR_BUCKET_NAME_INVALID``: raised as `BucketNameInvalidError`."""
ERROR_BUCKET_ALREADY_EXISTS = 0x11
"""``UPLINK_ERROR_BUCKET_ALREADY_EXISTS``: raised as `BucketAlreadyExistError`."""
ERROR_BUCKET_NOT_EMPTY = 0x12
"""``UPLINK_ERROR_BUCKET_NOT_EMPTY``: raised as `BucketNotEmptyError`."""
ERROR_BUCKET_NOT_FOUND = 0x13
"""``UPLINK_ERROR_BUCKET_NOT_FOUND``: raised as `BucketNotFoundError`."""
ERROR_OBJECT_KEY_INVALID = 0x20
"""``UPLINK_ERROR_OBJECT_KEY_INVALID``: raised as `ObjectKeyInvalidError`."""
ERROR_OBJECT_NOT_FOUND = 0x21
"""``UPLINK_ERROR_OBJECT_NOT_FOUND``: raised as `ObjectNotFoundError`."""
ERROR_UPLOAD_DONE = 0x22
"""``UPLINK_ERROR_UPLOAD_DONE``: raised as `UploadDoneError`."""
EDGE_ERROR_AUTH_DIAL_FAILED = 0x30
"""``EDGE_ERROR_AUTH_DIAL_FAILED``: raised as `EdgeAuthDialFailedError`."""
EDGE_ERROR_REGISTER_ACCESS_FAILED = 0x31
"""``EDGE_ERROR_REGISTER_ACCESS_FAILED``: raised as `EdgeRegisterAccessFailedError`."""
ERROR_OBJECT_PROTECTED = 0x50
"""``UPY_ERROR_OBJECT_PROTECTED`` (our extension): raised as `ObjectProtectedError`."""
ERROR_OBJECT_LOCK_NOT_ENABLED = 0x51
"""``UPY_ERROR_OBJECT_LOCK_NOT_ENABLED`` (our extension): raised as `ObjectLockNotEnabledError`."""
ERROR_FAILED_PRECONDITION = 0x52
"""``UPY_ERROR_FAILED_PRECONDITION`` (our extension): raised as `PreconditionFailedError`."""
ERROR_RETENTION_NOT_FOUND = 0x53
"""``UPY_ERROR_RETENTION_NOT_FOUND`` (our extension): raised as `RetentionNotFoundError`."""
ERROR_METHOD_NOT_ALLOWED = 0x54
"""``UPY_ERROR_METHOD_NOT_ALLOWED`` (our extension): raised as `MethodNotAllowedError`."""

ERRORS_BY_CODE: dict[int, type[StorjException]] = {}
"""The class raised for each error code: filled by each class that declares a ``code``."""


class StorjException(Exception):
    """Base of every error raised by uplink_python."""

    default_message: ClassVar[str] = "storj error"
    default_code: ClassVar[Optional[int]] = None

    def __init_subclass__(cls, code: Optional[int] = None, **kwargs: Any) -> None:
        # ``class X(StorjException, code=...)``: X is what that code raises. Subclasses without a code of
        # their own (ClosedError) inherit the code but do not take it over.
        super().__init_subclass__(**kwargs)
        if code is not None:
            if code in ERRORS_BY_CODE:
                raise TypeError(f"error code {code:#04x} already raises {ERRORS_BY_CODE[code].__name__}")
            cls.default_code = code
            ERRORS_BY_CODE[code] = cls

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


class InternalError(StorjException, code=ERROR_INTERNAL):
    """Internal error (error code 0x02)."""

    default_message = "internal error"


class CancelledError(StorjException, code=ERROR_CANCELED):
    """Operation canceled (error code 0x03)."""

    default_message = "operation canceled"


class InvalidHandleError(StorjException, code=ERROR_INVALID_HANDLE):
    """Invalid handle (error code 0x04)."""

    default_message = "invalid handle"


class TooManyRequestsError(StorjException, code=ERROR_TOO_MANY_REQUESTS):
    """Too many requests (error code 0x05)."""

    default_message = "too many requests"


class BandwidthLimitExceededError(StorjException, code=ERROR_BANDWIDTH_LIMIT_EXCEEDED):
    """Bandwidth limit exceeded (error code 0x06)."""

    default_message = "bandwidth limit exceeded"


class StorageLimitExceededError(StorjException, code=ERROR_STORAGE_LIMIT_EXCEEDED):
    """Storage limit exceeded (error code 0x07)."""

    default_message = "storage limit exceeded"


class SegmentsLimitExceededError(StorjException, code=ERROR_SEGMENTS_LIMIT_EXCEEDED):
    """Segments limit exceeded (error code 0x08)."""

    default_message = "segments limit exceeded"


class PermissionDeniedError(StorjException, PermissionError, code=ERROR_PERMISSION_DENIED):
    """Permission denied (error code 0x09)."""

    default_message = "permission denied"


class BucketNameInvalidError(StorjException, ValueError, code=ERROR_BUCKET_NAME_INVALID):
    """Invalid bucket name (error code 0x10)."""

    default_message = "invalid bucket name"


class BucketAlreadyExistError(StorjException, FileExistsError, code=ERROR_BUCKET_ALREADY_EXISTS):
    """Bucket already exists (error code 0x11)."""

    default_message = "bucket already exists"


class BucketNotEmptyError(StorjException, code=ERROR_BUCKET_NOT_EMPTY):
    """Bucket not empty (error code 0x12)."""

    default_message = "bucket not empty"


class BucketNotFoundError(StorjException, FileNotFoundError, code=ERROR_BUCKET_NOT_FOUND):
    """Bucket not found (error code 0x13)."""

    default_message = "bucket not found"


class ObjectKeyInvalidError(StorjException, ValueError, code=ERROR_OBJECT_KEY_INVALID):
    """Invalid object key (error code 0x20)."""

    default_message = "invalid object key"


class ObjectNotFoundError(StorjException, FileNotFoundError, code=ERROR_OBJECT_NOT_FOUND):
    """Object not found (error code 0x21)."""

    default_message = "object not found"


class UploadDoneError(StorjException, code=ERROR_UPLOAD_DONE):
    """Upload already committed or aborted (error code 0x22)."""

    default_message = "upload already committed or aborted"


class EdgeAuthDialFailedError(StorjException, ConnectionError, code=EDGE_ERROR_AUTH_DIAL_FAILED):
    """Cannot dial the auth service (error code 0x30)."""

    default_message = "cannot dial the auth service"


class EdgeRegisterAccessFailedError(StorjException, code=EDGE_ERROR_REGISTER_ACCESS_FAILED):
    """Registering the access failed (error code 0x31)."""

    default_message = "registering the access failed"


# The spelling users of other bindings expect, as aliases of the documented classes.
BucketAlreadyExistsError = BucketAlreadyExistError
"""The same class as [`BucketAlreadyExistError`][uplink_python.errors.BucketAlreadyExistError]."""
CanceledError = CancelledError
"""The same class as [`CancelledError`][uplink_python.errors.CancelledError] (the C header's spelling)."""


class ClosedError(InvalidHandleError, ValueError):
    """A method was called on an Access, Project, Upload or Download after it was closed."""

    default_message = "used after close"


class InvalidCustomMetadataError(InternalError, ValueError):
    """Custom metadata storj.io/uplink would refuse: an empty key, a NUL byte or non-UTF-8 in a key or value.

    Raised before the library is called, naming the entry. Derives from ``InternalError`` because the
    library itself reports these as an internal error ("invalid pairs"), and from ``ValueError``.
    """

    default_message = "invalid custom metadata"


class LibUplinkSoError(StorjException):
    """libuplinkc could not be found or loaded, or lacks a function this package needs."""

    default_message = "libuplinkc.so not found or not loadable"


class ForkedProcessError(LibUplinkSoError, RuntimeError):
    """libuplinkc was loaded before this process was forked: it cannot be used in the child.

    The Go runtime inside the library does not survive ``fork()``: the child has its memory but none of its
    threads, so a call could hang forever. Start worker processes with
    ``multiprocessing.get_context("spawn")`` (or the ``"forkserver"`` start method) and open the access
    and project inside each worker.
    """

    default_message = "libuplinkc cannot be used in a forked child process"


class ExtensionUnavailableError(LibUplinkSoError, NotImplementedError):
    """The loaded libuplinkc is an upstream build without this project's extensions (versioning, Object Lock,
    conditional writes, batch deletes): the method needs uplink_python's own libuplinkc."""

    default_message = "this method needs uplink_python's own libuplinkc"


class ObjectProtectedError(StorjException, PermissionError, code=ERROR_OBJECT_PROTECTED):
    """Object Lock forbids it: a retention period or a legal hold protects the object version (code 0x50)."""

    default_message = "object is protected by Object Lock"


class ObjectLockNotEnabledError(StorjException, ValueError, code=ERROR_OBJECT_LOCK_NOT_ENABLED):
    """The bucket was not created with Object Lock, so it has no retention or legal hold (code 0x51)."""

    default_message = "Object Lock is not enabled for the bucket"


class PreconditionFailedError(StorjException, FileExistsError, code=ERROR_FAILED_PRECONDITION):
    """A condition of the request failed, e.g. ``if_none_match`` and the key already exists (code 0x52)."""

    default_message = "precondition failed"


class RetentionNotFoundError(StorjException, LookupError, code=ERROR_RETENTION_NOT_FOUND):
    """The object version has no retention (code 0x53)."""

    default_message = "object has no retention"


class MethodNotAllowedError(StorjException, code=ERROR_METHOD_NOT_ALLOWED):
    """The operation does not apply to that version, e.g. reading a delete marker (code 0x54)."""

    default_message = "method not allowed"


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
    "ExtensionUnavailableError", "ForkedProcessError", "InternalError", "InvalidCustomMetadataError", "InvalidHandleError",
    "LibUplinkSoError", "MethodNotAllowedError", "ObjectKeyInvalidError", "ObjectLockNotEnabledError",
    "ObjectNotFoundError", "ObjectProtectedError", "PermissionDeniedError", "PreconditionFailedError",
    "RetentionNotFoundError", "SegmentsLimitExceededError", "StorageLimitExceededError", "StorjException",
    "TooManyRequestsError", "UploadDoneError", "ERRORS_BY_CODE", "exception_for",
]
