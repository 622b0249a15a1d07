"""The docs build's check that every public name is in the API reference with a docstring (tools/mkdocs_hooks.py)."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def load_hooks() -> ModuleType:
    return importlib.import_module("tools.mkdocs_hooks")


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A package ``docpkg`` with a public submodule, a private one, and a built reference to check."""
    root = tmp_path / "docpkg"
    (root / "_private").mkdir(parents=True)
    (root / "__init__.py").write_text(textwrap.dedent('''
        """The package."""
        from ctypes import c_void_p
        from .things import Thing, LIMIT
        from ._private import hidden
        __all__ = ["Thing", "LIMIT", "hidden", "c_void_p", "bare"]
        bare = 3
        '''))
    (root / "things.py").write_text(textwrap.dedent('''
        """Things."""
        class Thing:
            """A thing."""
        LIMIT = 10
        """How many things at most."""
        __all__ = ["Thing", "LIMIT"]
        '''))
    (root / "_private" / "__init__.py").write_text('def hidden() -> None:\n    """Documented."""\n')
    site = tmp_path / "site" / "reference"
    site.mkdir(parents=True)
    (site / "index.html").write_text('<h2 id="docpkg"></h2><h2 id="docpkg.hidden"></h2><h2 id="docpkg.bare"></h2>'
                                     '<h2 id="docpkg.things"></h2><h2 id="docpkg.things.Thing"></h2>')
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [n for n in sys.modules if n == "docpkg" or n.startswith("docpkg.")]:
        del sys.modules[name]


def test_reports_each_missing_entry_docstring_and_page(package: Path) -> None:
    problems = load_hooks().reference_problems(package / "site" / "reference", "docpkg", package)
    assert sorted(problems) == sorted([
        "docpkg.c_void_p: re-exported from outside the package; name ``c_void_p`` in the module's docstring",
        "docpkg.bare: no docstring (docpkg.bare)",
        "docpkg.things.LIMIT: no entry in the reference",
        "docpkg.LIMIT: no entry in the reference",
    ])
    assert load_hooks().public_module_names("docpkg", package) == ["docpkg", "docpkg.things"]


def test_a_fully_documented_package_passes(package: Path) -> None:
    init = package / "docpkg" / "__init__.py"
    init.write_text(init.read_text().replace('"""The package."""', '"""The package; ``c_void_p`` is ctypes\'."""')
                    + '"""Three."""\n')
    page = package / "site" / "reference" / "index.html"
    page.write_text(page.read_text() + '<h2 id="docpkg.things.LIMIT"></h2>')
    assert load_hooks().reference_problems(package / "site" / "reference", "docpkg", package) == []


def test_a_module_without_a_page_is_reported(package: Path) -> None:
    page = package / "site" / "reference" / "index.html"
    page.write_text(page.read_text().replace('<h2 id="docpkg.things"></h2>', ""))
    problems = load_hooks().reference_problems(package / "site" / "reference", "docpkg", package)
    assert "docpkg.things: no reference page (`::: docpkg.things` under docs/reference/)" in problems
