"""Every documented error the network can produce arrives as its own exception class."""

from __future__ import annotations

import pytest

from uplink_python import (
    BucketAlreadyExistError, BucketNameInvalidError, BucketNotEmptyError, BucketNotFoundError, ListObjectsOptions,
    ObjectKeyInvalidError, ObjectNotFoundError, Project, UploadDoneError, UploadOptions,
)
from uplink_python.errors import StorjException


def test_bucket_errors(project: Project, bucket: str) -> None:
    with pytest.raises(BucketAlreadyExistError) as already:
        project.create_bucket(bucket)
    assert isinstance(already.value, FileExistsError) and already.value.code == 0x11
    assert project.ensure_bucket(bucket).name == bucket  # ensure swallows it

    with pytest.raises(BucketNotFoundError):
        project.stat_bucket("no-such-bucket")
    with pytest.raises(BucketNotFoundError):
        project.delete_bucket("no-such-bucket")
    for invalid in ["", "a", "UPPER", "under_score", "x" * 64, "192.168.1.1", "-dash", "dot..dot"]:
        with pytest.raises(BucketNameInvalidError):
            project.create_bucket(invalid)

    with project.upload_object(bucket, "keeps-it-busy") as upload:
        upload.write(b"data")
    with pytest.raises(BucketNotEmptyError):
        project.delete_bucket(bucket)
    assert project.delete_bucket_with_objects(bucket).name == bucket
    with pytest.raises(BucketNotFoundError):
        project.stat_bucket(bucket)


def test_object_errors(project: Project, bucket: str) -> None:
    with pytest.raises(ObjectNotFoundError) as missing:
        project.stat_object(bucket, "missing")
    assert isinstance(missing.value, FileNotFoundError) and missing.value.code == 0x21
    with pytest.raises(ObjectNotFoundError):
        project.download_object(bucket, "missing").close()
    with pytest.raises(ObjectKeyInvalidError):
        project.stat_object(bucket, "")
    assert project.delete_object(bucket, "missing") is None  # deleting nothing is not an error
    with pytest.raises(BucketNotFoundError):
        project.list_objects("no-such-bucket")
    with pytest.raises(StorjException):
        project.list_objects(bucket, ListObjectsOptions(prefix="no-slash"))


def test_limits_of_the_satellite(project: Project, bucket: str) -> None:
    with pytest.raises(StorjException, match="(?i)key"):  # the satellite refuses it; nothing is stored
        with project.upload_object(bucket, "k" * 20_000) as upload:
            upload.write(b"data")
    with pytest.raises(ObjectNotFoundError):
        project.stat_object(bucket, "k" * 20_000)

    with pytest.raises(StorjException):
        with project.upload_object(bucket, "expired", UploadOptions(expires=1_000_000)) as upload:
            upload.write(b"data")
    with pytest.raises(ObjectNotFoundError):
        project.stat_object(bucket, "expired")


def test_upload_done(project: Project, bucket: str) -> None:
    upload = project.upload_object(bucket, "once")
    upload.write(b"x")
    upload.commit()
    with pytest.raises(UploadDoneError):
        upload.commit()
    with pytest.raises(UploadDoneError):
        upload.abort()
    upload.close()


def test_aborted_upload_leaves_nothing(project: Project, bucket: str) -> None:
    upload = project.upload_object(bucket, "aborted")
    upload.write(b"y" * 100_000)
    upload.abort()
    upload.close()
    with pytest.raises(ObjectNotFoundError):
        project.stat_object(bucket, "aborted")
    assert project.list_objects(bucket, ListObjectsOptions(recursive=True)) == []
