"""Packaging: `pip wheel .` gives a py3-none-manylinux wheel that carries libuplinkc, its headers and the
licence texts of what it links; it installs into fresh virtual environments of every Python 3.9-3.13 found
here, with no Go and no C compiler on PATH, and from outside the repository the package loads its bundled
library and runs examples/hello_storj.py against a local Storj network. The sdist carries the Go sources
and builds the same library where Go is; where Go is not, installing it stops with one line.

Slow (about a minute and a half): the library build itself is cached by build_libuplink.sh's stamp.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path
from typing import Iterator

import pytest

import uplink_python

from ..localnet import LocalNetwork, build_testnet
from .pythons import interpreters

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import libuplinkc_build  # noqa: E402

NEWEST = (3, 13)  # the newest Python the wheel is tagged and tested for
PACKAGE_FILES = {"libuplinkc.so", "libuplinkc.h", "uplink_definitions.h", "uplink_python_ext.h",
                 "libuplinkc-LICENSES.txt", "py.typed", "__init__.py", "_c/native.py", "uplink.py", "edge.py", "fs.py",
                 "aio/__init__.py"}


INTERPRETERS = interpreters(NEWEST)


def _without_go_environment(bin_dir: Path) -> dict[str, str]:
    """PATH is only the venv's bin: no go, no gcc, no zig; nothing points at the repository or a library."""
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("STORJ_", "UPLINK_PYTHON_", "PYTHON", "GO", "CC", "ZIG", "LIBUPLINKC_"))}
    environment["PATH"] = str(bin_dir)
    return environment


def _pip(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                          capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`pip wheel .` of this checkout for this machine (build_libuplink.sh: a no-op when up to date)."""
    out = tmp_path_factory.mktemp("wheel")
    environment = {k: v for k, v in os.environ.items() if k != libuplinkc_build.TARGET_ENV}
    started = time.monotonic()
    build = _pip("wheel", "--no-deps", "-w", str(out), str(ROOT), env=environment, timeout=900)
    assert build.returncode == 0, build.stdout + build.stderr
    wheels = list(out.glob("*.whl"))
    assert len(wheels) == 1, wheels
    print(f"built {wheels[0].name}: {wheels[0].stat().st_size} bytes in {time.monotonic() - started:.1f} s")
    return wheels[0]


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNetwork]:
    build_testnet()
    local = LocalNetwork(tmp_path_factory.mktemp("testnet")).start()
    yield local
    local.stop()


def test_wheel_name_tags_and_contents(wheel: Path):
    match = re.fullmatch(r"uplink_python-(.+)-py3-none-(manylinux_2_(\d+)_x86_64(?:\.manylinux2014_x86_64)?)\.whl",
                         wheel.name)
    assert match, wheel.name
    assert match.group(1) == uplink_python.__version__
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        dist_info = f"uplink_python-{uplink_python.__version__}.dist-info"
        assert {f"uplink_python/{name}" for name in PACKAGE_FILES} <= names
        assert f"{dist_info}/licenses/LICENSE" in names or f"{dist_info}/LICENSE" in names
        assert not any(".data/" in name for name in names), "everything belongs in platlib, at the root"
        wheel_file = archive.read(f"{dist_info}/WHEEL").decode()
        assert "Root-Is-Purelib: false" in wheel_file
        assert f"Tag: py3-none-manylinux_2_{match.group(3)}_x86_64" in wheel_file
        metadata = archive.read(f"{dist_info}/METADATA").decode()
        assert "Requires-Python: >=3.9" in metadata
        assert not re.search(r"^Requires-Dist: (?!.*extra ==)", metadata, re.M), "no unconditional requirement"
        assert 'Requires-Dist: fsspec; extra == "fsspec"' in metadata
        assert "sj = uplink_python.fs:StorjFileSystem" in archive.read(f"{dist_info}/entry_points.txt").decode()
        library = archive.read("uplink_python/libuplinkc.so")
        licences = archive.read("uplink_python/libuplinkc-LICENSES.txt").decode()
    # The tag is the one the library's glibc symbol versions allow, as readelf sees them.
    needed = re.findall(rb"GLIBC_2\.(\d+)", library)
    newest = max(int(minor) for minor in needed)
    assert int(match.group(3)) == max(newest, 17)
    # Every Go module linked into the library has its licence text in the wheel.
    for module in ("storj.io/uplink v1.14.0", "storj.io/common", "golang.org/x/crypto", "github.com/zeebo/errs"):
        assert re.search(rf"^{re.escape(module)}", licences, re.M), module
    assert "Go go1." in licences and "MIT License" in licences


def test_platform_tag_matches_readelf():
    library = ROOT / "uplink_python" / "libuplinkc.so"
    listing = subprocess.run(["readelf", "-V", str(library)], capture_output=True, text=True, check=True).stdout
    newest = max(int(minor) for minor in re.findall(r"Name: GLIBC_2\.(\d+)", listing))
    assert libuplinkc_build.platform_tag(library).split(".")[0] == f"manylinux_2_{max(newest, 17)}_x86_64"


PROBE = r"""
import os, sys, sysconfig
import uplink_python
from uplink_python import edge
from uplink_python._c import native as _native
from uplink_python.errors import StorjException
from uplink_python.uplink import Uplink

site = sysconfig.get_paths()["platlib"]
assert uplink_python.__file__.startswith(site), (uplink_python.__file__, site)
assert uplink_python.__version__ == sys.argv[1], uplink_python.__version__
assert _native.library_version() == uplink_python.__version__, _native.library_version()
assert str(_native._library_path).startswith(site), _native._library_path
url = edge.join_share_url("https://link.example.test", "jx3tgoqnhhrpqoywfaozbtxqgbbq", "photos", "cat.jpg")
assert url == "https://link.example.test/s/jx3tgoqnhhrpqoywfaozbtxqgbbq/photos/cat.jpg", url
try:
    Uplink().parse_access("not an access grant")
except StorjException as error:
    print("typed error:", type(error).__name__)
else:
    raise SystemExit("parse_access of garbage did not raise")
print("ok", sys.version.split()[0])
"""


@pytest.mark.parametrize("version", sorted(INTERPRETERS))
def test_wheel_installs_without_go_and_runs_the_demo(version, wheel, network, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([INTERPRETERS[version], "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = _pip("--python", str(python), "install", "--no-index", "--no-deps", str(wheel), timeout=300)
    assert install.returncode == 0, install.stdout + install.stderr
    environment = _without_go_environment(venv / "bin")
    assert shutil.which("go", path=environment["PATH"]) is None and shutil.which("gcc", path=environment["PATH"]) is None
    outside = tmp_path / "elsewhere"  # not the repository: the import must find the installed package
    outside.mkdir()
    probe = subprocess.run([str(python), "-c", PROBE, uplink_python.__version__], capture_output=True, text=True,
                           env=environment, cwd=outside, timeout=120)
    assert probe.returncode == 0, probe.stdout + probe.stderr
    assert f"ok {version}." in probe.stdout
    # The demo flow (the documented API) against the local network, on a fresh project of its own.
    project = network.new_project()
    shutil.copy(ROOT / "examples" / "hello_storj.py", outside / "hello_storj.py")
    environment.update(network.environment(), STORJ_API_KEY=str(project["api_key"]))
    demo = subprocess.run([str(python), "hello_storj.py"], capture_output=True, text=True, env=environment,
                          cwd=outside, timeout=300)
    assert demo.returncode == 0, demo.stdout + demo.stderr


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sdist")
    build = subprocess.run(
        [sys.executable, "-c", "import sys, build_backend; print(build_backend.build_sdist(sys.argv[1]))", str(out)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "tools")}, capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stdout + build.stderr
    return out / build.stdout.strip().splitlines()[-1]


def test_sdist_carries_the_go_sources_and_no_library(sdist: Path):
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    go_sources = {path.name for path in (ROOT / "libuplinkc").glob("*.go")}
    assert {f"libuplinkc/{name}" for name in go_sources} <= names
    assert {"libuplinkc/go.mod", "libuplinkc/go.sum", "libuplinkc/uplink_definitions.h", "build_libuplink.sh",
            "tools/collect_licenses.py", "tools/libuplinkc_build.py", "tools/build_backend.py", "setup.py",
            "pyproject.toml", "LICENSE", "README.md", "uplink_python/py.typed"} <= names
    assert not any(name.endswith((".so", "libuplinkc.h", ".libuplinkc-version")) for name in names)


def test_sdist_without_go_stops_with_one_line(sdist: Path, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    install = _pip("--python", str(venv / "bin" / "python"), "install", "--no-deps", str(sdist),
                   env=_without_go_environment(venv / "bin"), timeout=600)
    assert install.returncode != 0
    output = install.stdout + install.stderr
    lines = [line.strip() for line in output.splitlines() if "uplink_python: " in line]
    assert len(lines) == 1, output
    assert "Go >= 1.25" in lines[0] and "`go` is not on PATH" in lines[0] and "wheel" in lines[0], lines[0]
    assert "[1 lines of output]" in output, output  # the backend printed nothing but the explanation


def test_sdist_builds_the_library_where_go_is(sdist: Path, tmp_path):
    """The same library from the sdist's Go sources (Go's build cache keeps this quick)."""
    environment = {k: v for k, v in os.environ.items() if k != libuplinkc_build.TARGET_ENV}
    build = _pip("wheel", "--no-deps", "-w", str(tmp_path), str(sdist), env=environment, timeout=900)
    assert build.returncode == 0, build.stdout + build.stderr
    (built,) = tmp_path.glob("*.whl")
    assert re.fullmatch(r"uplink_python-.+-py3-none-manylinux_2_\d+_x86_64(\.manylinux2014_x86_64)?\.whl", built.name)
    with zipfile.ZipFile(built) as archive:
        assert {"uplink_python/libuplinkc.so", "uplink_python/libuplinkc-LICENSES.txt"} <= set(archive.namelist())
