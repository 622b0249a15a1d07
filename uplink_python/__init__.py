"""Python bindings for Storj's libuplinkc: store and fetch data on the Storj network.

    from uplink_python import Uplink
    access = Uplink().request_access_with_passphrase(satellite, api_key, passphrase)
"""

from . import edge, errors
from .access import Access, EncryptionKey
from .download import Download
from .errors import *  # noqa: F401,F403 - the exception classes are part of the top-level API
from .errors import ForkedProcessError, LibUplinkSoError, StorjException
from .module_classes import (
    Bucket, CommitUploadOptions, Config, CopyObjectOptions, CustomMetadata, CustomMetadataEntry, DownloadOptions,
    EdgeConfig, EdgeCredentials, EdgeRegisterAccessOptions, EdgeShareURLOptions, ListBucketsOptions,
    ListObjectsOptions, ListUploadPartsOptions, ListUploadsOptions, MoveObjectOptions, Object, Part, Permission,
    SharePrefix, SystemMetadata, UploadInfo, UploadObjectMetadataOptions, UploadOptions,
)
from .module_classes import (  # versioning and Object Lock (uplink_python.versioning)
    BucketVersioning, DefaultRetention, DeleteObjectsResult, DeleteStatus, ObjectLockConfiguration, Retention,
    RetentionMode,
)
from .fileobj import StorjReader, StorjWriter
from .multipart import PartUpload
from .project import Project
from .upload import Upload
from .uplink import Uplink

# The one place of the version: the uplink-c version it wraps (1.14.0) plus our release number. setup.py
# (pyproject.toml) and build_libuplink.sh (libuplinkc_version()) read this line; keep it a literal.
__version__ = "1.14.0.0"
"""The package's version: the uplink-c version it implements, then our own release number."""
UPLINK_C_VERSION = __version__.rsplit(".", 1)[0]
"""The uplink-c version whose C API the package binds (and its libuplinkc exports), e.g. ``"1.14.0"``."""

# The top-level API: the classes above, every exception of uplink_python.errors, the modules users reach
# through the package (edge, errors) and the version.
__all__ = [
    "Access", "Bucket", "BucketVersioning", "CommitUploadOptions", "Config", "CopyObjectOptions",
    "CustomMetadata", "CustomMetadataEntry", "DefaultRetention", "DeleteObjectsResult", "DeleteStatus",
    "Download", "DownloadOptions", "EdgeConfig", "EdgeCredentials", "EdgeRegisterAccessOptions",
    "EdgeShareURLOptions", "EncryptionKey", "ForkedProcessError", "ListBucketsOptions", "ListObjectsOptions",
    "ListUploadPartsOptions", "ListUploadsOptions", "MoveObjectOptions", "Object", "ObjectLockConfiguration",
    "Part", "PartUpload", "Permission", "Project", "Retention", "RetentionMode", "SharePrefix", "StorjReader",
    "StorjWriter", "SystemMetadata", "Uplink", "Upload", "UploadInfo", "UploadObjectMetadataOptions",
    "UploadOptions",
    "edge", "errors", "__version__", "UPLINK_C_VERSION",
]
__all__ += errors.__all__
