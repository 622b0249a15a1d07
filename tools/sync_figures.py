"""Writes the README's benchmark figures from the benchmark run in benchmarks/results/, so they cannot drift.

    python tools/sync_figures.py           # rewrite the block between the markers in README.md
    python tools/sync_figures.py --check   # exit 1 (and say so) when README.md differs from the results

The docs' performance guide includes ``benchmarks/results/results.md`` itself; the README's block is made
here from ``results.json`` of the same run, with the table rows of ``benchmarks/report.py`` (the code that
writes results.md), so both show one run's numbers, formatted one way. The section ``many_small`` (many
small objects: aio against Go) comes from ``report.rows`` when it yields rows of that group, else from
results.md's section whose heading says "many small", else it is written here from results.json; a
section with nothing to show is an error, never a silent omission.
tests/unit/test_docs_figures.py fails when README.md is not what this tool writes now.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
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
MANY_SMALL_HEADING = re.compile(r"^#{2,4} .*many[ _-]small", re.I)
# many_small's variants (benchmarks/run.py's MANY_VARIANTS), as the README names them.
MANY_SMALL_VARIANTS = {"aio_32": "uplink_python.aio, {concurrency} in flight",
                       "go_32": "Go, {concurrency} goroutines", "python_serial": "uplink_python, one by one",
                       "go_serial": "Go, one by one"}
MANY_SMALL_PHASES = ("upload_seconds", "stat_seconds", "download_seconds", "seconds")


class FiguresError(Exception):
    """The results cannot be shown (a section without rows, a README without the markers...)."""


def load_report() -> ModuleType:
    """benchmarks/report.py, the module that turns results.json into results.md."""
    return importlib.import_module("benchmarks.report")


def summary_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["| operation | Go | Python | Python vs Go | target |", "|---|---|---|---|---|"]
    lines += [f"| {r['label']} | {r['go']} | {r['python']} | {r['ratio']} | {r['target']} |" for r in rows]
    return lines


def section_tables(results_md: str, heading: re.Pattern[str]) -> list[str]:
    """The table lines of the results.md section whose heading matches (up to the next heading)."""
    lines, inside = [], False
    for line in results_md.splitlines():
        if line.startswith("#"):
            inside = bool(heading.match(line))
            continue
        if inside and line.startswith("|"):
            lines.append(line)
    return lines


def many_small_table(entry: dict[str, Any]) -> list[str]:
    """results.json's many_small section as a table: seconds per phase, median [p25–p75], and CPU seconds."""
    if not isinstance(entry, dict):
        return []
    variants = [name for name in MANY_SMALL_VARIANTS if isinstance(entry.get(name), dict)]
    if not variants:
        return []
    lines = [f"| {entry.get('n', '?'):,} objects of {entry.get('size', 0) // 1024} KiB | upload | stat | download | "
             "total | CPU s (client / network) |", "|---|---|---|---|---|---|"]
    for name in variants:
        figures = entry[name]
        cells = " | ".join(f"{q['median']:.2f} s [{q['p25']:.2f}–{q['p75']:.2f}]"
                           for q in (figures[phase] for phase in MANY_SMALL_PHASES))
        label = MANY_SMALL_VARIANTS[name].format(concurrency=entry.get("concurrency", "?"))
        lines.append(f"| {label} | {cells} | {figures['worker_cpu_seconds']:.2f} / "
                     f"{figures['network_cpu_seconds']:.2f} |")
    return lines


def many_small_section(results_dir: Path = RESULTS) -> str:
    """For the performance guide: results.json's many_small table, unless results.md shows it already."""
    results = json.loads((results_dir / "results.json").read_text(encoding="utf-8"))
    results_md = (results_dir / "results.md").read_text(encoding="utf-8")
    table = many_small_table(results.get(MANY_SMALL)) if results.get(MANY_SMALL) else []
    if not table or section_tables(results_md, MANY_SMALL_HEADING):
        return ""
    return "\n".join(["## Many small objects", "", *table, ""])


def render(results: dict[str, Any], results_md: str, report: ModuleType) -> str:
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
        if many:
            table = summary_table(many)
        else:
            if results["started_utc"] not in results_md:
                raise FiguresError("benchmarks/results/results.md is not from the run of results.json "
                                   "(run `python benchmarks/report.py`)")
            table = section_tables(results_md, MANY_SMALL_HEADING) or many_small_table(results[MANY_SMALL])
        if not table:
            raise FiguresError("results.json has a many_small section without any variant's figures")
        lines += ["", "Many small objects:", ""] + table
    lines += ["", "![Python relative to Go](benchmarks/results/ratios.png)"]
    return "\n".join(lines)


def replace_block(text: str, block: str) -> str:
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise FiguresError(f"README.md has no figures block ({BEGIN} ... {END})")
    return text[:start + len(BEGIN)] + "\n" + block + "\n" + text[end:]


def expected_readme(readme: str, results_dir: Path = RESULTS) -> str:
    results = json.loads((results_dir / "results.json").read_text(encoding="utf-8"))
    results_md = (results_dir / "results.md").read_text(encoding="utf-8")
    return replace_block(readme, render(results, results_md, load_report()))


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
