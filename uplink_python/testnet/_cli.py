"""``python -m uplink_python.testnet``: the local network from a shell.

    python -m uplink_python.testnet [start] [--data-dir DIR] [--nodes N] [--passphrase P] [--json FILE] [--detach]
    python -m uplink_python.testnet stop --data-dir DIR

``start`` (the default) runs the network in the foreground until Ctrl-C or SIGTERM. The ``export STORJ_...``
lines go to standard output (``eval "$(python -m uplink_python.testnet --detach --data-dir d)"`` sets them),
everything else to standard error. Without ``--data-dir`` the state lives in a temporary directory removed at
the end; with it, keys, objects and ports are kept across runs. ``--detach`` returns once the network serves,
leaving it running in the background (its pid in DIR/testnet.pid, its JSON file as in the foreground) until
``stop --data-dir DIR``. A foreground run with ``--data-dir`` can be stopped the same way.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType
from typing import Optional

from ._network import DEFAULT_NODES, DEFAULT_PASSPHRASE, Network, NetworkError

__all__ = ["main"]

PID_FILE = "testnet.pid"
DETACH_LOG = "testnet-command.log"
STOP_TIMEOUT_SECONDS = 30.0
# What a process started by this command has in its command line (checked before a signal is sent).
_MODULE = "uplink_python.testnet"


class _Stop(Exception):
    """SIGTERM arrived: leave the foreground wait and stop the network."""


def _on_sigterm(_signum: int, _frame: Optional[FrameType]) -> None:
    raise _Stop()


def _start_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"python -m {_MODULE}", description="Runs a local Storj network "
                                     "(a satellite, storage nodes and an auth service on 127.0.0.1).")
    parser.add_argument("command", nargs="?", choices=["start"], default="start", help="(the default)")
    parser.add_argument("--data-dir", type=Path, help="state kept across runs (default: a temporary directory)")
    parser.add_argument("--nodes", type=int, default=DEFAULT_NODES, help=f"storage nodes (default {DEFAULT_NODES})")
    parser.add_argument("--passphrase", default=DEFAULT_PASSPHRASE,
                        help=f"passphrase of the access grants handed out (default {DEFAULT_PASSPHRASE!r})")
    parser.add_argument("--json", type=Path, help="where the JSON file goes (default DATA_DIR/testnet.json)")
    parser.add_argument("--detach", action="store_true", help="run in the background (needs --data-dir)")
    return parser


def _stop_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"python -m {_MODULE} stop",
                                     description="Stops the network running from a data directory.")
    parser.add_argument("--data-dir", type=Path, required=True)
    return parser


def _say(text: str) -> None:
    print(f"testnet: {text}", file=sys.stderr, flush=True)


def _foreground(network: Network, pid_file: Optional[Path]) -> int:
    if pid_file is not None and (running := _running_pid(pid_file)) is not None:
        _say(f"a network already runs from {network.data_dir} (pid {running}); stop it first")
        return 1
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    wrote_pid = False
    try:
        network.start()
        if pid_file is not None:
            partial = pid_file.with_name(pid_file.name + ".tmp")
            partial.write_text(f"{os.getpid()}\n")
            os.replace(partial, pid_file)  # whole or absent: `stop` and --detach read it
            wrote_pid = True
        print(network.export_lines(), end="", flush=True)
        _say(f"ready: satellite {network.satellite_url}, {network.nodes} nodes, JSON {network.config_path}, "
             f"control API {network.control_url}; Ctrl-C stops it")
        status = network.wait()
        _say(f"the network exited with status {status}:\n{network.log()}")
        return 1
    except (KeyboardInterrupt, _Stop):
        network.stop()
        _say("stopped")
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        network.stop()
        if pid_file is not None and wrote_pid:
            pid_file.unlink(missing_ok=True)


def _detach(args: argparse.Namespace, data_dir: Path) -> int:
    """Starts this command in the foreground in a session of its own and returns once the network serves.

    The foreground command stays the network's parent: the network stops when its parent dies, so a
    supervisor that is killed never leaves an orphaned network behind.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    pid_file = data_dir / PID_FILE
    running = _running_pid(pid_file)
    if running is not None:
        _say(f"a network already runs from {data_dir} (pid {running}); stop it first")
        return 1
    pid_file.unlink(missing_ok=True)
    command = [sys.executable, "-m", _MODULE, "start", "--data-dir", str(data_dir), "--nodes", str(args.nodes),
               "--passphrase", args.passphrase]
    if args.json is not None:
        command += ["--json", str(args.json.resolve())]
    with open(data_dir / DETACH_LOG, "ab") as log:
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                                 start_new_session=True, close_fds=True)
    network = Network(data_dir, nodes=args.nodes, passphrase=args.passphrase, config_path=args.json)
    while not pid_file.exists():
        if child.poll() is not None:
            _say(f"the network did not start (status {child.returncode}):\n" + _tail(data_dir / DETACH_LOG))
            return 1
        time.sleep(0.05)
    attached = Network.from_config(network.config_path)
    print(attached.export_lines(), end="", flush=True)
    _say(f"running in the background: pid {child.pid} ({pid_file}), JSON {attached.config_path}; "
         f"`python -m {_MODULE} stop --data-dir {data_dir}` stops it")
    return 0


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-4000:] if path.exists() else ""


def _process_state(pid: int) -> Optional[str]:
    """The /proc state letter of a live process of this command; None if there is none (or only a zombie)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    state = stat.rsplit(")", 1)[-1].split()[0]
    if state == "Z" or _MODULE.encode() not in cmdline:
        return None
    return state


def _running_pid(pid_file: Path) -> Optional[int]:
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _process_state(pid) is not None else None


def _stop(data_dir: Path) -> int:
    pid_file = data_dir / PID_FILE
    pid = _running_pid(pid_file)
    if pid is None:
        stale = pid_file.exists()
        pid_file.unlink(missing_ok=True)
        _say(f"no network is running from {data_dir}" + (" (removed a stale pid file)" if stale else ""))
        return 1
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    while _process_state(pid) is not None:
        if time.monotonic() > deadline:
            _say(f"pid {pid} did not stop within {STOP_TIMEOUT_SECONDS:.0f} s of SIGTERM")
            return 1
        time.sleep(0.05)
    _say(f"stopped the network of {data_dir} (pid {pid})")
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    """Runs the command with ``argv`` (default: the process's arguments); returns the exit status."""
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["stop"]:
        return _stop(_stop_parser().parse_args(arguments[1:]).data_dir.resolve())
    parser = _start_parser()
    args = parser.parse_args(arguments)
    if args.nodes < 1:
        parser.error(f"--nodes must be at least 1, got {args.nodes}")
    if args.detach and args.data_dir is None:
        parser.error("--detach needs --data-dir (the directory `stop --data-dir` is given later)")
    try:
        if args.detach:
            return _detach(args, args.data_dir.resolve())
        if args.data_dir is not None:
            data_dir = args.data_dir.resolve()
            network = Network(data_dir, nodes=args.nodes, passphrase=args.passphrase, config_path=args.json)
            return _foreground(network, data_dir / PID_FILE)
        with tempfile.TemporaryDirectory(prefix="uplink-python-testnet-") as temporary:
            network = Network(temporary, nodes=args.nodes, passphrase=args.passphrase, config_path=args.json)
            return _foreground(network, None)
    except NetworkError as error:
        _say(str(error))
        return 1
