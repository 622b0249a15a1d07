"""A project's storage, segment and bandwidth limits give the client's limit errors."""

from __future__ import annotations

import os

import pytest

from uplink_python import (
    BandwidthLimitExceededError, SegmentsLimitExceededError, StorageLimitExceededError, Uplink,
)

from ..localnet import LocalNetwork


def open_limited(network: LocalNetwork, **limits: int):
    credentials = network.new_project(**limits)
    access = Uplink().request_access_with_passphrase(network.satellite_url, credentials["api_key"],
                                                     network.passphrase)
    project = access.open_project()
    access.close()
    project.create_bucket("limited")
    return project


def test_storage_limit(network: LocalNetwork) -> None:
    with open_limited(network, storage_limit=100_000) as project:
        # an upload goes ahead while usage is under the limit: the second one crosses it
        for key in ("fits", "crosses"):
            with project.upload_object("limited", key) as upload:
                upload.write(os.urandom(60_000))
        with pytest.raises(StorageLimitExceededError):
            with project.upload_object("limited", "too-much") as upload:
                upload.write(os.urandom(60_000))


def test_segment_limit(network: LocalNetwork) -> None:
    with open_limited(network, segment_limit=2) as project:
        for key in ("one", "two"):
            with project.upload_object("limited", key) as upload:
                upload.write(b"small")
        with pytest.raises(SegmentsLimitExceededError):
            with project.upload_object("limited", "three") as upload:
                upload.write(b"small")


def test_bandwidth_limit(network: LocalNetwork) -> None:
    with open_limited(network, bandwidth_limit=150_000) as project:
        with project.upload_object("limited", "big") as upload:
            upload.write(os.urandom(100_000))
        for _ in range(2):  # egress is under the limit before each: the second crosses it
            with project.download_object("limited", "big") as download:
                assert len(download.read(200_000)[0]) == 100_000
        with pytest.raises(BandwidthLimitExceededError):
            with project.download_object("limited", "big") as download:
                download.read(200_000)
