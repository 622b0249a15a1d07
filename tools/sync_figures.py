"""Writes the README's benchmark figures from the benchmark run in benchmarks/results/, so they cannot drift.

    python tools/sync_figures.py           # rewrite the block between the markers in README.md
    python tools/sync_figures.py --check   # exit 1 (and say so) when README.md differs from the results

The docs' performance guide includes ``benchmarks/results/results.md`` itself; the README's block is made
here from ``results.json`` of the same run, with the table rows of ``benchmarks/report.py`` (the code that
writes results.md), so both show one run's numbers, formatted one way. The section ``many_small`` (many
small objects: aio against Go) gets a table of its own from report.rows' rows of that group; a results.json
with that section and no such rows is an error, never a silent omission.
tests/unit/test_docs_figures.py fails when README.md is not what this tool writes now.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # benchmarks/ is imported from the checkout, as when run as a script
RESULTS = ROOT / "benchmarks" / "results"
README = ROOT / "README.md"
BEGIN = "<!-- figures: begin (written by `python tools/sync_figures.py` from benchmarks/results/; do not edit) -->"
END = "<!-- figures: end -->"
MANY_SMALL = "many_small"


class FiguresError(Exception):
    """The results cannot be shown (a section without rows, a README without the markers...)."""


def load_report() -> ModuleType:
    """benchmarks/report.py, the module that turns results.json into results.md."""
    return importlib.import_module("benchmarks.report")


def summary_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["| operation | Go | Python | Python vs Go | target |", "|---|---|---|---|---|"]
    lines += [f"| {r['label']} | {r['go']} | {r['python']} | {r['ratio']} | {r['target']} |" for r in rows]
    return lines


def render(results: dict[str, Any], report: ModuleType) -> str:
    """The README's figures block (without the markers) for one run."""
    loads = sorted(entry["loadavg"][0] for entry in results.get("load", [])) or [0.0]
    rows = report.rows(results)
    # The README shows the rows with a target (64 MiB and up, small calls, memory), and the many-small rows.
    summary = [r for r in rows if r["group"] != MANY_SMALL and r.get("ok") is not None]
    quick = " --quick" if results.get("profile") == "quick" else ""
    lines = [f"From the {results['profile']} run of {results['started_utc']} UTC (`bash benchmarks/run.sh{quick}`, "
             f"{results['duration_seconds'] / 60:.1f} min on {results['machine']['cores']} cores shared with the "
             f"local network, load median {loads[len(loads) // 2]:.1f}); medians with [p25–p75], the full tables in "
             "[the performance guide](docs/guides/performance.md):", ""]
    lines += summary_table(summary)
    if results.get(MANY_SMALL):
        many = [r for r in rows if r["group"] == MANY_SMALL]
        if not many:
            raise FiguresError("results.json has a many_small section, but benchmarks/report.py's rows() "
                               "gives none of its rows")
        lines += ["", "Many small objects:", ""] + summary_table(many)
    lines += ["", "![Python relative to Go](benchmarks/results/ratios.png)"]
    return "\n".join(lines)


def replace_block(text: str, block: str) -> str:
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise FiguresError(f"README.md has no figures block ({BEGIN} ... {END})")
    return text[:start + len(BEGIN)] + "\n" + block + "\n" + text[end:]


def expected_readme(readme: str, results_dir: Path = RESULTS) -> str:
    results = json.loads((results_dir / "results.json").read_text(encoding="utf-8"))
    return replace_block(readme, render(results, load_report()))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when README.md differs")
    args = parser.parse_args(argv)
    current = README.read_text(encoding="utf-8")
    try:
        wanted = expected_readme(current)
    except FiguresError as error:
        print(f"sync_figures: {error}", file=sys.stderr)
        return 2
    if wanted == current:
        print("sync_figures: README.md's figures are those of benchmarks/results/")
        return 0
    if args.check:
        print("sync_figures: README.md's figures differ from benchmarks/results/: run python tools/sync_figures.py",
              file=sys.stderr)
        return 1
    README.write_text(wanted, encoding="utf-8")
    print("sync_figures: README.md's figures block rewritten from benchmarks/results/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
