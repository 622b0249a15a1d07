"""The local network refuses what Storj's production satellite refuses, with the error the client maps.

One test per rule of docs/network-differences.md, driving the real client (Python -> libuplinkc ->
storj.io/uplink) against projects made through the network's control endpoint, with the limits each rule
needs. Rate-limited projects are refused within a few requests even on a slow machine: the tests only
rely on a burst being spent, never on how long a request takes.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterator

import pytest

from uplink_python import (
    Access, BucketNotEmptyError, DownloadOptions, InternalError, ObjectNotFoundError, Permission,
    PermissionDeniedError, Project, TooManyRequestsError, Uplink,
)

from ..localnet import LocalNetwork

MiB = 1024 * 1024
MIN_PART_SIZE = 5 * MiB
MAX_PARTS = 10_000


def open_project(network: LocalNetwork, **limits: Any) -> Project:
    """An open project on a fresh project with these control-endpoint limits."""
    credentials = network.new_project(**limits)
    access = Uplink().parse_access(credentials["access_grant"])
    try:
        return access.open_project()
    finally:
        access.close()


@pytest.fixture
def unthrottled(network: LocalNetwork) -> Iterator[Project]:
    """A project with production's limits but no request rate limit (for rules other than the rate)."""
    with open_project(network, rate_limit=0) as project:
        yield project


def put(project: Project, bucket: str, key: str, data: bytes) -> None:
    with project.upload_object(bucket, key) as upload:
        upload.write(data)


def get(project: Project, bucket: str, key: str) -> bytes:
    with project.download_object(bucket, key) as download:
        return download.read(16 * MiB)[0]


def fresh_bucket(project: Project) -> str:
    name = f"rules-{uuid.uuid4().hex[:12]}"
    project.create_bucket(name)
    return name


def share(project_access: Access, **permission: bool) -> Project:
    shared = project_access.share(Permission(**permission))
    try:
        return shared.open_project()
    finally:
        shared.close()


def upload_parts(project: Project, bucket: str, key: str, upload_id: str, parts: dict[int, bytes]) -> None:
    def send(number: int) -> None:
        with project.upload_part(bucket, key, upload_id, number) as part:
            part.write(parts[number])

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(send, parts))


def test_part_below_minimum_size_is_refused_at_commit(unthrottled: Project) -> None:
    bucket = fresh_bucket(unthrottled)
    short = unthrottled.begin_upload(bucket, "short")
    upload_parts(unthrottled, bucket, "short", short.upload_id, {1: os.urandom(MIN_PART_SIZE - 1), 2: b"last"})
    with pytest.raises(InternalError, match="size of part number 1 is below minimum threshold"):
        unthrottled.commit_upload(bucket, "short", short.upload_id)

    # Exactly 5 MiB, then a short last part, with a gap in the numbers: committed and read back intact.
    parts = {1: os.urandom(MIN_PART_SIZE), 3: b"last part"}
    fine = unthrottled.begin_upload(bucket, "fine")
    upload_parts(unthrottled, bucket, "fine", fine.upload_id, parts)
    unthrottled.commit_upload(bucket, "fine", fine.upload_id)
    expected = parts[1] + parts[3]
    assert hashlib.sha256(get(unthrottled, bucket, "fine")).hexdigest() == hashlib.sha256(expected).hexdigest()


def test_more_than_10000_parts_are_refused_at_commit(unthrottled: Project) -> None:
    bucket = fresh_bucket(unthrottled)
    info = unthrottled.begin_upload(bucket, "many")
    # Empty parts: the count is checked before the sizes.
    upload_parts(unthrottled, bucket, "many", info.upload_id, {n: b"" for n in range(1, MAX_PARTS + 2)})
    with pytest.raises(InternalError, match="exceeded maximum number of parts: 10000"):
        unthrottled.commit_upload(bucket, "many", info.upload_id)
    unthrottled.abort_upload(bucket, "many", info.upload_id)


def test_bucket_limit(network: LocalNetwork, unthrottled: Project) -> None:
    # Production's default: 100 buckets.
    for i in range(100):
        unthrottled.create_bucket(f"bucket-{i:03d}")
    with pytest.raises(InternalError, match=r"number of allocated buckets \(100\) exceeded"):
        unthrottled.create_bucket("bucket-100")

    # A project's own limit; the refusal names production's default, as production's does.
    with open_project(network, bucket_limit=2, rate_limit=0) as project:
        project.create_bucket("one")
        project.create_bucket("two")
        with pytest.raises(InternalError, match=r"number of allocated buckets \(100\) exceeded"):
            project.create_bucket("three")
        project.delete_bucket("one")
        project.create_bucket("three")

    # 0: no limit.
    with open_project(network, bucket_limit=0, rate_limit=0) as project:
        for i in range(101):
            project.create_bucket(f"bucket-{i:03d}")


def test_request_rate_limit(network: LocalNetwork) -> None:
    # One request a second with bursts of 3: the burst is spent within a few requests, however slow
    # each one is (a refill would need a second per request).
    with open_project(network, rate_limit=1, burst_limit=3) as project:
        with pytest.raises(TooManyRequestsError):
            for _ in range(20):
                list(project.list_buckets())

    # The network's own default project is not rate limited (the demo and the benchmarks load it).
    access = Uplink().parse_access(network.config["access_grant"])
    try:
        with access.open_project() as project:
            for _ in range(300):
                list(project.list_buckets())
    finally:
        access.close()


def test_upload_rate_per_key(network: LocalNetwork) -> None:
    # Every rate-limited project has production's upload limit: one object key takes a new upload
    # once a second, with bursts of 3. Request rate high enough not to interfere.
    with open_project(network, rate_limit=10_000) as project:
        bucket = fresh_bucket(project)
        for i in range(3):
            put(project, bucket, "same", b"version %d" % i)
        with pytest.raises(TooManyRequestsError):
            for i in range(3, 20):
                put(project, bucket, "same", b"version %d" % i)
        put(project, bucket, "other", b"another key has its own limit")
        assert get(project, bucket, "other") == b"another key has its own limit"


def test_range_past_the_end_is_refused(unthrottled: Project) -> None:
    bucket = fresh_bucket(unthrottled)
    put(unthrottled, bucket, "ten", b"0123456789")
    with pytest.raises(InternalError, match="invalid range: 11:10"):
        with unthrottled.download_object(bucket, "ten", DownloadOptions(offset=11)) as download:
            download.read(16 * MiB)[0]
    with unthrottled.download_object(bucket, "ten", DownloadOptions(offset=10)) as download:
        assert download.read(16 * MiB)[0] == b""
    with unthrottled.download_object(bucket, "ten", DownloadOptions(offset=7)) as download:
        assert download.read(16 * MiB)[0] == b"789"


def test_replacing_an_object_needs_delete(network: LocalNetwork) -> None:
    credentials = network.new_project(rate_limit=0)
    access = Uplink().parse_access(credentials["access_grant"])
    try:
        with access.open_project() as project:
            bucket = fresh_bucket(project)
            put(project, bucket, "taken", b"original")
            put(project, bucket, "source", b"copied")
            with share(access, allow_download=True, allow_upload=True, allow_list=True) as no_delete:
                with pytest.raises(PermissionDeniedError):
                    put(no_delete, bucket, "taken", b"replacement")
                assert get(project, bucket, "taken") == b"original"
                put(no_delete, bucket, "free", b"a new key needs no Delete")
                # A copy may replace an object without Delete, as in production.
                no_delete.copy_object(bucket, "source", bucket, "taken")
                assert get(project, bucket, "taken") == b"copied"
    finally:
        access.close()


def test_delete_without_read_or_list_reveals_nothing(network: LocalNetwork) -> None:
    credentials = network.new_project(rate_limit=0)
    access = Uplink().parse_access(credentials["access_grant"])
    missing_version = bytes(7) + b"\x63" + bytes(8)
    try:
        with access.open_project() as project:
            bucket = fresh_bucket(project)
            put(project, bucket, "object", b"data")
            with share(access, allow_download=True, allow_delete=True) as can_read:
                with pytest.raises(ObjectNotFoundError):
                    can_read.delete_object(bucket, "object", version=missing_version)
            with share(access, allow_delete=True) as delete_only:
                # The failed delete answers success, with nothing about the object.
                assert delete_only.delete_object(bucket, "object", version=missing_version) is None
                assert delete_only.delete_object(bucket, "object") is None
                with pytest.raises(ObjectNotFoundError):
                    project.stat_object(bucket, "object")
                # A key may always read a bucket's own metadata, so a bucket that is not empty is
                # reported to it as to any key (production's rule applies to objects only).
                put(project, bucket, "object", b"data")
                with pytest.raises(BucketNotEmptyError):
                    delete_only.delete_bucket(bucket)
    finally:
        access.close()
