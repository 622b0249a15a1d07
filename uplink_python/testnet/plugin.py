"""The pytest plugin of the local Storj network (registered by ``pip install 'uplink_python[testnet]'``).

    def test_roundtrip(storj_project, storj_bucket):
        with storj_project.upload_object(storj_bucket, "k") as upload:
            upload.write(b"data")

Fixtures:

- ``storj_network`` (session): a local network started for the session (or the one whose JSON file
  ``--storj-testnet``/``STORJ_TESTNET_JSON`` names): satellite URL, API key and access grant of its own
  project, ``new_project(...)`` and the fault-injection helpers.
- ``storj_access`` (test): an [`Access`][uplink_python.access.Access] to a fresh project.
- ``storj_project`` (test): an open [`Project`][uplink_python.project.Project] on that access, closed after the test.
- ``storj_bucket`` (test): the name of a bucket created for the test.

With ``--storj-access=GRANT`` (or ``STORJ_TEST_ACCESS``) the same tests run against that access's satellite:
each test gets a bucket of its own (its access is restricted to that bucket), deleted with everything in it
afterwards; ``new_project``, the API key and the fault-injection helpers skip the test.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Iterator, Optional

import pytest

from ..access import Access
from ..errors import BucketNotFoundError
from ..module_classes import Permission, SharePrefix
from ..project import Project
from ..uplink import Uplink
from ._network import DEFAULT_NODES, Network

__all__ = [
    "ACCESS_ENV", "TESTNET_ENV", "StorjNetwork", "pytest_addoption", "pytest_report_header", "storj_access",
    "storj_bucket", "storj_network", "storj_project",
]

ACCESS_ENV = "STORJ_TEST_ACCESS"
"""A serialized access: the tests run against its satellite instead of a local network."""
TESTNET_ENV = "STORJ_TESTNET_JSON"
"""The JSON file of a running local network (``python -m uplink_python.testnet --detach`` exports it)."""

_EVERYTHING = Permission(allow_download=True, allow_upload=True, allow_list=True, allow_delete=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    """The plugin's command-line options."""
    group = parser.getgroup("storj", "the local Storj network (uplink_python.testnet)")
    group.addoption("--storj-access", metavar="GRANT", default=None,
                    help=f"run storj_access/storj_project against this access's satellite, one bucket per test "
                         f"(default ${ACCESS_ENV}); the fault-injection helpers then skip")
    group.addoption("--storj-testnet", metavar="JSON", default=None,
                    help=f"use the running local network of this JSON file (default ${TESTNET_ENV}) "
                         "instead of starting one")
    group.addoption("--storj-nodes", metavar="N", type=int, default=DEFAULT_NODES,
                    help=f"storage nodes of the network started for the session (default {DEFAULT_NODES})")


def pytest_report_header(config: pytest.Config) -> str:
    """The header line saying which network the session's tests use (never the access grant itself)."""
    if _option(config, "--storj-access", ACCESS_ENV) is not None:
        return "storj: the satellite of --storj-access; the local network's helpers skip"
    running = _option(config, "--storj-testnet", TESTNET_ENV)
    if running is not None:
        return f"storj: the running local network of {running}"
    return f"storj: a local network started for the session ({config.getoption('--storj-nodes')} nodes)"


class StorjNetwork:
    """What the ``storj_network`` fixture gives: a local network, or the satellite of ``--storj-access``."""

    def __init__(self, network: Optional[Network], remote_access: Optional[str] = None) -> None:
        if (network is None) == (remote_access is None):
            raise ValueError("a StorjNetwork is either a local network or a remote access")
        self._network = network
        self._remote_access = remote_access
        self._satellite_url: Optional[str] = None

    @property
    def local(self) -> bool:
        """True for a local network; False when the tests run against the satellite of ``--storj-access``."""
        return self._network is not None

    def _local(self, what: str) -> Network:
        if self._network is None:
            pytest.skip(f"{what} needs the local Storj network: these tests run against the satellite of "
                        f"--storj-access (${ACCESS_ENV}), which this plugin does not control")
        return self._network

    @property
    def network(self) -> Network:
        """The local [`Network`][uplink_python.testnet.Network] (skips the test under ``--storj-access``)."""
        return self._local("storj_network.network")

    @property
    def satellite_url(self) -> str:
        """The satellite's node URL."""
        if self._network is not None:
            return self._network.satellite_url
        if self._satellite_url is None:
            with Uplink().parse_access(self.access_grant) as access:
                self._satellite_url = access.satellite_address()
        return self._satellite_url

    @property
    def access_grant(self) -> str:
        """A serialized access: the local network's own project (no rate limits), or ``--storj-access``."""
        if self._network is not None:
            return self._network.access_grant
        assert self._remote_access is not None
        return self._remote_access

    @property
    def api_key(self) -> str:
        """The API key of the local network's own project (skips the test under ``--storj-access``)."""
        return self._local("storj_network.api_key").api_key

    @property
    def passphrase(self) -> str:
        """The passphrase of the local network's access grants (skips the test under ``--storj-access``)."""
        return self._local("storj_network.passphrase").passphrase

    def new_project(self, *, storage_limit: Optional[int] = None, bandwidth_limit: Optional[int] = None,
                    segment_limit: Optional[int] = None, bucket_limit: Optional[int] = None,
                    rate_limit: Optional[int] = None, burst_limit: Optional[int] = None) -> str:
        """A serialized access to a fresh project with production's default limits, except those given
        (see [`Network.new_project`][uplink_python.testnet.Network.new_project])."""
        credentials = self._local("storj_network.new_project").new_project(
            storage_limit=storage_limit, bandwidth_limit=bandwidth_limit, segment_limit=segment_limit,
            bucket_limit=bucket_limit, rate_limit=rate_limit, burst_limit=burst_limit)
        return credentials["access_grant"]

    def stop_node(self, index: int) -> None:
        """Stops storage node ``index`` (skips the test under ``--storj-access``)."""
        self._local("storj_network.stop_node").stop_node(index)

    def start_node(self, index: int) -> None:
        """Starts storage node ``index`` again (skips the test under ``--storj-access``)."""
        self._local("storj_network.start_node").start_node(index)

    def stop_satellite(self) -> None:
        """Stops the satellite (skips the test under ``--storj-access``)."""
        self._local("storj_network.stop_satellite").stop_satellite()

    def start_satellite(self) -> None:
        """Starts the satellite again (skips the test under ``--storj-access``)."""
        self._local("storj_network.start_satellite").start_satellite()

    def collect_garbage(self) -> None:
        """Runs garbage collection now (skips the test under ``--storj-access``)."""
        self._local("storj_network.collect_garbage").collect_garbage()

    def __repr__(self) -> str:  # never the access grant: it is a secret
        return f"StorjNetwork(local={self.local})"


def _option(config: pytest.Config, name: str, environment: str) -> Optional[str]:
    value = config.getoption(name)
    return str(value) if value else os.environ.get(environment) or None


@pytest.fixture(scope="session")
def storj_network(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StorjNetwork]:
    """The network of the session: started for it (and stopped after it) unless one is given."""
    remote = _option(request.config, "--storj-access", ACCESS_ENV)
    if remote is not None:
        yield StorjNetwork(None, remote)
        return
    running = _option(request.config, "--storj-testnet", TESTNET_ENV)
    if running is not None:
        yield StorjNetwork(Network.from_config(Path(running)))
        return
    network = Network(tmp_path_factory.mktemp("storj-testnet"), nodes=request.config.getoption("--storj-nodes"))
    network.start()
    try:
        yield StorjNetwork(network)
    finally:
        network.stop()


@pytest.fixture
def _storj_bucket_name() -> str:
    return f"pytest-{uuid.uuid4().hex[:16]}"


@pytest.fixture
def storj_access(storj_network: StorjNetwork, _storj_bucket_name: str) -> Iterator[Access]:
    """An access to a fresh project; under ``--storj-access``, restricted to the test's own bucket."""
    uplink = Uplink()
    if storj_network.local:
        with uplink.parse_access(storj_network.new_project()) as access:
            yield access
        return
    with uplink.parse_access(storj_network.access_grant) as full:
        with full.share(_EVERYTHING, [SharePrefix(bucket=_storj_bucket_name)]) as access:
            try:
                yield access
            finally:
                _delete_bucket(full, _storj_bucket_name)


def _delete_bucket(access: Access, bucket: str) -> None:
    """Deletes the bucket with its objects and pending uploads, if the test created it."""
    with access.open_project() as project:
        try:
            for upload in project.list_uploads(bucket):
                project.abort_upload(bucket, upload.key, upload.upload_id)
            project.delete_bucket_with_objects(bucket)
        except BucketNotFoundError:
            pass


@pytest.fixture
def storj_project(storj_access: Access) -> Iterator[Project]:
    """An open project on ``storj_access``, closed after the test."""
    with storj_access.open_project() as project:
        yield project


@pytest.fixture
def storj_bucket(storj_access: Access, _storj_bucket_name: str) -> str:
    """The name of a bucket created for this test (under ``--storj-access``, deleted after it)."""
    with storj_access.open_project() as project:
        project.ensure_bucket(_storj_bucket_name)
    return _storj_bucket_name
