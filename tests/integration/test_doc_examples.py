"""Every Python example of the documentation runs against the local network (or says why it cannot).

Each runnable block of README.md and docs/**/*.md runs in a namespace of its own, in a fresh temporary
working directory, with a fresh project: the names of ``PRELUDE_NAMES`` are defined, and the STORJ_*
variables (STORJ_SATELLITE, STORJ_API_KEY, STORJ_ENCRYPTION_PASSPHRASE, STORJ_ACCESS) describe the same
project, and STORJ_AUTH_ADDRESS is the local auth service (plain text). A block with a top-level
``await`` runs in an event loop; a block marked ``run as a script`` runs as a program of its own, one
marked ``run with pytest`` as a test module (its plugin attached to the same network).
``sj://`` is registered with fsspec as an installed package registers it (its entry points), here and
in the processes the blocks start. The last test prints how many blocks ran and how many are marked
``not run`` (with their reasons), and fails unless every unmarked block ran and passed.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Iterator

import fsspec
import pytest

from uplink_python import Access, Project
from uplink_python._c import native as _native
from uplink_python.fs import StorjFileSystem

from ..doc_examples import PRELUDE_NAMES, ROOT, Block, all_blocks, run_block, run_script
from ..localnet import LocalNetwork

C_EXAMPLE = ROOT / "docs" / "examples" / "hello.c"
BLOCKS = all_blocks()
RUNNABLE = [block for block in BLOCKS if block.not_run_reason is None]
MARKED = [block for block in BLOCKS if block.not_run_reason is not None]
PASSED: list[str] = []


@pytest.fixture(scope="module")
def entry_points(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A directory whose dist-info declares the package's fsspec entry points (read from pyproject.toml),
    on sys.path: processes the blocks spawn (dask workers...) find ``sj://`` as after ``pip install``."""
    section = re.search(r'^\[project\.entry-points\."fsspec\.specs"\]\n(.*?)(?:^\[|\Z)',
                        (ROOT / "pyproject.toml").read_text(), re.M | re.S)
    assert section, "pyproject.toml declares no fsspec.specs entry points"
    specs = dict(re.findall(r'^(\w+)\s*=\s*"([^"]+)"', section[1], re.M))
    directory = tmp_path_factory.mktemp("entry_points")
    info = directory / "uplink_python_doc_examples-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: uplink_python_doc_examples\nVersion: 0\n")
    (info / "entry_points.txt").write_text("[fsspec.specs]\n" + "".join(f"{k} = {v}\n" for k, v in specs.items()))
    for protocol, target in specs.items():  # this process imported fsspec before the directory existed
        fsspec.register_implementation(protocol, target.replace(":", "."), clobber=True)
    yield directory


def close_file_systems() -> None:
    """fsspec caches the file systems a block opened: close them, so their handles are released."""
    for instance in list(StorjFileSystem._cache.values()):
        instance.close()
    StorjFileSystem.clear_instance_cache()


@pytest.mark.parametrize("block", RUNNABLE, ids=[block.name for block in RUNNABLE])
def test_doc_example(block: Block, network: LocalNetwork, credentials: dict[str, str], access: Access,
                     project: Project, bucket: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     entry_points: Path) -> None:
    serialized = access.serialize()
    prelude = {"satellite": network.satellite_url, "api_key": credentials["api_key"],
               "passphrase": network.passphrase, "serialized_access": serialized,
               "access": access, "project": project, "bucket": bucket}
    assert set(prelude) == set(PRELUDE_NAMES)
    for name, value in {"STORJ_SATELLITE": network.satellite_url, "STORJ_API_KEY": credentials["api_key"],
                        "STORJ_ENCRYPTION_PASSPHRASE": network.passphrase, "STORJ_ACCESS": serialized,
                        "STORJ_AUTH_ADDRESS": str(network.config["auth_address"])}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(entry_points))
    if block.mode != "exec":
        config = os.environ.get("UPLINK_PYTHON_TESTNET_CONFIG") or str(network.config_path)
        monkeypatch.setenv("STORJ_TESTNET_JSON", config)  # the plugin attaches to the same network
        run_script(block, tmp_path, dict(os.environ), [entry_points])
        PASSED.append(block.name)
        return
    namespace: dict[str, object] = {"__name__": "__doc_example__", **prelude}
    try:
        run_block(block, namespace)
    finally:
        namespace.clear()  # the block's own handles go before the fixtures check that none is left
        close_file_systems()
        gc.collect()
    PASSED.append(block.name)


def test_the_c_example_stores_an_object(access: Access, project: Project, tmp_path: Path) -> None:
    """docs/examples/hello.c (the C library guide includes it), compiled against the installed header."""
    folder = _native.PACKAGE_DIR
    program = tmp_path / "hello"
    subprocess.run([shutil.which("gcc") or "cc", "-Wall", "-Werror", "-o", str(program), str(C_EXAMPLE),
                    f"-I{folder}", f"-L{folder}", "-luplinkc", f"-Wl,-rpath,{folder}"], check=True)
    run = subprocess.run([str(program), access.serialize()], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stdout == "hello.txt: 12 bytes\n", run.stderr
    with project.download_object("from-c", "hello.txt") as download:
        assert download.read(100)[0] == b"hello from C"
    refused = subprocess.run([str(program), "not an access grant"], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and "parse access: error code" in refused.stderr


def test_doc_examples_summary(capsys: pytest.CaptureFixture[str]) -> None:
    """Prints the counts, and fails unless every unmarked block ran and passed in this session.

    It runs after the blocks' tests (pytest keeps a module's order); a run that selects only some blocks
    (``-k``) leaves it out by its name.
    """
    assert RUNNABLE, "no runnable Python block found in README.md and docs/"
    assert all(block.not_run_reason for block in MARKED), [b.name for b in MARKED if not b.not_run_reason]
    with capsys.disabled():
        print(f"\ndoc examples: {len(BLOCKS)} Python blocks: {len(PASSED)} of {len(RUNNABLE)} unmarked ran "
              f"and passed, {len(MARKED)} marked not run")
        for block in MARKED:
            print(f"  not run: {block.name}: {block.not_run_reason}")
    missing = [block.name for block in RUNNABLE if block.name not in PASSED]
    assert not missing, f"unmarked doc examples that did not run or failed: {missing}"
