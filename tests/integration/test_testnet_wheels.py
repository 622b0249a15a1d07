"""The user's path: wheels from tools/build_wheels.sh, a fresh venv with no Go, a user's test file.

tools/build_wheels.sh builds the wheels of this machine's architecture once (Go's build cache and
build_libuplink.sh's stamp keep a rebuild short). A venv outside the repository, with only its own bin/
on PATH (no go, no gcc), gets `pip install --find-links OUT 'uplink_python[testnet]'` (pytest from the
package index or pip's cache). Then testnet_user_suite.py, as a user's test_storj_user.py in a folder of
its own, with the documentation's plugin example beside it, passes against the network the plugin
starts, and again with --storj-access pointed at a second network (started with the installed
`python -m uplink_python.testnet --detach`), where the tests that need the local network skip with the
plugin's reason.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import uplink_python

from ..doc_examples import all_blocks

ROOT = Path(__file__).resolve().parents[2]
VERSION = uplink_python.__version__
ARCH = platform.machine()
TAG = f"py3-none-manylinux_2_17_{ARCH}.manylinux2014_{ARCH}"
ELF_MACHINES = {"x86_64": 62, "aarch64": 183}
STEP_TIMEOUT_SECONDS = 900


def _run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=STEP_TIMEOUT_SECONDS, **kwargs)
    print(f"{time.monotonic() - started:6.1f} s: {' '.join(command[:4])} ...")
    return result


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tools/build_wheels.sh OUT ARCH for this machine's architecture."""
    out = tmp_path_factory.mktemp("wheels")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("UPLINK_PYTHON_")}
    built = _run(["bash", str(ROOT / "tools" / "build_wheels.sh"), str(out), ARCH], env=environment)
    assert built.returncode == 0, built.stdout + built.stderr
    assert sorted(p.name for p in out.iterdir()) == [f"uplink_python-{VERSION}-{TAG}.whl",
                                                     f"uplink_python_testnet-{VERSION}-{TAG}.whl"]
    return out


def _user_environment(venv: Path) -> dict[str, str]:
    """Only the venv's bin/ on PATH; nothing naming the repository, a network, Go or a C compiler."""
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("STORJ_", "UPLINK_PYTHON_", "PYTHON", "GO", "CC", "ZIG", "LIBUPLINKC_",
                                        "PYTEST_", "VIRTUAL_ENV"))}
    environment["PATH"] = str(venv / "bin")
    environment["COLUMNS"] = "250"  # pytest's summary lines whole
    return environment


@pytest.fixture(scope="module")
def venv(wheels: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv outside the repository with uplink_python[testnet] from the wheels, and pytest."""
    venv = tmp_path_factory.mktemp("user") / "venv"
    created = _run([sys.executable, "-m", "venv", str(venv)])
    assert created.returncode == 0, created.stderr
    environment = _user_environment(venv)
    assert shutil.which("go", path=environment["PATH"]) is None
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    # pytest from the index (or pip's cache); uplink_python only from the wheels just built.
    tools = _run([*pip, "pytest"], env=environment)
    assert tools.returncode == 0, tools.stdout + tools.stderr
    installed = _run([*pip, "--no-index", "--find-links", str(wheels), "uplink_python[testnet]"], env=environment)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return venv


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    """A user's project outside the repository: testnet_user_suite.py and the documentation's plugin example."""
    shutil.copy(Path(__file__).with_name("testnet_user_suite.py"), tmp_path / "test_storj_user.py")
    examples = [block for block in all_blocks() if block.path == "README.md" and block.mode == "pytest"]
    assert len(examples) == 1, [block.name for block in examples]
    (tmp_path / "test_documented_example.py").write_text(examples[0].code)
    return tmp_path


def _pytest(venv: Path, user_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _run([str(venv / "bin" / "python"), "-m", "pytest", "-v", "-rs", "-p", "no:cacheprovider",
                 "test_storj_user.py", "test_documented_example.py", *args], cwd=user_dir, env=_user_environment(venv))


def test_the_network_wheel_carries_a_static_executable_and_the_plugin(wheels: Path) -> None:
    with zipfile.ZipFile(wheels / f"uplink_python_testnet-{VERSION}-{TAG}.whl") as archive:
        info = f"uplink_python_testnet-{VERSION}.dist-info"
        names = set(archive.namelist())
        assert {"uplink_python_testnet/__init__.py", "uplink_python_testnet/py.typed",
                "uplink_python_testnet/testnet", "uplink_python_testnet/testnet-LICENSES.txt"} <= names
        assert not [n for n in names if n.startswith("uplink_python/")], "the package itself is the other wheel's"
        assert "[pytest11]\nstorj = uplink_python.testnet.plugin" in archive.read(f"{info}/entry_points.txt").decode()
        assert f"Requires-Dist: uplink_python=={VERSION}" in archive.read(f"{info}/METADATA").decode()
        executable = archive.getinfo("uplink_python_testnet/testnet")
        assert (executable.external_attr >> 16) & 0o111, "the executable lost its x bits"
        binary = archive.read(executable)
        licences = archive.read("uplink_python_testnet/testnet-LICENSES.txt").decode()
    assert binary[:4] == b"\x7fELF" and int.from_bytes(binary[18:20], "little") == ELF_MACHINES[ARCH]
    assert b"/lib64/ld-linux" not in binary and b"/lib/ld-linux" not in binary, "not static: it names a loader"
    assert "the local Storj network, this project" in licences and "Go go1." in licences
    with zipfile.ZipFile(wheels / f"uplink_python-{VERSION}-{TAG}.whl") as archive:
        metadata = archive.read(f"uplink_python-{VERSION}.dist-info/METADATA").decode()
    assert "Provides-Extra: testnet" in metadata
    assert re.search(rf'^Requires-Dist: uplink_python_testnet=={re.escape(VERSION)}; extra == "testnet"$',
                     metadata, re.M), metadata


def test_a_users_tests_pass_on_the_plugins_network_then_against_another_satellite(
        venv: Path, user_dir: Path, tmp_path: Path) -> None:
    python = str(venv / "bin" / "python")
    located = _run([python, "-c", "from uplink_python.testnet import locate_binary; print(locate_binary())"],
                   cwd=user_dir, env=_user_environment(venv))
    assert located.returncode == 0, located.stderr
    assert Path(located.stdout.strip()).is_relative_to(venv), "the network is not the wheel's"

    local = _pytest(venv, user_dir)
    assert local.returncode == 0, local.stdout + local.stderr
    assert re.search(rf"^plugins: .*uplink_python_testnet-{re.escape(VERSION)}", local.stdout, re.M), local.stdout
    assert re.search(r"^=+ 7 passed in ", local.stdout, re.M), local.stdout
    assert "storj: a local network started for the session (5 nodes)\n" in local.stdout

    # A second network stands in for a real satellite: its access is all the plugin is given.
    data_dir = tmp_path / "second-network"
    detached = _run([python, "-m", "uplink_python.testnet", "--detach", "--data-dir", str(data_dir), "--nodes", "2"],
                    cwd=user_dir, env=_user_environment(venv))
    assert detached.returncode == 0, detached.stderr
    try:
        grant = json.loads((data_dir / "testnet.json").read_text())["access_grant"]
        remote = _pytest(venv, user_dir, f"--storj-access={grant}")
        # The same network as a local one: $STORJ_TESTNET_JSON (the --detach export) instead of starting one.
        variables = dict(shlex.split(line)[1].split("=", 1) for line in detached.stdout.splitlines())
        attached = _run([python, "-m", "pytest", "-p", "no:cacheprovider", "test_storj_user.py"], cwd=user_dir,
                        env={**_user_environment(venv), "STORJ_TESTNET_JSON": variables["STORJ_TESTNET_JSON"]})
    finally:
        stopped = _run([python, "-m", "uplink_python.testnet", "stop", "--data-dir", str(data_dir)],
                       env=_user_environment(venv))
    assert stopped.returncode == 0, stopped.stderr
    assert remote.returncode == 0, remote.stdout + remote.stderr
    assert re.search(r"^=+ 3 passed, 4 skipped in ", remote.stdout, re.M), remote.stdout
    assert "storj: the satellite of --storj-access; the local network's helpers skip\n" in remote.stdout
    for helper in ("storj_network.stop_node", "storj_network.new_project"):
        assert re.search(rf"^SKIPPED \[\d\] [^ ]+: {re.escape(helper)} needs the local Storj "
                         r"network: these tests run against the satellite of --storj-access", remote.stdout, re.M), \
            remote.stdout
    assert grant not in remote.stdout + remote.stderr, "the access grant was printed"
    assert attached.returncode == 0 and re.search(r"^=+ 5 passed in ", attached.stdout, re.M), attached.stdout
    assert f"storj: the running local network of {variables['STORJ_TESTNET_JSON']}\n" in attached.stdout
