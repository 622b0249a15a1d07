"""sj:// with version_aware=True (as s3fs): paths pinned to a version of an object in a versioned bucket."""

from __future__ import annotations

import os

import pytest

from uplink_python import Project
from uplink_python.fs import StorjFileSystem

from .conftest import sha256


def _put(project: Project, bucket: str, key: str, data: bytes) -> bytes:
    upload = project.upload_object(bucket, key)
    upload.write(data)
    upload.commit()
    version = upload.info().version
    upload.close()
    assert version is not None
    return version


def test_reading_pinned_versions(project: Project) -> None:
    project.create_bucket("fsv")
    project.set_bucket_versioning("fsv", True)
    first, second = os.urandom(70_000), os.urandom(1000)
    v1, v2 = _put(project, "fsv", "dir/data.bin", first), _put(project, "fsv", "dir/data.bin", second)
    fs = StorjFileSystem(project=project, version_aware=True)

    assert fs.info("sj://fsv/dir/data.bin")["version_id"] == v2.hex()
    assert fs.info(f"fsv/dir/data.bin?versionId={v1.hex()}")["size"] == len(first)
    assert sha256(fs.cat_file(f"sj://fsv/dir/data.bin?versionId={v1.hex()}")) == sha256(first)
    assert fs.cat_file("fsv/dir/data.bin", 10, 20, version_id=v1.hex()) == first[10:20]
    with fs.open("fsv/dir/data.bin", "rb", version_id=v1.hex()) as f:
        f.seek(60_000)
        assert f.read() == first[60_000:]
    with fs.open(f"sj://fsv/dir/data.bin?versionId={v1.hex()}", "rb") as f:
        assert sha256(f.read()) == sha256(first)
    assert sha256(fs.cat_file("fsv/dir/data.bin")) == sha256(second)

    project.delete_object("fsv", "dir/data.bin")
    listed = fs.object_version_info("sj://fsv/dir/data.bin")
    assert [entry["delete_marker"] for entry in listed] == [True, False, False]
    assert [entry["version_id"] for entry in listed[1:]] == [v2.hex(), v1.hex()]
    assert not fs.exists("fsv/dir/data.bin")
    assert sha256(fs.cat_file(f"fsv/dir/data.bin?versionId={v2.hex()}")) == sha256(second)  # still there

    with pytest.raises(ValueError):
        fs.open("fsv/dir/data.bin", "wb", version_id=v1.hex())
    with pytest.raises(ValueError):
        fs.cat_file("fsv/dir/data.bin?versionId=not-hex")
    plain = StorjFileSystem(project=project)
    with pytest.raises(ValueError):
        plain.cat_file(f"fsv/dir/data.bin?versionId={v1.hex()}")
    with pytest.raises(ValueError):
        plain.object_version_info("fsv/dir/data.bin")
