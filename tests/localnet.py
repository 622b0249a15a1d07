"""Builds and runs the local Storj network (testnet/) for the integration tests and the demo.

The network is one Go program: it writes a JSON file with its addresses and keys once it is ready,
answers a small HTTP control API (fresh projects, stopping and starting nodes or the satellite), and
stops on SIGTERM or when its parent process dies.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parent.parent
TESTNET_DIR = ROOT / "testnet"
BINARY = ROOT / ".build" / "testnet"
START_TIMEOUT_SECONDS = 60.0


class NetworkError(RuntimeError):
    """The local network could not be built, started or controlled."""


def build_testnet() -> Path:
    """Builds testnet/cmd/testnet into .build/ (Go's build cache makes a warm build quick)."""
    if shutil.which("go") is None:
        raise NetworkError("Go is not installed: the local Storj network is built from testnet/ with Go")
    BINARY.parent.mkdir(exist_ok=True)
    result = subprocess.run(["go", "build", "-trimpath", "-o", str(BINARY), "./cmd/testnet"],
                            cwd=TESTNET_DIR, capture_output=True, text=True)
    if result.returncode != 0:
        raise NetworkError(f"building testnet failed:\n{result.stderr}")
    return BINARY


def build_libuplinkc() -> None:
    """Builds libuplinkc into uplink_python/ (the script does nothing when it is up to date)."""
    result = subprocess.run(["bash", str(ROOT / "build_libuplink.sh")], capture_output=True, text=True)
    if result.returncode != 0:
        raise NetworkError(f"build_libuplink.sh failed:\n{result.stdout}\n{result.stderr}")


class LocalNetwork:
    """One running local network: its process, its data directory and what it wrote about itself."""

    def __init__(self, data_dir: Path, nodes: int = 5, passphrase: str = "testnet") -> None:
        self.data_dir = Path(data_dir)
        self.nodes = nodes
        self.passphrase = passphrase
        self.config_path = self.data_dir / "testnet.json"
        self.log_path = self.data_dir / "testnet.log"
        self.process: Optional[subprocess.Popen[bytes]] = None
        self.config: dict[str, Any] = {}

    def start(self, timeout: float = START_TIMEOUT_SECONDS) -> "LocalNetwork":
        """Starts the network and waits for its JSON file; raises NetworkError with its log if it can't."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.config_path.unlink(missing_ok=True)
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [str(BINARY), "--data-dir", str(self.data_dir), "--config-out", str(self.config_path),
             "--nodes", str(self.nodes), "--passphrase", self.passphrase],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + timeout
        while not self.config_path.exists():
            if self.process.poll() is not None:
                raise NetworkError(f"testnet exited with {self.process.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                self.stop()
                raise NetworkError(f"testnet did not start within {timeout:.0f} s:\n{self.log()}")
            time.sleep(0.05)
        self.config = json.loads(self.config_path.read_text())
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    def stop(self) -> None:
        """Stops the network (SIGTERM, then SIGKILL after 15 s)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def control(self, method: str, path: str, body: Optional[dict[str, Any]] = None) -> dict[str, Any]:
        """Calls the network's control API and returns its JSON answer."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.config["control_url"] + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise NetworkError(f"{method} {path}: {error.code} {error.read().decode(errors='replace')}") from error

    def new_project(self, storage_limit: int = 0, bandwidth_limit: int = 0, segment_limit: int = 0,
                    bucket_limit: Optional[int] = None, rate_limit: Optional[int] = None,
                    burst_limit: Optional[int] = None) -> dict[str, Any]:
        """A fresh project: {"api_key": ..., "access_grant": ...}. Bucket, rate and burst limits left None
        are production's defaults (100 buckets, 100 requests a second); 0 is no limit."""
        body: dict[str, Any] = {"storage_limit": storage_limit, "bandwidth_limit": bandwidth_limit,
                                "segment_limit": segment_limit}
        for name, value in (("bucket_limit", bucket_limit), ("rate_limit", rate_limit), ("burst_limit", burst_limit)):
            if value is not None:
                body[name] = value
        return self.control("POST", "/projects", body)

    @property
    def satellite_url(self) -> str:
        return str(self.config["satellite_url"])

    def environment(self) -> dict[str, str]:
        """The STORJ_* variables examples/hello_storj.py reads."""
        return {"STORJ_SATELLITE": self.satellite_url, "STORJ_API_KEY": str(self.config["api_key"]),
                "STORJ_ENCRYPTION_PASSPHRASE": self.passphrase}


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
