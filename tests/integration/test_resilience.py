"""Nodes and the satellite going away, and the whole network restarting."""

from __future__ import annotations

import os
import time

import pytest

from uplink_python import Config, Project, Uplink
from uplink_python.errors import StorjException

from ..localnet import LocalNetwork
from .conftest import sha256

MiB = 1 << 20


def test_one_node_stopped_mid_transfer(network: LocalNetwork, project: Project, bucket: str) -> None:
    data = os.urandom(24 * MiB)
    try:
        with project.upload_object(bucket, "survivor") as upload:
            upload.write(data[:MiB])
            network.control("POST", "/nodes/1/stop")  # the upload has begun: its pieces lose a node
            upload.write(data[MiB:])
        with project.download_object(bucket, "survivor") as download:
            received = download.read(len(data))[0]
        assert sha256(received) == sha256(data)

        # And a download that loses a different node while it runs.
        network.control("POST", "/nodes/1/start")
        with project.download_object(bucket, "survivor") as download:
            head = download.read(MiB)[0]
            network.control("POST", "/nodes/3/stop")
            rest = download.read(len(data))[0]
        assert sha256(head + rest) == sha256(data)
    finally:
        network.control("POST", "/nodes/1/start")
        network.control("POST", "/nodes/3/start")


def test_stopped_satellite_gives_a_typed_error_within_the_dial_timeout(network: LocalNetwork,
                                                                       credentials: dict[str, str]) -> None:
    config = Config(dial_timeout_milliseconds=2000)
    access = Uplink().config_request_access_with_passphrase(config, network.satellite_url, credentials["api_key"],
                                                            network.passphrase)
    network.control("POST", "/satellite/stop")
    try:
        started = time.monotonic()
        with access.config_open_project(config) as project:
            with pytest.raises(StorjException):
                project.stat_bucket("anything")
        assert time.monotonic() - started < 10  # dial timeout plus the client's short retries, not a hang
    finally:
        network.control("POST", "/satellite/start")
        access.close()
    with access_again(network, credentials) as project:  # and it works again once back
        assert project.list_buckets() == []


def access_again(network: LocalNetwork, credentials: dict[str, str]) -> Project:
    access = Uplink().parse_access(credentials["access_grant"])
    project = access.open_project()
    access.close()
    return project


def test_restarted_network_keeps_everything(network: LocalNetwork, tmp_path) -> None:
    del network  # only built the binary: this test runs a network of its own, to restart it
    network = LocalNetwork(tmp_path / "restart").start()
    data = os.urandom(2 * MiB + 3)
    try:
        credentials = network.new_project()
        with access_again(network, credentials) as project:
            project.create_bucket("kept")
            with project.upload_object("kept", "remote") as upload:
                upload.write(data)
            with project.upload_object("kept", "inline") as upload:
                upload.write(b"small")
        network.stop()
        network.start()
        with access_again(network, credentials) as project:
            assert [b.name for b in project.list_buckets()] == ["kept"]
            with project.download_object("kept", "remote") as download:
                assert sha256(download.read(len(data))[0]) == sha256(data)
            with project.download_object("kept", "inline") as download:
                assert download.read(100)[0] == b"small"
    finally:
        network.stop()
