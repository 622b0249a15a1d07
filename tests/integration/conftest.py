"""Fixtures of the integration tests: the real libuplinkc and a local Storj network.

The network is built and started once per pytest session (or taken from the JSON file named by
UPLINK_PYTHON_TESTNET_CONFIG, e.g. one started by hand with testnet/cmd/testnet). Each test gets a
fresh project on it. If the library or the network cannot be built or started, the tests fail.
"""

from __future__ import annotations

import gc
import hashlib
import os
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from uplink_python import Access, Project, Uplink

from ..localnet import LocalNetwork, build_libuplinkc, build_testnet

CONFIG_ENV = "UPLINK_PYTHON_TESTNET_CONFIG"


@pytest.fixture(scope="session")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNetwork]:
    """The local network every integration test talks to."""
    build_libuplinkc()
    if os.environ.get(CONFIG_ENV):
        yield LocalNetwork.from_config(Path(os.environ[CONFIG_ENV]))
        return
    build_testnet()
    local = LocalNetwork(tmp_path_factory.mktemp("testnet")).start()
    yield local
    local.stop()


@pytest.fixture
def credentials(network: LocalNetwork) -> dict[str, str]:
    """A fresh project of this test's own: its API key and access grant. Its request rate is not limited:
    these tests exercise other behaviour at full speed (hundreds of requests a second, several uploads to
    one key within a second), and production's rate limits have tests of their own
    (test_production_rules.py). Its other limits are production's."""
    return network.new_project(rate_limit=0)


@pytest.fixture(autouse=True)
def no_handle_left(network: LocalNetwork) -> Iterator[None]:
    """After every integration test (and its fixtures), every handle the library gave out is released."""
    yield
    gc.collect()  # objects a test dropped are released by their finalizers
    assert Uplink.internal_universe_is_empty(), "the test left libuplinkc handles unreleased"


@pytest.fixture
def access(network: LocalNetwork, credentials: dict[str, str]) -> Iterator[Access]:
    """An access to a fresh project, requested with the network's passphrase."""
    access = Uplink().request_access_with_passphrase(network.satellite_url, credentials["api_key"],
                                                     network.passphrase)
    yield access
    access.close()


@pytest.fixture
def project(access: Access) -> Iterator[Project]:
    """An open project with nothing in it."""
    with access.open_project() as project:
        yield project


@pytest.fixture
def bucket(project: Project) -> str:
    """A bucket created for this test."""
    name = f"bucket-{uuid.uuid4().hex[:12]}"
    project.create_bucket(name)
    return name


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
