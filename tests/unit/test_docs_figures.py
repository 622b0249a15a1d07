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
    block = TOOL.render(other, "", TOOL.load_report())
    assert block not in readme and TOOL.replace_block(readme, block) != readme


def test_the_block_has_every_targeted_row_of_the_report() -> None:
    report = TOOL.load_report()
    data = results()
    block = TOOL.render(data, "", report)
    for row in report.rows(data):
        if row["ok"] is not None:
            assert f"| {row['label']} | {row['go']} | {row['python']} |" in block
    assert data["started_utc"] in block


def test_many_small_figures_come_from_the_report_or_results_md_and_are_never_dropped() -> None:
    report = TOOL.load_report()
    data = results()
    data["many_small"] = {"n": 1000, "size": 4096, "concurrency": 32}
    section = ("# title\n\nstarted " + data["started_utc"] + "\n\n## Many small objects (aio)\n\n"
               "| case | Go | Python |\n|---|---|---|\n| 1,000 × 1 KiB, aio | 2.0 s | 2.1 s |\n\n## Next\n\n| x |\n")
    block = TOOL.render(data, section, report)
    assert "| 1,000 × 1 KiB, aio | 2.0 s | 2.1 s |" in block and "| x |" not in block
    with pytest.raises(TOOL.FiguresError, match="many_small"):
        TOOL.render(data, "# title\n\nstarted " + data["started_utc"] + "\n", report)
    phase = {"median": 1.5, "p25": 1.25, "p75": 2.0}
    data["many_small"] = {"n": 1000, "size": 4096, "concurrency": 32,
                          "aio_32": {**{p: phase for p in TOOL.MANY_SMALL_PHASES}, "worker_cpu_seconds": 3.0,
                                     "network_cpu_seconds": 4.0}}
    block = TOOL.render(data, "# title\n\nstarted " + data["started_utc"] + "\n", report)
    assert ("| uplink_python.aio, 32 in flight | 1.50 s [1.25–2.00] | 1.50 s [1.25–2.00] | 1.50 s [1.25–2.00] | "
            "1.50 s [1.25–2.00] | 3.00 / 4.00 |") in block
    assert "| 1,000 objects of 4 KiB |" in block
    with pytest.raises(TOOL.FiguresError, match="not from the run"):
        TOOL.render(data, section.replace(data["started_utc"], "another run"), report)


def test_a_readme_without_the_markers_is_an_error() -> None:
    with pytest.raises(TOOL.FiguresError, match="no figures block"):
        TOOL.replace_block("# README\n", "figures")


def test_the_performance_guide_shows_many_small_once(tmp_path: Path) -> None:
    data = results()
    phase = {"median": 1.0, "p25": 1.0, "p75": 1.0}
    data["many_small"] = {"n": 1000, "size": 4096, "concurrency": 32,
                          "go_32": {**{p: phase for p in TOOL.MANY_SMALL_PHASES}, "worker_cpu_seconds": 1.0,
                                    "network_cpu_seconds": 1.0}}
    (tmp_path / "results.json").write_text(json.dumps(data))
    (tmp_path / "results.md").write_text("# run\n\n| table |\n")
    section = TOOL.many_small_section(tmp_path)
    assert section.startswith("## Many small objects") and "| Go, 32 goroutines |" in section
    (tmp_path / "results.md").write_text("# run\n\n## Many small objects\n\n| shown by report.py |\n")
    assert TOOL.many_small_section(tmp_path) == ""
    del data["many_small"]
    (tmp_path / "results.json").write_text(json.dumps(data))
    assert TOOL.many_small_section(tmp_path) == ""
