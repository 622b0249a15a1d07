"""The data classes of the documented API: options passed in, buckets and objects returned.

Plain dataclasses with the documented argument names and order; ``get_dict()`` gives each as nested
dicts. Conversion to and from the C structs lives in ``_convert``.

Custom metadata keys and values are UTF-8 text without NUL characters, and keys are not empty: that is
what storj.io/uplink stores. They may be given as ``str`` or as UTF-8 ``bytes`` and come back as ``str``.
Anything else raises ``InvalidCustomMetadataError`` (a ``ValueError``) when it is sent, naming the key.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any, Optional, TypeVar, Union


SECRET_PREFIX_LENGTH = 4
_D = TypeVar("_D")


def _trusted(cls: type[_D], **fields: Any) -> _D:
    """A ``cls`` holding ``fields`` (every field of the data class), built without ``__init__`` and its checks.

    Only for what the package builds from the library's results, valid by construction (text decoded from
    C, lengths the C byte counts, lists of the right types): a listing converts thousands. The public
    constructors keep checking everything users pass.
    """
    instance = object.__new__(cls)
    instance.__dict__ = fields  # the call's own keyword dict: nothing else holds it
    return instance


def redact(secret: str) -> str:
    """A secret as reprs, messages and logs show it: a short prefix and an ellipsis, never the whole."""
    return f"{secret[:SECRET_PREFIX_LENGTH]}…" if secret else ""


class _AsDict:
    def get_dict(self) -> dict[str, Any]:
        """This object as a dict (nested objects as dicts too)."""
        as_dict: dict[str, Any] = asdict(self)  # type: ignore[call-overload]
        return as_dict


@dataclass
class Config(_AsDict):
    """Options for requesting access and opening projects. Zero values mean the library's defaults."""

    user_agent: str = ""
    dial_timeout_milliseconds: int = 0
    temp_directory: str = ""


@dataclass
class Permission(_AsDict):
    """What a shared access may do. ``not_before``/``not_after`` are unix seconds; 0 disables them."""

    allow_download: bool = False
    allow_upload: bool = False
    allow_list: bool = False
    allow_delete: bool = False
    not_before: int = 0
    not_after: int = 0


@dataclass
class SharePrefix(_AsDict):
    """A bucket and key prefix a shared access is limited to."""

    bucket: str = ""
    prefix: str = ""


@dataclass
class Bucket(_AsDict):
    """A bucket; ``created`` is unix seconds."""

    name: str = ""
    created: int = 0


@dataclass
class SystemMetadata(_AsDict):
    """Metadata the network keeps for an object: unix seconds, and the size in bytes."""

    created: int = 0
    expires: int = 0
    content_length: int = 0


def _utf8_length(value: Union[str, bytes]) -> int:
    return len(value) if isinstance(value, bytes) else len(value.encode("utf-8", "surrogateescape"))


@dataclass
class CustomMetadataEntry(_AsDict):
    """One key/value pair of custom metadata: UTF-8 ``str`` (or UTF-8 ``bytes``) without NUL; the key non-empty.

    ``key_length``/``value_length`` are byte lengths (UTF-8). Leave them out and they are computed; when given,
    they must equal the encoded length, so nothing is silently cut.
    """

    key: Union[str, bytes] = ""
    key_length: Optional[int] = None
    value: Union[str, bytes] = ""
    value_length: Optional[int] = None

    def __post_init__(self) -> None:
        for name in ("key", "value"):
            data = getattr(self, name)
            if not isinstance(data, (str, bytes)):
                raise TypeError(f"CustomMetadataEntry.{name} must be str or bytes, not {type(data).__name__}")
            actual = _utf8_length(data)
            given = getattr(self, f"{name}_length")
            if given is None:
                setattr(self, f"{name}_length", actual)
            elif isinstance(given, bool) or not isinstance(given, int):
                raise TypeError(f"CustomMetadataEntry.{name}_length must be int, not {type(given).__name__}")
            elif given != actual:
                raise ValueError(
                    f"CustomMetadataEntry.{name}_length is {given} but {name} is {actual} bytes long")


@dataclass
class CustomMetadata(_AsDict):
    """User metadata of an object: a list of entries. ``count`` defaults to (and must equal) their number."""

    entries: list[CustomMetadataEntry] = field(default_factory=list)
    count: Optional[int] = None

    def __post_init__(self) -> None:
        if self.entries is None:
            self.entries = []
        if not isinstance(self.entries, list) or not all(isinstance(e, CustomMetadataEntry) for e in self.entries):
            raise TypeError("CustomMetadata.entries must be a list of CustomMetadataEntry")
        if self.count is None:
            self.count = len(self.entries)
        elif self.count != len(self.entries):
            raise ValueError(f"CustomMetadata.count is {self.count} but there are {len(self.entries)} entries")

    @classmethod
    def from_mapping(cls, mapping: dict[Any, Any]) -> "CustomMetadata":
        """Builds custom metadata from a dict of str/bytes keys and values."""
        return cls([CustomMetadataEntry(key=k, value=v) for k, v in mapping.items()])

    def to_mapping(self) -> dict[Union[str, bytes], Union[str, bytes]]:
        """The entries as a dict."""
        return {entry.key: entry.value for entry in self.entries}


@dataclass
class Object(_AsDict):
    """An object (or, in a non-recursive listing, a prefix) and its metadata.

    ``version`` is the object's version (opaque bytes) where the satellite reports one: objects written while
    the bucket's versioning is enabled; None otherwise. ``is_delete_marker`` is set for the markers that a
    delete leaves in a versioned bucket (``Project.iter_object_versions`` and ``delete_object`` show them).
    """

    key: str = ""
    is_prefix: bool = False
    system: SystemMetadata = field(default_factory=SystemMetadata)
    custom: CustomMetadata = field(default_factory=CustomMetadata)
    version: Optional[bytes] = None
    is_delete_marker: bool = False


@dataclass
class ListObjectsOptions(_AsDict):
    """Listing options: ``system``/``custom`` ask for each object's metadata too."""

    prefix: str = ""
    cursor: str = ""
    recursive: bool = False
    system: bool = False
    custom: bool = False


@dataclass
class ListBucketsOptions(_AsDict):
    """Lists buckets after ``cursor`` (a bucket name)."""

    cursor: str = ""


@dataclass
class UploadOptions(_AsDict):
    """``expires``: unix seconds after which the object is deleted; 0 or negative means never.

    ``if_none_match``: commit only if the key has no object yet, else ``PreconditionFailedError``.
    ``retention`` and ``legal_hold`` lock the new version (buckets created with Object Lock only).
    These three need uplink_python's own libuplinkc.
    """

    expires: int = 0
    if_none_match: bool = False
    retention: Optional["Retention"] = None
    legal_hold: bool = False


@dataclass
class DownloadOptions(_AsDict):
    """A byte range: ``offset`` < 0 reads the last -offset bytes; ``length`` < 0 reads to the end."""

    offset: int = 0
    length: int = -1


# Multipart uploads, copy/move/metadata updates and edge services (the rest of libuplinkc v1.14).


@dataclass
class UploadInfo(_AsDict):
    """A pending multipart upload: its ``upload_id`` names it in every later multipart call."""

    upload_id: str = ""
    key: str = ""
    is_prefix: bool = False
    system: SystemMetadata = field(default_factory=SystemMetadata)
    custom: CustomMetadata = field(default_factory=CustomMetadata)


@dataclass
class Part(_AsDict):
    """One uploaded part of a multipart upload; ``modified`` is unix seconds, ``etag`` the bytes set for it."""

    part_number: int = 0
    size: int = 0
    modified: int = 0
    etag: bytes = b""


@dataclass
class ListUploadsOptions(_AsDict):
    """Listing options for pending multipart uploads (as ``ListObjectsOptions``)."""

    prefix: str = ""
    cursor: str = ""
    recursive: bool = False
    system: bool = False
    custom: bool = False


@dataclass
class ListUploadPartsOptions(_AsDict):
    """Lists the parts after part number ``cursor``."""

    cursor: int = 0


@dataclass
class CommitUploadOptions(_AsDict):
    """Custom metadata to store with the object a multipart upload commits."""

    custom_metadata: CustomMetadata = field(default_factory=CustomMetadata)


@dataclass
class CopyObjectOptions(_AsDict):
    """Options of ``Project.copy_object`` (none yet in libuplinkc v1.14)."""


@dataclass
class MoveObjectOptions(_AsDict):
    """Options of ``Project.move_object`` (none yet in libuplinkc v1.14)."""


@dataclass
class UploadObjectMetadataOptions(_AsDict):
    """Options of ``Project.update_object_metadata`` (none yet in libuplinkc v1.14)."""


@dataclass
class EdgeConfig(_AsDict):
    """How to reach an auth service: ``host:port``, and either a CA certificate (PEM) to trust or a plain
    unencrypted connection (for a local one)."""

    auth_service_address: str = ""
    certificate_pem: str = ""
    insecure_unencrypted_connection: bool = False


@dataclass
class EdgeRegisterAccessOptions(_AsDict):
    """``is_public``: the access may be used without the secret key (link sharing)."""

    is_public: bool = False


@dataclass
class EdgeCredentials(_AsDict):
    """S3-style credentials for an access registered with an auth service."""

    access_key_id: str = ""
    secret_key: str = ""
    endpoint: str = ""

    def __repr__(self) -> str:
        # Either key alone opens public link shares: never print more than a prefix of them.
        return (f"EdgeCredentials(access_key_id={redact(self.access_key_id)!r}, "
                f"secret_key={redact(self.secret_key)!r}, endpoint={self.endpoint!r})")


@dataclass
class EdgeShareURLOptions(_AsDict):
    """``raw``: a link to the object's bytes rather than to its landing page."""

    raw: bool = False


# Versioning and Object Lock (our libuplinkc's extensions; see docs/versioning.md).


class BucketVersioning(enum.IntEnum):
    """A bucket's versioning state. Once enabled, versioning can only be suspended, never turned off."""

    UNSUPPORTED = 0
    UNVERSIONED = 1
    ENABLED = 2
    SUSPENDED = 3


class RetentionMode(enum.IntEnum):
    """Compliance retention can never be shortened or removed; governance can, with ``bypass_governance``."""

    COMPLIANCE = 1
    GOVERNANCE = 2


@dataclass
class Retention(_AsDict):
    """An object version's retention: no deletion before ``retain_until`` (unix seconds)."""

    mode: RetentionMode = RetentionMode.GOVERNANCE
    retain_until: int = 0


@dataclass
class DefaultRetention(_AsDict):
    """The retention a bucket gives new objects: ``days`` or ``years`` (exactly one of them) from upload."""

    mode: RetentionMode = RetentionMode.GOVERNANCE
    days: int = 0
    years: int = 0


@dataclass
class ObjectLockConfiguration(_AsDict):
    """A bucket's Object Lock configuration; ``default_retention`` None means no default."""

    enabled: bool = True
    default_retention: Optional[DefaultRetention] = None


class DeleteStatus(enum.IntEnum):
    """What happened to one item of ``Project.delete_objects``."""

    INTERNAL_ERROR = 0
    UNAUTHORIZED = 1
    NOT_FOUND = 2
    OK = 3
    LOCKED = 4


@dataclass
class DeleteObjectsResult(_AsDict):
    """One item of ``Project.delete_objects``: the key and version asked for, the status, the version removed
    (``removed``) and the delete marker written (``marker_created``), with their versions when reported."""

    key: str = ""
    version: Optional[bytes] = None
    status: DeleteStatus = DeleteStatus.INTERNAL_ERROR
    removed: bool = False
    removed_version: Optional[bytes] = None
    marker_created: bool = False
    marker_version: Optional[bytes] = None


__all__ = [
    "Config", "Permission", "SharePrefix", "Bucket", "SystemMetadata", "CustomMetadataEntry", "CustomMetadata",
    "Object", "ListObjectsOptions", "ListBucketsOptions", "UploadOptions", "DownloadOptions", "UploadInfo",
    "Part", "ListUploadsOptions", "ListUploadPartsOptions", "CommitUploadOptions", "CopyObjectOptions",
    "MoveObjectOptions", "UploadObjectMetadataOptions", "EdgeConfig", "EdgeRegisterAccessOptions",
    "EdgeCredentials", "EdgeShareURLOptions", "BucketVersioning", "RetentionMode", "Retention",
    "DefaultRetention", "ObjectLockConfiguration", "DeleteStatus", "DeleteObjectsResult",
]
