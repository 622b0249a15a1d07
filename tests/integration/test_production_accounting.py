"""The local network accounts a project's usage the way Storj's production satellite does.

One test per accounting rule of docs/network-differences.md, driving the real client (Python -> libuplinkc
-> storj.io/uplink) against projects made through the network's control endpoint:

- storage and segments: an upload goes ahead while usage is under the limit, so the upload that crosses it
  succeeds and the next one is refused;
- egress: a download is refused once the month's egress has reached the limit;
- a delete gives storage and segments back only at the next accounting pass (the tally);
- a pending upload nobody continues is deleted after the zombie deletion period.

The storage nodes' rules (a used order-limit serial is refused, an order limit is usable for one hour) need
hand-made order limits, which the client never sends: Go tests under testnet/storagenode keep them.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from uplink_python import (
    BandwidthLimitExceededError, Project, SegmentsLimitExceededError, StorageLimitExceededError, Uplink,
)

from ..localnet import LocalNetwork, build_testnet

# The zombie deletion test's network deletes pending uploads this long after their last activity; the
# test waits for that (polling), so only its upper bound matters, never how long a request takes.
ZOMBIE_PERIOD_SECONDS = 2
ZOMBIE_WAIT_SECONDS = 60
BUCKET = "accounting"


def open_project(network: LocalNetwork, **limits: int) -> Project:
    """An open project, without request rate limit, on a fresh project with these limits and the bucket BUCKET."""
    credentials = network.new_project(rate_limit=0, **limits)
    access = Uplink().parse_access(credentials["access_grant"])
    try:
        project = access.open_project()
    finally:
        access.close()
    try:
        project.create_bucket(BUCKET)
    except BaseException:
        project.close()
        raise
    return project


def tally(network: LocalNetwork) -> None:
    """Runs the satellite's accounting pass now (the control endpoint's POST /accounting/tally)."""
    network.control("POST", "/accounting/tally")


def put(project: Project, key: str, data: bytes) -> None:
    with project.upload_object(BUCKET, key) as upload:
        upload.write(data)


def get(project: Project, key: str) -> bytes:
    with project.download_object(BUCKET, key) as download:
        return download.read(1 << 20)[0]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_storage_is_refused_once_usage_reaches_the_limit(network: LocalNetwork) -> None:
    with open_project(network, storage_limit=100_000) as project:
        put(project, "first", os.urandom(60_000))
        put(project, "crossing", os.urandom(60_000))  # usage was 60 kB: under the limit, so it goes ahead
        with pytest.raises(StorageLimitExceededError):
            put(project, "refused", b"x" * 1000)
        assert sorted(obj.key for obj in project.list_objects(BUCKET)) == ["crossing", "first"]


def test_segments_are_refused_once_usage_reaches_the_limit(network: LocalNetwork) -> None:
    with open_project(network, segment_limit=2) as project:
        put(project, "one", b"1")
        put(project, "two", b"2")
        with pytest.raises(SegmentsLimitExceededError):
            put(project, "three", b"3")


def test_egress_is_refused_once_usage_reaches_the_limit(network: LocalNetwork) -> None:
    data = os.urandom(60_000)
    with open_project(network, bandwidth_limit=100_000) as project:
        put(project, "object", data)
        for _ in range(2):  # egress before each is 0, then 60 kB: under the limit, so the second crosses it
            assert sha256(get(project, "object")) == sha256(data)
        tally(network)  # the accounting pass recounts storage, never egress
        with pytest.raises(BandwidthLimitExceededError):
            get(project, "object")


def test_a_delete_frees_storage_and_segments_at_the_next_tally(network: LocalNetwork) -> None:
    with open_project(network, storage_limit=100_000, segment_limit=3) as project:
        put(project, "big", os.urandom(120_000))
        with pytest.raises(StorageLimitExceededError):
            put(project, "small", b"x")
        project.delete_object(BUCKET, "big")
        with pytest.raises(StorageLimitExceededError):  # the deleted bytes still count...
            put(project, "small", b"x")
        tally(network)  # ...until the accounting pass recounts them
        for key in ("small", "second", "third"):
            put(project, key, key.encode())
        project.delete_object(BUCKET, "second")
        with pytest.raises(SegmentsLimitExceededError):  # three segments counted, one of them deleted
            put(project, "fourth", b"4")
        tally(network)
        put(project, "fourth", b"4")
        assert sorted(obj.key for obj in project.list_objects(BUCKET)) == ["fourth", "small", "third"]


@pytest.fixture(scope="module")
def zombie_network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNetwork]:
    """A network of its own whose zombie deletion period is short, as tests may set it."""
    binary = build_testnet()
    folder = Path(tmp_path_factory.mktemp("zombies"))
    # the network's executable with one more flag: Network starts whatever executable it is given
    launcher = folder / "testnet-short-zombie-period"
    launcher.write_text(f'#!/bin/sh\nexec "{binary}" "$@" --zombie-deletion-period {ZOMBIE_PERIOD_SECONDS}s\n')
    launcher.chmod(0o755)
    local = LocalNetwork(folder / "data", nodes=4, binary=launcher).start()
    yield local
    local.stop()


def test_an_inactive_pending_upload_is_deleted(zombie_network: LocalNetwork) -> None:
    with open_project(zombie_network) as project:
        begun = time.monotonic()
        upload = project.begin_upload(BUCKET, f"abandoned-{uuid.uuid4().hex[:8]}")
        with project.upload_part(BUCKET, upload.key, upload.upload_id, 1) as part:
            part.write(os.urandom(10_000))
        listed = [item.upload_id for item in project.list_uploads(BUCKET)]
        if time.monotonic() - begun < ZOMBIE_PERIOD_SECONDS:  # (a slow machine may already be past it)
            assert listed == [upload.upload_id], "deleted before the period passed"
        deadline = time.monotonic() + ZOMBIE_WAIT_SECONDS
        while any(True for _ in project.list_uploads(BUCKET)):
            assert time.monotonic() < deadline, "the abandoned upload was never deleted"
            time.sleep(0.2)
        assert time.monotonic() - begun >= ZOMBIE_PERIOD_SECONDS, "deleted before the period passed"
        assert list(project.list_objects(BUCKET)) == []
