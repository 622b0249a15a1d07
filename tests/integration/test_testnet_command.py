"""`python -m uplink_python.testnet`: the foreground run, --detach and stop, state kept across runs.

Each test runs networks of its own (two storage nodes: quicker to start) from this checkout, where the
command builds the network from testnet/ with Go; the wheel test (test_testnet_wheels.py) runs the same
command from an installed wheel.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

from uplink_python import Uplink

ROOT = Path(__file__).resolve().parents[2]
COMMAND_TIMEOUT_SECONDS = 180  # a first run builds the network from testnet/


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "uplink_python.testnet", *args], cwd=ROOT, env=environment(),
                          capture_output=True, text=True, timeout=COMMAND_TIMEOUT_SECONDS)


def environment() -> dict[str, str]:
    """This process's environment without the STORJ_* variables a developer's shell may have set."""
    return {name: value for name, value in os.environ.items() if not name.startswith("STORJ_")}


def exported(stdout: str) -> dict[str, str]:
    """The variables of the `export NAME=VALUE` lines, as a POSIX shell would set them."""
    variables = {}
    for line in stdout.splitlines():
        words = shlex.split(line)
        assert words[0] == "export" and len(words) == 2, line
        name, _, value = words[1].partition("=")
        variables[name] = value
    return variables


def alive(pid: int) -> bool:
    """Whether pid is a live process (a zombie is not: it has exited)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def upload(access_grant: str, bucket: str, key: str, data: bytes) -> None:
    with Uplink().parse_access(access_grant) as access, access.open_project() as project:
        project.ensure_bucket(bucket)
        with project.upload_object(bucket, key) as upload:
            upload.write(data)


def download(access_grant: str, bucket: str, key: str) -> bytes:
    with Uplink().parse_access(access_grant) as access, access.open_project() as project:
        with project.open(bucket, key, "rb") as file:
            return file.read()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_detach_and_stop_keep_the_state_of_the_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "net"
    json_file = data_dir / "testnet.json"
    pid_file = data_dir / "testnet.pid"
    data = os.urandom(1024 * 1024 + 5)  # remote segments: pieces on the nodes, kept in the data dir too

    first = run("--detach", "--data-dir", str(data_dir), "--nodes", "2")
    assert first.returncode == 0, first.stderr
    variables = exported(first.stdout)
    config = json.loads(json_file.read_text())
    supervisor, network = int(pid_file.read_text()), int(config["pid"])
    try:
        assert variables["STORJ_TESTNET_JSON"] == str(json_file)
        assert variables["STORJ_ACCESS"] == config["access_grant"]
        assert variables["STORJ_SATELLITE"] == config["satellite_url"]
        assert len(config["nodes"]) == 2
        assert alive(supervisor) and alive(network), "--detach returned without a running network"
        upload(variables["STORJ_ACCESS"], "kept", "object", data)
        for log in data_dir.glob("*.log"):  # error messages quote the logs: no key or grant in them
            text = log.read_text()
            assert config["api_key"] not in text and config["access_grant"] not in text, log.name

        again = run("--detach", "--data-dir", str(data_dir))
        assert again.returncode == 1
        assert f"already runs from {data_dir} (pid {supervisor})" in again.stderr
    finally:
        stopped = run("stop", "--data-dir", str(data_dir))
    assert stopped.returncode == 0, stopped.stderr
    assert f"stopped the network of {data_dir} (pid {supervisor})" in stopped.stderr
    assert not alive(supervisor) and not alive(network), "stop returned while the network still runs"
    assert not json_file.exists() and not pid_file.exists()

    second = run("--detach", "--data-dir", str(data_dir), "--nodes", "2")
    assert second.returncode == 0, second.stderr
    try:
        restarted = exported(second.stdout)
        assert restarted["STORJ_SATELLITE"] == variables["STORJ_SATELLITE"]  # same identity, same port
        assert sha256(download(restarted["STORJ_ACCESS"], "kept", "object")) == sha256(data)
    finally:
        assert run("stop", "--data-dir", str(data_dir)).returncode == 0

    nothing = run("stop", "--data-dir", str(data_dir))
    assert nothing.returncode == 1
    assert f"no network is running from {data_dir}" in nothing.stderr


def test_foreground_run_prints_the_exports_and_stops_on_sigterm(tmp_path: Path) -> None:
    json_file = tmp_path / "elsewhere" / "net.json"
    json_file.parent.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "uplink_python.testnet", "--nodes", "1", "--json",
                                str(json_file)], cwd=ROOT, env=environment(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    printed = []
    try:
        assert process.stdout is not None
        # The exports come once the network serves (the command gives up on its own after a minute).
        for line in process.stdout:
            printed.append(line)
            if line.startswith("export STORJ_TESTNET_JSON="):
                break
        assert json_file.exists(), "no JSON file from the foreground run"
        config = json.loads(json_file.read_text())
        data_dir = Path(config["data_dir"])  # without --data-dir: a temporary directory of its own
        assert data_dir.is_dir()
        upload(config["access_grant"], "foreground", "k", b"data")
    finally:
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    variables = exported("".join(printed) + stdout)
    assert variables["STORJ_ACCESS"] == config["access_grant"]
    assert variables["STORJ_TESTNET_JSON"] == str(json_file)
    assert not alive(int(config["pid"]))
    assert not json_file.exists() and not data_dir.exists()  # the temporary state went with it


def test_detach_needs_a_data_dir() -> None:
    result = run("--detach")
    assert result.returncode == 2
    assert "--detach needs --data-dir" in result.stderr
