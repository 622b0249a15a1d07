"""The README's benchmark figures are the ones tools/sync_figures.py writes from benchmarks/results/ now."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tools import sync_figures as TOOL

ROOT = Path(__file__).resolve().parent.parent.parent


def results() -> dict[str, Any]:
    return dict(json.loads((ROOT / "benchmarks" / "results" / "results.json").read_text(encoding="utf-8")))


def test_the_readme_figures_are_those_of_the_benchmark_results() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme == TOOL.expected_readme(readme), \
        "README.md's figures differ from benchmarks/results/: run `python tools/sync_figures.py`"


def test_a_changed_figure_or_another_run_is_noticed() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(TOOL.BEGIN)
    row = readme.index("| stat_object |", start)
    edited = readme[:row] + readme[row:].replace("µs", "ms", 1)
    assert TOOL.expected_readme(edited) == readme
    other = results()
    other["small"] = copy.deepcopy(other["small"])
    other["small"][0]["python"]["us"]["median"] += 1000
    block = TOOL.render(other, TOOL.load_report())
    assert block not in readme and TOOL.replace_block(readme, block) != readme


def test_the_block_has_every_targeted_row_of_the_report() -> None:
    report = TOOL.load_report()
    data = results()
    block = TOOL.render(data, report)
    for row in report.rows(data):
        if row["ok"] is not None:
            assert f"| {row['label']} | {row['go']} | {row['python']} |" in block
    assert data["started_utc"] in block


def test_many_small_figures_have_a_table_of_their_own_and_are_never_dropped() -> None:
    report = TOOL.load_report()
    data = results()
    seconds = {"median": 2.0, "p25": 1.5, "p75": 2.5}
    data["many_small"] = {"n": 1000, "size": 4096, "concurrency": 32, "aio_32": {"seconds": seconds},
                          "go_32": {"seconds": {**seconds, "median": 1.8}}}
    block = TOOL.render(data, report)
    many = block[block.index("Many small objects:"):]
    for row in report.rows(data):
        if row["group"] == "many_small":
            assert f"| {row['label']} | {row['go']} | {row['python']} | {row['ratio']} |" in many
    assert "1,000 × 4 KiB" in many
    data["many_small"] = {"n": 1000, "size": 4096, "concurrency": 32}   # no variant report.rows() shows
    with pytest.raises(TOOL.FiguresError, match="many_small"):
        TOOL.render(data, report)


def test_a_readme_without_the_markers_is_an_error() -> None:
    with pytest.raises(TOOL.FiguresError, match="no figures block"):
        TOOL.replace_block("# README\n", "figures")
