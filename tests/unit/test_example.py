"""Defect 6: examples/hello_storj.py runs on every Python the package supports (3.9+), not only 3.11+."""

import ast
import hashlib
import os
import runpy
import subprocess
from pathlib import Path

import pytest

from .pythons import OLDEST, interpreters

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "hello_storj.py"


def test_example_parses_with_the_oldest_supported_grammar():
    ast.parse(EXAMPLE.read_text(), filename=str(EXAMPLE), feature_version=OLDEST)


def test_example_checksum_works_without_hashlib_file_digest(monkeypatch, tmp_path):
    """hashlib.file_digest is 3.11+: on 3.9 and 3.10 the example exited 1 after the network part succeeded."""
    monkeypatch.delattr(hashlib, "file_digest", raising=False)  # what Python 3.9 and 3.10 have
    data = os.urandom(3 * 1024 * 1024 + 5)
    (tmp_path / "f").write_bytes(data)
    example = runpy.run_path(str(EXAMPLE))  # not __main__: defines, runs nothing
    assert example["sha256"](str(tmp_path / "f")) == hashlib.sha256(data).hexdigest()


INTERPRETERS = interpreters()
PROBE = """
import hashlib, runpy, sys
example = runpy.run_path(sys.argv[1])
print(example["sha256"](sys.argv[1]) == hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())
print(example["main"]())  # without STORJ_* set it stops before any network use: 2
"""


@pytest.mark.parametrize("version", sorted(INTERPRETERS))
def test_example_imports_and_checksums_on_each_python_found(version):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("STORJ_")}
    environment["PYTHONPATH"] = str(ROOT)
    run = subprocess.run([INTERPRETERS[version], "-c", PROBE, str(EXAMPLE)], capture_output=True, text=True,
                         env=environment, cwd=str(ROOT), timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True", "2"], (run.stdout, run.stderr)
