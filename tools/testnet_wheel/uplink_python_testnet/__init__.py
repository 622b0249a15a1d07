"""The local Storj network's executable, for ``uplink_python.testnet`` (``pip install 'uplink_python[testnet]'``).

This distribution carries only the static executable (built from the uplink_python repository's testnet/
Go module) and the licence texts of everything linked into it; ``uplink_python.testnet`` runs it, and the
pytest plugin this distribution registers (``uplink_python.testnet.plugin``) gives tests its fixtures.
"""

from pathlib import Path

__all__ = ["BINARY", "LICENSES"]

BINARY = Path(__file__).resolve().parent / "testnet"
"""The network's executable (linux, static: it needs no libc)."""
LICENSES = Path(__file__).resolve().parent / "testnet-LICENSES.txt"
"""The licence texts of the software linked into :data:`BINARY`."""
