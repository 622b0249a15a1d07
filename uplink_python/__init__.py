"""Python bindings for Storj's libuplinkc: store and fetch data on the Storj network.

    from uplink_python import Uplink
    access = Uplink().request_access_with_passphrase(satellite, api_key, passphrase)
"""

from . import edge
from .access import Access, EncryptionKey
from .download import Download
from .errors import *  # noqa: F401,F403 - the exception classes are part of the top-level API
from .errors import LibUplinkSoError, StorjException
from .module_classes import (
    Bucket, CommitUploadOptions, Config, CopyObjectOptions, CustomMetadata, CustomMetadataEntry, DownloadOptions,
    EdgeConfig, EdgeCredentials, EdgeRegisterAccessOptions, EdgeShareURLOptions, ListBucketsOptions,
    ListObjectsOptions, ListUploadPartsOptions, ListUploadsOptions, MoveObjectOptions, Object, Part, Permission,
    SharePrefix, SystemMetadata, UploadInfo, UploadObjectMetadataOptions, UploadOptions,
)
from .multipart import PartUpload
from .project import Project
from .upload import Upload
from .uplink import Uplink

# Follows the libuplinkc (storj.io/uplink-c) version it wraps; the last number counts our releases.
UPLINK_C_VERSION = "1.14.0"
__version__ = f"{UPLINK_C_VERSION}.0"
