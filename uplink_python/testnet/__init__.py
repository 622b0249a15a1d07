"""The local Storj network for tests: a satellite, storage nodes and an auth service on 127.0.0.1.

    from uplink_python.testnet import Network
    with Network("/tmp/net").start() as network:
        credentials = network.new_project(storage_limit=1 << 20)

``python -m uplink_python.testnet`` runs one from a shell, and the pytest plugin
[`uplink_python.testnet.plugin`][uplink_python.testnet.plugin] gives tests the ``storj_network``,
``storj_access``, ``storj_project`` and ``storj_bucket`` fixtures. The executable comes with
``pip install 'uplink_python[testnet]'`` (the ``uplink_python_testnet`` distribution); in a checkout of this
repository it is built from testnet/ with Go.
"""

from ._network import (
    BINARY_ENV, DEFAULT_NODES, DEFAULT_PASSPHRASE, Network, NetworkError, ProjectCredentials, locate_binary,
)

__all__ = [
    "BINARY_ENV", "DEFAULT_NODES", "DEFAULT_PASSPHRASE", "Network", "NetworkError", "ProjectCredentials",
    "locate_binary",
]
