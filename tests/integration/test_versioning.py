"""Object versioning, Object Lock, conditional writes and batch deletes, through Python on the local network."""

from __future__ import annotations

import os
import time
from typing import Optional

import pytest

from uplink_python import (
    BucketVersioning, DefaultRetention, DeleteStatus, ListObjectsOptions, ObjectLockConfiguration, Project,
    Retention, RetentionMode, UploadOptions,
)
from uplink_python.errors import (
    MethodNotAllowedError, ObjectLockNotEnabledError, ObjectNotFoundError, ObjectProtectedError,
    PreconditionFailedError, RetentionNotFoundError, StorjException,
)

from .conftest import sha256


def put(project: Project, bucket: str, key: str, data: bytes, options: Optional[UploadOptions] = None) -> Optional[bytes]:
    """Uploads data; returns the version the commit wrote (None for an unversioned object)."""
    upload = project.upload_object(bucket, key, options)
    try:
        upload.write(data)
        upload.commit()
        return upload.info().version
    finally:
        upload.close()


def get(project: Project, bucket: str, key: str, version: Optional[bytes] = None) -> bytes:
    """The whole object (of ``version``, else the latest)."""
    with project.download_object(bucket, key, version=version) as download:
        return download.read(1 << 30)[0]  # read(huge) reads the rest, allocating only what is left


def versions(project: Project, bucket: str) -> list[tuple[str, Optional[bytes], bool]]:
    """(key, version, is_delete_marker) of every version, as the version listing yields them."""
    return [(o.key, o.version, o.is_delete_marker)
            for o in project.iter_object_versions(bucket, ListObjectsOptions(recursive=True))]


def test_two_uploads_make_two_versions_and_a_delete_leaves_a_marker(project: Project) -> None:
    project.create_bucket("versioned")
    assert project.get_bucket_versioning("versioned") is BucketVersioning.UNVERSIONED
    project.set_bucket_versioning("versioned", True)
    assert project.get_bucket_versioning("versioned") is BucketVersioning.ENABLED

    first, second = os.urandom(10_000), os.urandom(300_000)
    v1 = put(project, "versioned", "key", first)
    v2 = put(project, "versioned", "key", second)
    assert v1 and v2 and v1 != v2 and len(v1) == len(v2) == 16
    assert sha256(get(project, "versioned", "key", v1)) == sha256(first)
    assert sha256(get(project, "versioned", "key", v2)) == sha256(second)
    assert project.stat_object("versioned", "key").version == v2
    assert project.stat_object("versioned", "key", version=v1).system.content_length == len(first)

    marker = project.delete_object("versioned", "key")
    assert marker is not None and marker.is_delete_marker and marker.version not in (None, v1, v2)
    with pytest.raises(ObjectNotFoundError):
        project.stat_object("versioned", "key")
    with pytest.raises(MethodNotAllowedError):
        project.stat_object("versioned", "key", version=marker.version)
    assert versions(project, "versioned") == [("key", marker.version, True), ("key", v2, False), ("key", v1, False)]
    assert project.list_objects("versioned", ListObjectsOptions(recursive=True)) == []

    removed = project.delete_object("versioned", "key", version=marker.version)
    assert removed is not None and removed.is_delete_marker
    assert sha256(get(project, "versioned", "key")) == sha256(second)
    assert [o.key for o in project.list_objects("versioned")] == ["key"]

    project.delete_object("versioned", "key", version=v2)
    assert sha256(get(project, "versioned", "key")) == sha256(first)
    assert versions(project, "versioned") == [("key", v1, False)]


def test_suspending_versioning_as_the_satellite_does(project: Project) -> None:
    project.create_bucket("suspended")
    with pytest.raises(StorjException):  # never versioned: nothing to suspend
        project.set_bucket_versioning("suspended", False)
    project.set_bucket_versioning("suspended", True)
    kept = put(project, "suspended", "key", b"versioned")
    project.set_bucket_versioning("suspended", False)
    assert project.get_bucket_versioning("suspended") is BucketVersioning.SUSPENDED

    # New writes are the key's null version: the second replaces the first, the versioned one stays.
    assert put(project, "suspended", "key", b"null one") is None
    assert put(project, "suspended", "key", b"null two") is None
    assert get(project, "suspended", "key") == b"null two"
    listed = versions(project, "suspended")
    assert [(key, marker) for key, _, marker in listed] == [("key", False), ("key", False)]
    assert listed[1][1] == kept

    # A delete replaces the null version by an (unversioned) delete marker.
    marker = project.delete_object("suspended", "key")
    assert marker is not None and marker.is_delete_marker
    listed = versions(project, "suspended")
    assert [marker for _, _, marker in listed] == [True, False] and listed[1][1] == kept
    assert get(project, "suspended", "key", kept) == b"versioned"
    with pytest.raises(ObjectNotFoundError):  # nothing at all at that key
        project.delete_object("suspended", "never-written")


def test_compliance_retention(project: Project) -> None:
    project.create_bucket("locked", object_lock=True)
    assert project.get_bucket_versioning("locked") is BucketVersioning.ENABLED
    with pytest.raises(StorjException):
        project.set_bucket_versioning("locked", False)

    until = int(time.time()) + 4
    data = os.urandom(5000)
    version = put(project, "locked", "kept", data, UploadOptions(retention=Retention(RetentionMode.COMPLIANCE, until)))
    assert project.get_object_retention("locked", "kept", version=version) == Retention(RetentionMode.COMPLIANCE, until)
    with pytest.raises(ObjectProtectedError) as caught:
        project.delete_object("locked", "kept", version=version)
    assert isinstance(caught.value, PermissionError)
    with pytest.raises(ObjectProtectedError):
        project.delete_object("locked", "kept", version=version, bypass_governance=True)
    with pytest.raises(ObjectProtectedError):
        project.set_object_retention("locked", "kept", Retention(RetentionMode.COMPLIANCE, until - 2), version=version)
    with pytest.raises(ObjectProtectedError):
        project.set_object_retention("locked", "kept", None, version=version, bypass_governance=True)
    with pytest.raises(ObjectProtectedError):
        project.set_object_retention("locked", "kept", Retention(RetentionMode.GOVERNANCE, until + 60), version=version)
    project.set_object_retention("locked", "kept", Retention(RetentionMode.COMPLIANCE, until + 1), version=version)
    assert sha256(get(project, "locked", "kept", version)) == sha256(data)

    time.sleep(max(0.0, until + 1 - time.time()) + 1.0)  # past retain_until: not a race, the lock is over
    project.delete_object("locked", "kept", version=version)
    assert versions(project, "locked") == []


def test_governance_retention_needs_the_bypass(project: Project) -> None:
    project.create_bucket("governed", object_lock=True)
    until = int(time.time()) + 3600
    version = put(project, "governed", "key", b"data", UploadOptions(retention=Retention(RetentionMode.GOVERNANCE, until)))
    with pytest.raises(ObjectProtectedError):
        project.delete_object("governed", "key", version=version)
    with pytest.raises(ObjectProtectedError):
        project.set_object_retention("governed", "key", Retention(RetentionMode.GOVERNANCE, until - 60), version=version)
    # A delete without a version only writes a marker, even over a locked version.
    marker = project.delete_object("governed", "key")
    assert marker is not None and marker.is_delete_marker
    project.delete_object("governed", "key", version=version, bypass_governance=True)
    assert [v for _, v, _ in versions(project, "governed")] == [marker.version]


def test_a_legal_hold_blocks_deletion_until_lifted(project: Project) -> None:
    project.create_bucket("held", object_lock=True)
    version = put(project, "held", "key", b"evidence")
    with pytest.raises(RetentionNotFoundError):
        project.get_object_retention("held", "key", version=version)
    assert project.get_object_legal_hold("held", "key", version=version) is False
    project.set_object_legal_hold("held", "key", True, version=version)
    assert project.get_object_legal_hold("held", "key") is True  # the latest version is that one
    with pytest.raises(ObjectProtectedError):
        project.delete_object("held", "key", version=version, bypass_governance=True)
    project.set_object_legal_hold("held", "key", False, version=version)
    project.delete_object("held", "key", version=version)
    assert versions(project, "held") == []


def test_a_bucket_default_retention_applies_to_new_objects(project: Project) -> None:
    project.create_bucket("defaulted", object_lock=True)
    assert project.get_bucket_object_lock_configuration("defaulted") == ObjectLockConfiguration(True, None)
    config = ObjectLockConfiguration(True, DefaultRetention(RetentionMode.GOVERNANCE, days=2))
    project.set_bucket_object_lock_configuration("defaulted", config)
    assert project.get_bucket_object_lock_configuration("defaulted") == config
    before = int(time.time())
    version = put(project, "defaulted", "key", b"data")
    retention = project.get_object_retention("defaulted", "key", version=version)
    assert retention.mode is RetentionMode.GOVERNANCE and retention.retain_until >= before + 2 * 86400
    with pytest.raises(ObjectProtectedError):
        project.delete_object("defaulted", "key", version=version)
    project.set_bucket_object_lock_configuration("defaulted", ObjectLockConfiguration(True, None))
    assert project.get_bucket_object_lock_configuration("defaulted").default_retention is None


def test_if_none_match_refuses_a_second_upload_and_keeps_the_first(project: Project, bucket: str) -> None:
    first = os.urandom(20_000)
    put(project, bucket, "key", first, UploadOptions(if_none_match=True))
    upload = project.upload_object(bucket, "key", UploadOptions(if_none_match=True))
    upload.write(b"second")
    with pytest.raises(PreconditionFailedError) as caught:
        upload.commit()
    assert isinstance(caught.value, FileExistsError)
    upload.close()
    assert sha256(get(project, bucket, "key")) == sha256(first)
    project.delete_object(bucket, "key")
    put(project, bucket, "key", b"once deleted, the key is free", UploadOptions(if_none_match=True))


def test_delete_objects_of_500_keys_in_one_call(project: Project, bucket: str) -> None:
    keys = [f"many/{i:03d}" for i in range(500)]
    for key in keys:
        put(project, bucket, key, key.encode())
    results = project.delete_objects(bucket, keys + ["missing"])
    assert len(results) == 501
    by_key = {r.key: r for r in results}
    assert set(by_key) == set(keys) | {"missing"}
    assert by_key.pop("missing").status is DeleteStatus.NOT_FOUND
    assert all(r.status is DeleteStatus.OK and r.removed and not r.marker_created for r in by_key.values())
    assert project.list_objects(bucket, ListObjectsOptions(recursive=True)) == []


def test_delete_objects_by_version_in_a_versioned_bucket(project: Project) -> None:
    project.create_bucket("batch-versions", object_lock=True)
    plain = put(project, "batch-versions", "plain", b"x")
    held = put(project, "batch-versions", "held", b"x")
    project.set_object_legal_hold("batch-versions", "held", True, version=held)
    results = {r.key: r for r in project.delete_objects(
        "batch-versions", [("plain", plain), ("held", held), "marked"])}
    assert results["plain"].status is DeleteStatus.OK and results["plain"].removed_version == plain
    assert results["held"].status is DeleteStatus.LOCKED
    assert results["marked"].status is DeleteStatus.OK and results["marked"].marker_created
    # Listings are in the order of the encrypted keys, so across keys the order is arbitrary.
    assert sorted((k, m) for k, _, m in versions(project, "batch-versions")) == [("held", False), ("marked", True)]
    with pytest.raises(ValueError):
        project.delete_objects("batch-versions", [])
    with pytest.raises(TypeError):
        project.delete_objects("batch-versions", "plain")


def test_object_lock_calls_on_a_bucket_without_it(project: Project, bucket: str) -> None:
    put(project, bucket, "key", b"data")
    retention = Retention(RetentionMode.COMPLIANCE, int(time.time()) + 3600)
    calls = [
        lambda: project.set_object_retention(bucket, "key", retention),
        lambda: project.get_object_retention(bucket, "key"),
        lambda: project.set_object_legal_hold(bucket, "key", True),
        lambda: project.get_object_legal_hold(bucket, "key"),
        lambda: project.get_bucket_object_lock_configuration(bucket),
        lambda: project.set_bucket_object_lock_configuration(bucket, ObjectLockConfiguration()),
        lambda: put(project, bucket, "retained", b"x", UploadOptions(retention=retention)),
        lambda: put(project, bucket, "held", b"x", UploadOptions(legal_hold=True)),
    ]
    for call in calls:
        with pytest.raises(ObjectLockNotEnabledError):
            call()
    assert [o.key for o in project.list_objects(bucket)] == ["key"]


def test_bad_arguments_are_refused_before_c(project: Project, bucket: str) -> None:
    with pytest.raises(TypeError):
        project.stat_object(bucket, "key", version="not bytes")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        project.stat_object(bucket, "key", version=b"")
    with pytest.raises(TypeError):
        project.set_object_retention(bucket, "key", "compliance")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        project.set_object_retention(bucket, "key", Retention(RetentionMode.COMPLIANCE, 0))
    with pytest.raises(ValueError):
        project.set_object_retention(bucket, "key", Retention(7, 1))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        project.delete_objects(bucket, [("key", "v1")])


def test_version_listing_under_a_prefix_gives_whole_keys(project: Project) -> None:
    project.create_bucket("prefixed")
    project.set_bucket_versioning("prefixed", True)
    for key in ("p/a", "p/a", "p/b", "q/c"):
        put(project, "prefixed", key, key.encode())
    listed = list(project.iter_object_versions("prefixed", ListObjectsOptions(prefix="p/", recursive=True)))
    assert sorted(o.key for o in listed) == ["p/a", "p/a", "p/b"]
    assert all(o.version and not o.is_delete_marker for o in listed)
