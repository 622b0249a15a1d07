"""Every Python example of the documentation runs against the local network (or says why it cannot).

Each runnable block of README.md and docs/**/*.md runs in a namespace of its own, in a fresh temporary
working directory, with a fresh project: the names of ``PRELUDE_NAMES`` are defined, and the STORJ_*
variables (STORJ_SATELLITE, STORJ_API_KEY, STORJ_ENCRYPTION_PASSPHRASE, STORJ_ACCESS) describe the same
project, and STORJ_AUTH_ADDRESS is the local auth service (plain text). A block with a top-level
``await`` runs in an event loop. The last test prints how many blocks ran and how many are marked
``not run`` (with their reasons), and fails unless every unmarked block ran and passed.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from uplink_python import Access, Project

from ..doc_examples import PRELUDE_NAMES, Block, all_blocks, run_block
from ..localnet import LocalNetwork

BLOCKS = all_blocks()
RUNNABLE = [block for block in BLOCKS if block.not_run_reason is None]
MARKED = [block for block in BLOCKS if block.not_run_reason is not None]
PASSED: list[str] = []


@pytest.mark.parametrize("block", RUNNABLE, ids=[block.name for block in RUNNABLE])
def test_doc_example(block: Block, network: LocalNetwork, credentials: dict[str, str], access: Access,
                     project: Project, bucket: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
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
    namespace: dict[str, object] = {"__name__": "__doc_example__", **prelude}
    try:
        run_block(block, namespace)
    finally:
        namespace.clear()  # the block's own handles go before the fixtures check that none is left
        gc.collect()
    PASSED.append(block.name)


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
