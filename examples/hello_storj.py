"""hello_storj: the snippets of the uplink_python documentation as one program.

Request an access with a passphrase, create a bucket, upload a file with custom metadata, list,
download and compare, share a read-only access, then delete everything it made.

Set STORJ_SATELLITE (host:port or node URL), STORJ_API_KEY and, optionally, STORJ_ENCRYPTION_PASSPHRASE.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from datetime import datetime

from uplink_python.errors import BucketNotEmptyError, BucketNotFoundError, StorjException
from uplink_python.module_classes import (
    Config, CustomMetadata, CustomMetadataEntry, ListObjectsOptions, Permission, SharePrefix,
)
from uplink_python.uplink import Uplink

MY_SATELLITE = os.environ.get("STORJ_SATELLITE", "")
MY_API_KEY = os.environ.get("STORJ_API_KEY", "")
MY_ENCRYPTION_PASSPHRASE = os.environ.get("STORJ_ENCRYPTION_PASSPHRASE", "you'll never guess this")
MY_BUCKET = os.environ.get("STORJ_BUCKET", "my-first-bucket")
MY_STORJ_UPLOAD_PATH = "hello/hello_storj.bin"


def main() -> int:
    if not MY_SATELLITE or not MY_API_KEY:
        print("set STORJ_SATELLITE and STORJ_API_KEY (see README)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as workdir:
        source = os.path.join(workdir, "upload.bin")
        target = os.path.join(workdir, "download.bin")
        with open(source, "wb") as file_handle:
            file_handle.write(os.urandom(5 * 1024 * 1024 + 7))
        try:
            run(source, target)
        except StorjException as exception:
            print("Exception Caught: ", exception.details)
            return 1
        if sha256(source) != sha256(target):
            print("downloaded data differs from what was uploaded", file=sys.stderr)
            return 1
    print("\nhello_storj: COMPLETE")
    return 0


def sha256(path: str) -> str:
    # hashlib.file_digest needs Python 3.11; this runs on every version the package supports (3.9+).
    digest = hashlib.sha256()
    with open(path, "rb") as file_handle:
        for chunk in iter(lambda: file_handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def run(source: str, target: str) -> None:
    uplink = Uplink()
    print("\nRequesting Access using passphrase...")
    access = uplink.config_request_access_with_passphrase(Config(user_agent="hello_storj"), MY_SATELLITE,
                                                          MY_API_KEY, MY_ENCRYPTION_PASSPHRASE)
    print("Opening the Storj project...")
    project = access.config_open_project(Config(user_agent="hello_storj"))

    print("Creating bucket:", MY_BUCKET)
    _ = project.ensure_bucket(MY_BUCKET)
    print("Bucket:", project.stat_bucket(MY_BUCKET).get_dict())
    for bucket in project.list_buckets():
        print(bucket.name, " | ", datetime.fromtimestamp(bucket.created))

    print("Uploading", source, "to", MY_STORJ_UPLOAD_PATH)
    upload = project.upload_object(MY_BUCKET, MY_STORJ_UPLOAD_PATH)
    with open(source, "r+b") as file_handle:
        upload.write_file(file_handle)
    upload.set_custom_metadata(CustomMetadata([CustomMetadataEntry(key="origin", value="hello_storj")]))
    upload.commit()

    objects_list = project.list_objects(MY_BUCKET, ListObjectsOptions(recursive=True, system=True, custom=True))
    for obj in objects_list:
        print(obj.key, " | ", obj.is_prefix, " | ", obj.system.content_length, "bytes |", obj.custom.to_mapping())

    print("Downloading to", target)
    download = project.download_object(MY_BUCKET, MY_STORJ_UPLOAD_PATH)
    with open(target, "w+b") as file_handle:
        download.read_file(file_handle)
    print("Object:", download.info().key, download.file_size(), "bytes")
    download.close()

    print("Sharing a read-only access to the bucket...")
    shared_access = access.share(Permission(allow_list=True, allow_download=True),
                                 [SharePrefix(bucket=MY_BUCKET, prefix="")])
    serialized_access = shared_access.serialize()
    print("Shared access:", serialized_access[:24] + "...")
    shared_project = uplink.parse_access(serialized_access).open_project()
    print("Seen through the shared access:", shared_project.stat_object(MY_BUCKET, MY_STORJ_UPLOAD_PATH).key)
    shared_project.close()

    print("Deleting", MY_BUCKET)
    try:
        project.delete_bucket(MY_BUCKET)
    except BucketNotEmptyError as exception:
        print("Error while deleting bucket: ", exception.message)
        for obj in project.list_objects(MY_BUCKET, ListObjectsOptions(recursive=True)):
            print("Deleting '" + obj.key)
            _ = project.delete_object(MY_BUCKET, obj.key)
        _ = project.delete_bucket(MY_BUCKET)
    except BucketNotFoundError as exception:
        print("Desired bucket delete error: ", exception.message)
    project.close()


if __name__ == "__main__":
    sys.exit(main())
