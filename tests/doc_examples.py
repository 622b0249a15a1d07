"""The Python code blocks of the documentation (README.md and docs/**/*.md), as the examples test runs them.

A block is a fenced block whose info string is ``python``, ``py`` or ``python3``. One that cannot run says
why in an HTML comment on the line just before its fence: ``<!-- not run: needs a production satellite -->``.
Every other block must run as written, given the names of ``PRELUDE_NAMES`` (see docs/index.md). A block
may use ``await`` at its top level (as in ``python -m asyncio``): it then runs in an event loop of its own.
A block preceded by ``<!-- run as a script -->`` is a whole program: it runs as ``python example.py`` in a
process of its own (so ``multiprocessing`` can spawn children that import it), with the STORJ_*
environment variables but none of the prelude's names. A block preceded by ``<!-- run with pytest -->`` is
a test module: it runs as ``python -m pytest -p uplink_python.testnet.plugin test_example.py``.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Sequence

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)")
NOT_RUN = re.compile(r"^\s*<!--\s*not run:(?P<reason>.*?)-->\s*$")
RUN_AS = re.compile(r"^\s*<!--\s*run (?P<mode>as a script|with pytest)\s*-->\s*$")
MODES = {"as a script": "script", "with pytest": "pytest"}
PYTHON_INFOS = {"python", "py", "python3"}

# What every runnable block finds defined (a fresh project of its own on the local network).
PRELUDE_NAMES = {
    "satellite": "the satellite's node URL (nodeid@host:port)",
    "api_key": "an API key of a fresh project",
    "passphrase": "the encryption passphrase of the examples",
    "serialized_access": "an access grant (serialized) for that project and passphrase",
    "access": "an Access parsed from serialized_access",
    "project": "an open Project of that access (closed after the block)",
    "bucket": "the name of an empty bucket in that project",
}


@dataclass(frozen=True)
class Block:
    path: str  # relative to the checkout
    line: int  # of the opening fence, 1-based
    code: str
    not_run_reason: Optional[str]
    mode: str = "exec"  # "script": its own program; "pytest": a test module run by pytest

    @property
    def name(self) -> str:
        return f"{self.path}:{self.line}"


def documentation_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def blocks_of(path: Path) -> list[Block]:
    """Every Python block of one Markdown file, with its marker's reason if it has one."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        fence, indent, start = match["fence"], len(match["indent"]), index
        index += 1
        body: list[str] = []
        while index < len(lines) and not (lines[index].strip().startswith(fence)
                                          and set(lines[index].strip()) <= {fence[0]}):
            body.append(lines[index][indent:] if not lines[index][:indent].strip() else lines[index].lstrip())
            index += 1
        index += 1
        if match["info"].lower() not in PYTHON_INFOS:
            continue
        previous = next((lines[i] for i in range(start - 1, -1, -1) if lines[i].strip()), "")
        marker = NOT_RUN.match(previous)
        reason = marker["reason"].strip() if marker else None
        blocks.append(Block(str(path.relative_to(ROOT)), start + 1, "\n".join(body) + "\n", reason,
                            MODES[run_as["mode"]] if (run_as := RUN_AS.match(previous)) else "exec"))
    return blocks


def all_blocks() -> list[Block]:
    return [block for path in documentation_files() for block in blocks_of(path)]


def run_block(block: Block, namespace: dict[str, object]) -> None:
    """Runs one block in ``namespace``; a block with a top-level ``await`` runs in a new event loop.

    The code is compiled at its own line of its Markdown file, so a traceback names the page's line.
    """
    source = "\n" * block.line + block.code
    code = compile(source, str(ROOT / block.path), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
                   dont_inherit=True)
    if code.co_flags & inspect.CO_COROUTINE:
        asyncio.run(eval(code, namespace))  # noqa: S307 - running the docs is the test
    else:
        exec(code, namespace)  # noqa: S102 - running the docs is the test


def run_script(block: Block, directory: Path, environment: Mapping[str, str], paths: Sequence[Path] = (),
               timeout: float = 300.0) -> str:
    """Runs a ``script`` block as ``python example.py`` (a ``pytest`` block as ``python -m pytest -p
    uplink_python.testnet.plugin test_example.py``) in ``directory``; returns its output.

    The file keeps the block at its line of the page (blank lines before it), so a traceback's line
    numbers are the page's. The checkout and ``paths`` are its PYTHONPATH. Raises AssertionError with the
    output if the program fails.
    """
    script = directory / ("test_example.py" if block.mode == "pytest" else "example.py")
    script.write_text("\n" * block.line + block.code, encoding="utf-8")
    env = {**environment, "PYTHONPATH": os.pathsep.join(map(str, [ROOT, *paths]))}
    command = [sys.executable, str(script)]
    if block.mode == "pytest":
        command[1:] = ["-m", "pytest", "-p", "uplink_python.testnet.plugin", "-q", "-p", "no:cacheprovider",
                       str(script)]
    result = subprocess.run(command, cwd=directory, env=env, capture_output=True,
                            text=True, timeout=timeout)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{block.name} exited with {result.returncode}:\n{output}"
    return output
