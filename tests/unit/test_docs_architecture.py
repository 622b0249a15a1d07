"""docs/architecture.md's reading order names files that exist (the docs build checks it; tools/mkdocs_hooks.py)."""

from __future__ import annotations

from pathlib import Path

from tools import mkdocs_hooks

ROOT = Path(__file__).resolve().parent.parent.parent


def test_every_backticked_repository_path_of_the_architecture_page_exists() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert "`libuplinkc/ext_*.go`" in page and "`testnet/network/doc.go`" in page
    assert mkdocs_hooks.missing_repository_paths(page) == []


def test_a_moved_file_or_an_empty_glob_is_reported_and_other_code_is_not(tmp_path: Path) -> None:
    (tmp_path / "testnet" / "satellite").mkdir(parents=True)
    (tmp_path / "testnet" / "satellite" / "satellite.go").write_text("package satellite\n")
    page = ("`testnet/satellite/satellite.go`, `testnet/satellite/`, `testnet/satellite/gone.go`, "
            "`libuplinkc/ext_*.go`, `go run ./cmd/testnet`, `/tmp/storj-local`, `a/b`, `x.py`")
    assert mkdocs_hooks.missing_repository_paths(page, tmp_path) == ["testnet/satellite/gone.go",
                                                                      "libuplinkc/ext_*.go"]
