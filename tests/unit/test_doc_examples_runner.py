"""The doc examples runner itself: what it collects from Markdown, and that a broken example fails."""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest

from ..doc_examples import ROOT, Block, all_blocks, blocks_of, run_block, run_script

PAGE = """# A page

<!-- not run: needs a production satellite -->
```python
print("marked")
```

1. In a list:

    ```py
    total = 0
    for i in range(3):
        total += i
    ```

```bash
echo not python
```

```python
import asyncio
await asyncio.sleep(0)
result = "awaited"
```
"""


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr("tests.doc_examples.ROOT", tmp_path)
    path = tmp_path / "page.md"
    path.write_text(PAGE)
    return path


def test_collects_python_blocks_with_markers_and_indentation(page: Path) -> None:
    blocks = blocks_of(page)
    assert [(b.line, b.not_run_reason) for b in blocks] == [(4, "needs a production satellite"), (10, None),
                                                           (20, None)]
    assert blocks[1].code == "total = 0\nfor i in range(3):\n    total += i\n"
    namespace: dict[str, object] = {}
    run_block(blocks[1], namespace)
    assert namespace["total"] == 3


def test_a_top_level_await_runs_in_an_event_loop(page: Path) -> None:
    namespace: dict[str, object] = {}
    run_block(blocks_of(page)[2], namespace)
    assert namespace["result"] == "awaited"


def test_a_broken_example_fails_at_its_line_of_the_page() -> None:
    block = Block("docs/page.md", 40, "x = 1\nundefined_name.read()\n", None)
    with pytest.raises(NameError) as failure:
        run_block(block, {})
    frame = traceback.extract_tb(failure.value.__traceback__)[-1]
    assert (frame.filename, frame.lineno) == (str(ROOT / "docs/page.md"), 42)


def test_the_documentation_has_blocks_and_every_marker_gives_a_reason() -> None:
    blocks = all_blocks()
    assert any(b.path == "README.md" for b in blocks) and any(b.path.startswith("docs/") for b in blocks)
    assert all(b.not_run_reason for b in blocks if b.not_run_reason is not None)


def test_a_script_block_runs_as_its_own_program_and_fails_with_its_output(tmp_path: Path) -> None:
    script = Block("docs/page.md", 7, 'import os\nif __name__ == "__main__":\n    print(os.environ["X"])\n',
                   None, mode="script")
    assert run_script(script, tmp_path, {"X": "from the environment"}).strip() == "from the environment"
    broken = Block("docs/page.md", 7, "import uplink_python\nraise SystemExit(3)\n", None, mode="script")
    with pytest.raises(AssertionError, match="exited with 3"):
        run_script(broken, tmp_path, {})


def test_the_script_marker_is_read(page: Path) -> None:
    page.write_text("<!-- run as a script -->\n```python\nprint(1)\n```\n<!-- run with pytest -->\n"
                    "```python\ndef test_it():\n    pass\n```\n```python\nx = 1\n```\n")
    assert [(b.mode, b.not_run_reason) for b in blocks_of(page)] == [("script", None), ("pytest", None),
                                                                     ("exec", None)]


def test_a_pytest_block_runs_its_tests_and_fails_when_one_fails(tmp_path: Path) -> None:
    passing = Block("docs/page.md", 3, "def test_passes():\n    assert 1 + 1 == 2\n", None, mode="pytest")
    assert "1 passed" in run_script(passing, tmp_path, {})
    failing = Block("docs/page.md", 3, "def test_fails():\n    assert 1 + 1 == 3\n", None, mode="pytest")
    with pytest.raises(AssertionError, match="1 failed"):
        run_script(failing, tmp_path, {})
