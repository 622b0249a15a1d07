"""The local Storj network (testnet/) for the integration tests, the benchmarks and the demo.

A thin layer over uplink_python.testnet, which users get too: in this checkout its Network runs the
executable tools/build_testnet.sh builds from testnet/ (once per process; Go's cache keeps it quick).
Here, unlike for users, Go is required: the network is always built from these sources.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from uplink_python.testnet import Network, NetworkError, locate_binary

__all__ = ["LocalNetwork", "NetworkError", "build_libuplinkc", "build_testnet", "main"]

ROOT = Path(__file__).resolve().parent.parent

LocalNetwork = Network
"""One network: ``LocalNetwork(data_dir).start()``, ``new_project(...)``, ``control(...)``, ``stop()``."""


def build_testnet() -> Path:
    """Builds testnet/cmd/testnet (a no-op when it is up to date) and returns the executable."""
    if shutil.which("go") is None:
        raise NetworkError("Go is not installed: the local Storj network is built from testnet/ with Go")
    return locate_binary()


def build_libuplinkc() -> None:
    """Builds libuplinkc into uplink_python/ (the script does nothing when it is up to date)."""
    result = subprocess.run(["bash", str(ROOT / "build_libuplink.sh")], capture_output=True, text=True)
    if result.returncode != 0:
        raise NetworkError(f"build_libuplink.sh failed:\n{result.stdout}\n{result.stderr}")


def main(argv: list[str]) -> int:
    """`python3 tests/localnet.py DIR -- COMMAND...`: build, start the network in DIR, run COMMAND with the
    STORJ_* variables set, stop the network, exit with COMMAND's status."""
    if len(argv) < 3 or argv[1] != "--":
        print(main.__doc__, file=sys.stderr)
        return 2
    try:
        build_testnet()
        started = time.monotonic()
        network = LocalNetwork(Path(argv[0])).start()
    except NetworkError as error:
        print(f"localnet: {error}", file=sys.stderr)
        return 1
    print(f"local Storj network up in {time.monotonic() - started:.2f} s: satellite {network.satellite_url}")
    try:
        return subprocess.run(argv[2:], env={**os.environ, **network.environment()}).returncode
    finally:
        network.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
