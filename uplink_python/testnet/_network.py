"""Finding, starting, controlling and stopping the local Storj network.

The network is one executable (built from testnet/ in this repository): it writes a JSON file with its
addresses and keys once everything serves, answers a small HTTP control API (fresh projects, stopping and
starting nodes or the satellite, garbage collection) and stops on SIGTERM or when its parent process dies.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Optional, TypedDict, Union

__all__ = [
    "BINARY_ENV", "DEFAULT_NODES", "DEFAULT_PASSPHRASE", "Network", "NetworkError", "ProjectCredentials",
    "locate_binary",
]

DEFAULT_NODES = 5
"""Storage nodes a network starts with (its redundancy needs 4 to upload; 5 lets one be down)."""
DEFAULT_PASSPHRASE = "testnet"
"""The encryption passphrase of the access grants the network hands out."""
BINARY_ENV = "UPLINK_PYTHON_TESTNET_BINARY"
"""Names an executable to run instead of the installed or checkout-built one."""
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 15.0
CONTROL_TIMEOUT_SECONDS = 90.0  # the network bounds one control request (GC dials every node) to a minute

# A checkout holds the Go sources beside the package; an installed package has the binary's distribution.
_CHECKOUT = Path(__file__).resolve().parents[2]
_WHEEL_PACKAGE = "uplink_python_testnet"
_LIMITS = ("storage_limit", "bandwidth_limit", "segment_limit", "bucket_limit", "rate_limit", "burst_limit")

PathLike = Union[str, "os.PathLike[str]"]


class NetworkError(RuntimeError):
    """The local network could not be found, built, started or controlled."""


class ProjectCredentials(TypedDict):
    """A fresh project of the network: its API key and an access grant with the network's passphrase."""

    api_key: str
    access_grant: str


def _is_checkout() -> bool:
    return (_CHECKOUT / "testnet" / "go.mod").is_file() and (_CHECKOUT / "tools" / "build_testnet.sh").is_file()


@functools.lru_cache(maxsize=None)
def _build_in_checkout() -> Path:
    """Builds testnet/ once per process into the checkout's .build/ (Go's cache keeps a rebuild quick)."""
    out = _CHECKOUT / ".build" / "testnet-host"
    result = subprocess.run(["bash", str(_CHECKOUT / "tools" / "build_testnet.sh"), str(out)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise NetworkError(f"building the local network from {_CHECKOUT / 'testnet'} failed:\n{result.stderr}")
    return out / "testnet"


def locate_binary() -> Path:
    """The network's executable: $UPLINK_PYTHON_TESTNET_BINARY; in a checkout with Go, built from testnet/;
    else the one the ``uplink_python_testnet`` distribution (``pip install 'uplink_python[testnet]'``) ships."""
    named = os.environ.get(BINARY_ENV)
    if named:
        if not (os.path.isfile(named) and os.access(named, os.X_OK)):
            raise NetworkError(f"{BINARY_ENV}={named} is not an executable file")
        return Path(named)
    if _is_checkout() and shutil.which("go") is not None:
        return _build_in_checkout()
    try:
        shipped = Path(importlib.import_module(_WHEEL_PACKAGE).BINARY)
    except ImportError:
        raise NetworkError("the local Storj network is not installed: pip install 'uplink_python[testnet]' "
                           "(in a checkout of uplink_python, installing Go builds it from testnet/)") from None
    if not os.access(shipped, os.X_OK):
        raise NetworkError(f"{shipped} (from {_WHEEL_PACKAGE}) is not executable; reinstall it")
    return shipped


def _limit(name: str, value: Optional[int]) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")
    return value


class Network:
    """One local network: its data directory, its process (when this object started it) and its JSON file.

    ``Network(dir).start()`` runs the executable from [`locate_binary`][uplink_python.testnet.locate_binary];
    state in ``dir`` (keys, objects, ports) is kept across runs.
    [`from_config`][uplink_python.testnet.Network.from_config] attaches to a network something else started.
    """

    def __init__(self, data_dir: PathLike, *, nodes: int = DEFAULT_NODES, passphrase: str = DEFAULT_PASSPHRASE,
                 config_path: Optional[PathLike] = None, binary: Optional[PathLike] = None) -> None:
        if isinstance(nodes, bool) or not isinstance(nodes, int) or nodes < 1:
            raise ValueError(f"nodes must be a positive int, got {nodes!r}")
        if not passphrase:
            raise ValueError("passphrase must not be empty")
        self.data_dir = Path(data_dir).resolve()
        self.nodes = nodes
        self.passphrase = passphrase
        self.config_path = Path(config_path).resolve() if config_path is not None else self.data_dir / "testnet.json"
        self.log_path = self.data_dir / "testnet.log"
        self.binary = Path(binary) if binary is not None else None
        self.process: Optional[subprocess.Popen[bytes]] = None
        self.config: dict[str, Any] = {}

    @classmethod
    def from_config(cls, config_path: PathLike) -> "Network":
        """The running network whose JSON file is ``config_path``.

        Its [`stop`][uplink_python.testnet.Network.stop] leaves that network running.
        """
        path = Path(config_path)
        try:
            config = json.loads(path.read_text())
            network = cls(config["data_dir"], nodes=len(config["nodes"]), passphrase=config["passphrase"],
                          config_path=path)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise NetworkError(f"{path} is not the JSON file of a running local network: {error}") from None
        network.config = config
        return network

    def start(self, timeout: float = START_TIMEOUT_SECONDS) -> "Network":
        """Starts the network and waits for its JSON file; raises NetworkError with its log if it can't."""
        if self.running:
            raise NetworkError(f"the network of {self.data_dir} is already running")
        binary = self.binary if self.binary is not None else locate_binary()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.config_path.unlink(missing_ok=True)
        # Only standard error goes to the log, which error messages quote: standard output is the
        # `export` lines with the API key and access grant, and the JSON file has them already.
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(binary), "--data-dir", str(self.data_dir), "--config-out", str(self.config_path),
                 "--nodes", str(self.nodes), "--passphrase", self.passphrase],
                stdout=subprocess.DEVNULL, stderr=log, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while not self.config_path.exists():
            if self.process.poll() is not None:
                raise NetworkError(f"the local network exited with status {self.process.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                self.stop()
                raise NetworkError(f"the local network did not start within {timeout:.0f} s:\n{self.log()}")
            time.sleep(0.05)
        self.config = json.loads(self.config_path.read_text())
        return self

    @property
    def running(self) -> bool:
        """Whether this object started the network and its process still runs."""
        return self.process is not None and self.process.poll() is None

    def wait(self) -> int:
        """Waits for the network this object started to exit; returns its exit status."""
        if self.process is None:
            raise NetworkError("this network was not started by this object")
        return self.process.wait()

    def stop(self, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
        """Stops the network this object started (SIGTERM, SIGKILL after ``timeout``); attached ones keep running."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.config_path.unlink(missing_ok=True)  # a killed network could not remove it itself

    def __enter__(self) -> "Network":
        return self if self.running else self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def log(self) -> str:
        """The end of the network's log."""
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    def _field(self, name: str) -> str:
        if not self.config:
            raise NetworkError("the network has not been started (no JSON file read yet)")
        return str(self.config[name])

    @property
    def satellite_url(self) -> str:
        """The satellite's node URL (``nodeid@127.0.0.1:port``)."""
        return self._field("satellite_url")

    @property
    def api_key(self) -> str:
        """The API key of the network's own project (which has no rate limits)."""
        return self._field("api_key")

    @property
    def access_grant(self) -> str:
        """A serialized access to the network's own project, with the network's passphrase."""
        return self._field("access_grant")

    @property
    def control_url(self) -> str:
        """The base URL of the control API."""
        return self._field("control_url")

    def environment(self) -> dict[str, str]:
        """The STORJ_* variables of the network's own project (the examples read them)."""
        return {"STORJ_SATELLITE": self.satellite_url, "STORJ_API_KEY": self.api_key,
                "STORJ_PASSPHRASE": self.passphrase, "STORJ_ENCRYPTION_PASSPHRASE": self.passphrase,
                "STORJ_ACCESS": self.access_grant, "STORJ_TESTNET_JSON": str(self.config_path)}

    def export_lines(self) -> str:
        """[`environment`][uplink_python.testnet.Network.environment] as POSIX shell ``export`` lines."""
        return "".join(f"export {name}={shlex.quote(value)}\n" for name, value in self.environment().items())

    def control(self, method: str, path: str, body: Optional[dict[str, Any]] = None) -> dict[str, Any]:
        """Calls the network's control API and returns its JSON answer; its errors raise NetworkError."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.control_url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=CONTROL_TIMEOUT_SECONDS) as response:
                answer: dict[str, Any] = json.loads(response.read() or b"{}")
                return answer
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace")
            try:
                text = str(json.loads(text)["error"])
            except (ValueError, KeyError, TypeError):
                pass
            raise NetworkError(f"{method} {path}: {error.code} {text}") from None
        except OSError as error:
            raise NetworkError(f"{method} {path}: the network's control API at {self.control_url} does not "
                               f"answer: {error}") from None

    def new_project(self, *, storage_limit: Optional[int] = None, bandwidth_limit: Optional[int] = None,
                    segment_limit: Optional[int] = None, bucket_limit: Optional[int] = None,
                    rate_limit: Optional[int] = None, burst_limit: Optional[int] = None) -> ProjectCredentials:
        """A fresh project with production's default limits; a limit given replaces its default.

        Storage and bandwidth are bytes, segments and buckets counts, the rate requests per second and the
        burst requests at once. None keeps the default: no storage, bandwidth or segment limit; 100
        buckets, 100 requests a second, a burst of the rate. 0 is no limit. Only the limits given are sent,
        so a network older than one of them still answers the others.
        """
        given = dict(storage_limit=storage_limit, bandwidth_limit=bandwidth_limit, segment_limit=segment_limit,
                     bucket_limit=bucket_limit, rate_limit=rate_limit, burst_limit=burst_limit)
        body = {name: value for name in _LIMITS if (value := _limit(name, given[name])) is not None}
        answer = self.control("POST", "/projects", body)
        return ProjectCredentials(api_key=str(answer["api_key"]), access_grant=str(answer["access_grant"]))

    def _node(self, index: int) -> int:
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"a node index is an int, not {type(index).__name__}")
        return index

    def stop_node(self, index: int) -> None:
        """Stops storage node ``index`` (0 .. nodes-1); its data stays."""
        self.control("POST", f"/nodes/{self._node(index)}/stop")

    def start_node(self, index: int) -> None:
        """Starts storage node ``index`` again, on the same port."""
        self.control("POST", f"/nodes/{self._node(index)}/start")

    def stop_satellite(self) -> None:
        """Stops the satellite; clients then get connection errors."""
        self.control("POST", "/satellite/stop")

    def start_satellite(self) -> None:
        """Starts the satellite again, on the same port and with the same state."""
        self.control("POST", "/satellite/start")

    def collect_garbage(self) -> None:
        """Runs garbage collection now: nodes delete pieces of deleted objects."""
        self.control("POST", "/gc")
