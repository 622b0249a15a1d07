"""Turns results.json into results.md (tables) and ratios.png (matplotlib). `python report.py` redraws them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

# The targets (issue 20, and the large transfers' and memory targets before it); run.py profiles what misses them.
THROUGHPUT_TARGET = 0.97       # Python/Go speed, objects of 64 MiB and more
SMALL_TRANSFER_TARGET = 0.95   # Python/Go speed, 1 MiB objects
SMALL_OP_TARGETS = {"stat": 1.05, "bucket_cycle": 1.05, "put_small": 1.10, "list": 1.10}  # Python/Go time
RSS_TARGET_MIB = 64.0
MANY_VS_GO_32_TARGET = 0.9     # aio's speed against Go with as many goroutines
MANY_VS_GO_SERIAL_TARGET = 5.0  # aio's speed against Go one by one
MANY_LABELS = {"go_serial": "Go, one by one", "go_32": "Go, {c} goroutines", "aio_32": "uplink_python.aio, {c} in flight",
               "python_serial": "uplink_python, one by one"}
MANY_PHASES = ("upload_seconds", "stat_seconds", "download_seconds", "seconds")
MODES = {("upload", "mem"): "upload from memory (one write)", ("upload", "file"): "upload from file (write_file)",
         ("download", "mem"): "download to memory (read(size))", ("download", "file"): "download to file (read_file)",
         ("download", "readinto"): "download, readinto one 1 MiB buffer"}


def throughput_target(results: dict[str, Any], size_mib: int) -> Optional[float]:
    """The speed target of a transfer: 64 MiB and more (in a quick run: every size above 1 MiB), and 1 MiB."""
    if size_mib >= 64 or (results.get("profile") == "quick" and size_mib > 1):
        return THROUGHPUT_TARGET
    return SMALL_TRANSFER_TARGET if size_mib == 1 else None


def per_impl(entry: dict[str, Any], impls: tuple[str, ...], key: str, digits: int) -> str:
    """entry's figure key for each of impls, "a / b / c" ("–" where a variant has none)."""
    return " / ".join(f"{entry[impl][key]:.{digits}f}" if key in entry.get(impl, {}) else "–" for impl in impls)


def wakeup_cost(wakeups: Optional[dict[str, float]]) -> str:
    """The measured price of one thread waking another (go/wakeup_linux.go), as a clause."""
    if not wakeups or "across_cpus_us" not in wakeups:
        return ""
    return (f": one thread waking another on the other CPU takes {wakeups['across_cpus_us']:.1f} µs here, "
            f"on the same CPU {wakeups['same_cpu_us']:.1f} µs (two threads passing a token through eventfds)")


def small_missed(entry: dict[str, Any]) -> bool:
    """Whether a small operation is slower against Go than its target allows."""
    return "ratio" in entry and entry["ratio"] > SMALL_OP_TARGETS.get(entry["op"], 1.0)


def mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def spread(q: dict[str, float], fmt: str) -> str:
    return f"{q['median']:{fmt}} [{q['p25']:{fmt}}–{q['p75']:{fmt}}]"


def rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every comparison as (label, go, python, ratio text, target text, met, speed for the chart)."""
    out = []
    for e in results["throughput"]:
        if "ratio" not in e:
            continue
        target = throughput_target(results, e["size_mib"])
        has_target = target is not None
        paired = e.get("paired_ratio")
        ratio = paired["median"] if paired else e["ratio"]
        ok = target is not None and ratio >= target
        out.append({"group": "throughput", "label": f"{MODES[(e['direction'], e['mode'])]}, {e['size_mib']} MiB",
                    "go": spread(e["go"]["mib_per_s"], ".0f") + " MiB/s",
                    "python": spread(e["python"]["mib_per_s"], ".0f") + " MiB/s",
                    "ratio": f"{ratio:.2f}×" + (f" [{paired['p25']:.2f}–{paired['p75']:.2f}]" if paired else ""),
                    "target": f"≥ {target} {mark(ok)}" if has_target else "–",
                    "ok": ok if has_target else None, "speed": ratio,
                    "spread": (paired["p25"], paired["p75"]) if paired else None})
    for e in results["parallel"]:
        if "ratio" not in e:
            continue
        paired = e.get("paired_ratio")
        ratio = paired["median"] if paired else e["ratio"]
        ok = ratio >= THROUGHPUT_TARGET
        out.append({"group": "throughput", "label": f"{e['threads']} threads × {e['size_mib']} MiB upload at once",
                    "go": spread(e["go"]["mib_per_s"], ".0f") + " MiB/s",
                    "python": spread(e["python"]["mib_per_s"], ".0f") + " MiB/s",
                    "ratio": f"{ratio:.2f}×" + (f" [{paired['p25']:.2f}–{paired['p75']:.2f}]" if paired else ""),
                    "target": f"≥ {THROUGHPUT_TARGET} {mark(ok)}", "ok": ok, "speed": ratio,
                    "spread": (paired["p25"], paired["p75"]) if paired else None})
    for e in results["small"]:
        if "ratio" not in e:
            continue
        target = SMALL_OP_TARGETS.get(e["op"], 1.0)
        ok = not small_missed(e)
        out.append({"group": "small", "label": e["label"], "go": spread(e["go"]["us"], ".0f") + " µs",
                    "python": spread(e["python"]["us"], ".0f") + " µs",
                    "ratio": f"{e['ratio']:.2f}× ({e['added_us']:+.0f} µs)",
                    "target": f"≤ {target:.2f}× {mark(ok)}", "ok": ok, "speed": 1 / e["ratio"]})
    out += many_small_rows(results.get("many_small") or {})
    for e in results["rss"]:
        if "added_mib" not in e:
            continue
        ok = e["added_mib"] <= RSS_TARGET_MIB
        what = "upload from file" if e["direction"] == "up" else "download to file"
        out.append({"group": "rss", "label": f"peak RSS, {what}, {e['size_mib']} MiB",
                    "go": f"{e['go']['peak_mib']:.0f} MiB (base {e['go']['baseline_mib']:.0f})",
                    "python": f"{e['python']['peak_mib']:.0f} MiB (base {e['python']['baseline_mib']:.0f})",
                    "ratio": f"{e['added_mib']:+.0f} MiB", "target": f"≤ +{RSS_TARGET_MIB:.0f} MiB {mark(ok)}",
                    "ok": ok, "go_mib": e["go"]["peak_mib"], "python_mib": e["python"]["peak_mib"]})
    return out


def many_small_rows(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """aio with many objects in flight against Go with as many goroutines and against Go one by one (total
    seconds of the upload, stat and download phases), and the sync API one by one against Go one by one."""
    if "aio_32" not in entry:
        return []
    what = f"{entry['n']:,} × {entry['size'] // 1024} KiB up+stat+down"
    c = entry["concurrency"]
    seconds = {name: entry[name]["seconds"] for name in MANY_LABELS if name in entry}
    out = []
    # (variant, against, target speed, charted: the chart's scale is Python against the same work in Go)
    for fast, base, target, charted in (("aio_32", "go_32", MANY_VS_GO_32_TARGET, True),
                                        ("aio_32", "go_serial", MANY_VS_GO_SERIAL_TARGET, False),
                                        ("python_serial", "go_serial", None, True)):
        if base not in seconds or fast not in seconds:
            continue
        speed = seconds[base]["median"] / seconds[fast]["median"]
        row = {"group": "many_small",
               "label": f"{what}: {MANY_LABELS[fast].format(c=c)} vs {MANY_LABELS[base].format(c=c)}",
               "go": spread(seconds[base], ".2f") + " s", "python": spread(seconds[fast], ".2f") + " s",
               "ratio": f"{speed:.2f}× as fast", "target": "–", "ok": None}
        if target is not None:
            row.update(target=f"≥ {target}× {mark(speed >= target)}", ok=speed >= target)
        if charted:
            row["speed"] = speed
        out.append(row)
    return out


def many_small_section(entry: dict[str, Any], cores: int) -> list[str]:
    """The phases of each many_small variant, and the CPU the client and the network spent on them."""
    if not any(name in entry for name in MANY_LABELS):
        return []
    lines = ["", f"## Many small objects: {entry['n']:,} × {entry['size'] // 1024} KiB, {entry['concurrency']} in flight",
             "", "| variant (seconds, median [p25–p75]) | upload | stat | download | total | CPU s client / network "
             f"| of the {cores} cores busy |", "|---|---|---|---|---|---|---|"]
    for name, label in MANY_LABELS.items():
        if name not in entry:
            continue
        v = entry[name]
        cpu = v["worker_cpu_seconds"] + v["network_cpu_seconds"]
        lines.append(f"| {label.format(c=entry['concurrency'])} | "
                     + " | ".join(spread(v[phase], ".2f") for phase in MANY_PHASES)
                     + f" | {v['worker_cpu_seconds']:.2f} / {v['network_cpu_seconds']:.2f} | "
                       f"{cpu / v['seconds']['median']:.1f} |")
    lines += ["", "Cores busy: (client + network CPU seconds) / wall seconds, of this benchmark's processes only "
              "(other work shared the machine). The network (satellite and nodes) runs on the same cores: where "
              "the two together keep the cores busy, more in flight cannot go faster."]
    if "go_serial" in entry and "go_32" in entry:
        gain = entry["go_serial"]["seconds"]["median"] / entry["go_32"]["seconds"]["median"]
        lines += ["", "uplink_python.aio starts its uploads, writes, commits, stats, reads and closes in libuplinkc "
                  "from the event loop's thread: each runs on an ordinary goroutine (none is locked to a Python "
                  "thread, and no Python thread waits), and the loop takes the results from the library's "
                  "completion queue in batches. What its client spends beyond Go's CPU is the event loop's Python. "
                  f"Against Go one by one, Go itself gains {gain:.2f}× with {entry['concurrency']} goroutines on "
                  f"these {cores} cores, which the client shares with the network: the "
                  f"{MANY_VS_GO_SERIAL_TARGET:g}× target asks for more than these cores give."]
    return lines


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    loads = [entry["loadavg"][0] for entry in results["load"]]
    lines = [
        f"# uplink_python vs native Go (storj.io/uplink v1.14.0): {results['profile']} run",
        "",
        f"Command: `bash benchmarks/run.sh{' --quick' if results['profile'] == 'quick' else ''}` — started "
        f"{results['started_utc']} UTC, took {results['duration_seconds'] / 60:.1f} min.",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, Linux {m['kernel']}, {m['go']}, "
        f"Python {m['python']}; the local network (satellite + 5 nodes, tests/localnet.py) on the same cores.",
        f"Load (1-min average) during the run: min {min(loads):.1f}, median {sorted(loads)[len(loads) // 2]:.1f}, "
        f"max {max(loads):.1f} (other work shared the machine). `uptime` at start: `{results['uptime_start']}`.",
        f"libuplinkc: {m['libuplinkc']} (sha256 {m['libuplinkc_sha256']}), binding/library commit {m['binding_commit']}"
        f"{' + uncommitted changes' if m['binding_uncommitted_changes'] else ''}.",
        "",
        "Medians with [p25–p75] over the repetitions (throughput: one value per run; small operations: every "
        "call). Go and Python alternate case by case, in swapped order each repetition. Throughput ratio: the median "
        "[p25–p75] of the per-repetition Python/Go ratios of neighbouring runs (robust to the load drifting; the "
        "ratio of the two medians is in results.json); small operations show the microseconds Python adds per call.",
        "",
        "| operation | Go | Python | Python vs Go | target |",
        "|---|---|---|---|---|",
    ]
    for r in rows(results):
        lines.append(f"| {r['label']} | {r['go']} | {r['python']} | {r['ratio']} | {r['target']} |")
    lines += ["", "## Where the time goes (medians per run)", "",
              "| transfer | CPU s go / py | voluntary ctx switches go / py | Go GCs go / py | read calls go / py | "
              "file I/O s go / py |", "|---|---|---|---|---|---|"]
    for e in results["throughput"] + results["parallel"]:
        if "go" not in e or "python" not in e or e["size_mib"] == 1:
            continue
        label = (f"{MODES[(e['direction'], e['mode'])]}, {e['size_mib']} MiB" if "mode" in e
                 else f"{e['threads']} × {e['size_mib']} MiB upload")
        g, p = e["go"], e["python"]
        calls = f"{g.get('read_calls', 0):.0f} / {p.get('read_calls', 0):.0f}" if e.get("direction") == "download" else "–"
        file_io = (f"{g.get('file_io_seconds', 0):.2f} / {p.get('file_io_seconds', 0):.2f}" if e.get("mode") == "file"
                   else "–")
        lines.append(f"| {label} | {g['cpu_seconds']:.2f} / {p['cpu_seconds']:.2f} | "
                     f"{g['voluntary_ctx_switches']:.0f} / {p['voluntary_ctx_switches']:.0f} | "
                     f"{g['gcs']:.0f} / {p['gcs']:.0f} | {calls} | {file_io} |")
    small = [e for e in results["small"] if "go" in e and "python" in e]
    if small:
        lines += ["", "| small operation (median µs) | Go | raw ctypes call | uplink_python | C layer adds (raw − Go) | "
                      "Python wrapper adds (py − raw) | CPU µs per call go / raw / py | context switches per call "
                      "go / raw / py | of them, the calling thread's (raw / py) |", "|---|---|---|---|---|---|---|---|---|"]
        for e in small:
            go, py = e["go"]["us"]["median"], e["python"]["us"]["median"]
            raw = e.get("raw", {}).get("us", {}).get("median")
            cells = (f"{raw:.0f} | {py:.0f} | {raw - go:+.0f} | {py - raw:+.0f}" if raw is not None
                     else f"– | {py:.0f} | – | –")
            every = ("go", "raw", "python")
            lines.append(f"| {e['label']} | {go:.0f} | {cells} | {per_impl(e, every, 'cpu_us_per_call', 0)} | "
                         f"{per_impl(e, every, 'ctx_switches_per_call', 1)} | "
                         f"{per_impl(e, ('raw', 'python'), 'caller_thread_sleeps_per_call', 1)} |")
        lines += ["", "Raw ctypes call: the Python worker calling the same C function(s) directly (no argument checks, "
                  "handle bookkeeping or conversion to data classes), so the added time splits between the C layer "
                  "(libuplinkc, cgo, its goroutine handling) and uplink_python's Python code. Context switches: "
                  "the voluntary ones of the whole worker process (getrusage), and of Python's calling thread "
                  "alone: each is a time that thread slept and the kernel woke it.",
                  "",
                  "Where the C layer's time goes: a call from C runs on a goroutine locked to the calling (Python) "
                  "thread. When storj.io/uplink waits for the network inside the call, that thread sleeps in the "
                  "kernel and another Go thread takes over the scheduler; when the reply comes, the thread that "
                  "read it must wake the calling thread through the kernel, then sleep itself. Pure Go resumes "
                  "the waiting goroutine on the thread that read the reply. So each sleep of the calling thread "
                  "(about one per request, last column) costs a hand-off between threads that Go does not make: "
                  "the process makes about twice Go's context switches, and on this machine's virtual CPUs "
                  f"each one is costly{wakeup_cost(results.get('wakeups'))}. The call's result, allocated in C, "
                  "is one more C call to free. Running "
                  "a call on a fresh goroutine (libuplinkc's runDetached) trades its wake-ups for one at the end: "
                  "that pays for large transfers, not for one-request metadata calls or small writes, which run "
                  "directly (benchmarks/README.md: what was tried). Python's share (Python − raw) is the "
                  "wrapper's argument checks, call bookkeeping and conversion of the result, run after each C "
                  "call with the caches cold."]
    lines += many_small_section(results.get("many_small") or {}, results["machine"]["cores"])
    gc_rows = [e for e in results.get("gc_percent", []) if "python_gogc100" in e and "go" in e and "python" in e]
    if gc_rows:
        lines += ["", "| GC percent diagnostic (MiB/s, median; Go GCs) | Go | Python (GC percent 200, the default) | "
                      "Python with GOGC=100 |", "|---|---|---|---|"]
        for e in gc_rows:
            cells = " | ".join(f"{e[v]['mib_per_s']['median']:.0f} ({e[v]['gcs']:.0f} GCs)"
                               for v in ("go", "python", "python_gogc100"))
            lines.append(f"| {MODES[(e['direction'], e['mode'])]}, {e['size_mib']} MiB | {cells} |")
        lines.append("")
    for e in results["rss"]:
        if "go" in e and "python" in e and "go_heap_peak_mb" in e["go"]:
            what = "upload from file" if e["direction"] == "up" else "download to file"
            lines.append(f"Peak RSS, {what}, {e['size_mib']} MiB: Go heap at its largest collection "
                         f"{e['go']['go_heap_peak_mb']:.0f} MB in Go, {e['python']['go_heap_peak_mb']:.0f} MB in Python "
                         f"(live after it ≤ {e['go']['go_heap_live_max_mb']:.0f} / {e['python']['go_heap_live_max_mb']:.0f} MB; "
                         f"{e['go']['gcs']:.0f} / {e['python']['gcs']:.0f} collections); process baseline before the "
                         f"transfer {e['go']['baseline_mib']:.0f} / {e['python']['baseline_mib']:.0f} MiB.")
        if "python_gogc100" in e and "go" in e:
            what = "upload from file" if e["direction"] == "up" else "download to file"
            lines.append(f"Peak RSS, {what}, {e['size_mib']} MiB, Python with GOGC=100 (libuplinkc otherwise sets GC "
                         f"percent 200): {e['python_gogc100']['peak_mib']:.0f} MiB "
                         f"({e['python_gogc100']['peak_mib'] - e['go']['peak_mib']:+.0f} MiB over Go), "
                         f"{e['python_gogc100']['mib_per_s']:.0f} MiB/s (GC percent 200: {e['python']['mib_per_s']:.0f} MiB/s).")
    lines += ["", "Read calls: Go `Read` calls on the download; Python: `read`/`readinto` calls (each one C call); "
              "0 where not counted. GCs: Go collections (GODEBUG=gctrace=1) in the process.", ""]
    if results["profiles"]:
        lines += ["cProfile of the Python side where a target is missed: " +
                  ", ".join(f"`{p}`" for p in results["profiles"]), ""]
    if results["errors"]:
        lines += ["## Errors", ""] + [f"- {e}" for e in results["errors"]] + [""]
    lines += ["Section times: " + ", ".join(f"{k} {v:.0f} s" for k, v in results["section_seconds"].items()), "",
              "![Python relative to Go](ratios.png)", ""]
    return "\n".join(lines)


def chart(results: dict[str, Any], path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    speed_rows = [r for r in rows(results) if "speed" in r]
    rss_rows = [r for r in rows(results) if r["group"] == "rss"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 0.32 * max(len(speed_rows), 8) + 1.6),
                                      gridspec_kw={"width_ratios": [3, 1.2]})
    labels = [r["label"] for r in speed_rows][::-1]
    speeds = [r["speed"] for r in speed_rows][::-1]
    colors = ["#999999" if r["ok"] is None else ("#2a9d5c" if r["ok"] else "#d1495b") for r in speed_rows][::-1]
    spreads = [r.get("spread") or (r["speed"], r["speed"]) for r in speed_rows][::-1]
    errors = [[max(0.0, v - lo) for v, (lo, _) in zip(speeds, spreads)],
              [max(0.0, hi - v) for v, (_, hi) in zip(speeds, spreads)]]
    left.barh(labels, speeds, color=colors, xerr=errors, error_kw={"elinewidth": 0.8, "capsize": 2})
    left.axvline(1.0, color="black", linewidth=0.8)
    left.axvline(THROUGHPUT_TARGET, color="black", linestyle="--", linewidth=0.8)
    for y, value in enumerate(speeds):
        left.text(max(value, spreads[y][1]) + 0.01, y, f"{value:.2f}", va="center", fontsize=7)
    left.set_xlabel("Python speed relative to Go (Go time / Python time; 1 = same, dashed = 0.97; "
                    "whiskers: p25–p75 of paired runs)")
    left.set_xlim(0, max(1.15, max((hi for _, hi in spreads), default=1) + 0.1))
    left.tick_params(axis="y", labelsize=7)
    if rss_rows:
        names = [r["label"].replace("peak RSS, ", "") for r in rss_rows]
        x = range(len(rss_rows))
        right.bar([i - 0.2 for i in x], [r["go_mib"] for r in rss_rows], width=0.4, label="Go", color="#4c78a8")
        right.bar([i + 0.2 for i in x], [r["python_mib"] for r in rss_rows], width=0.4, label="Python",
                  color="#f58518")
        right.set_xticks(list(x))
        right.set_xticklabels(names, fontsize=7)
        right.set_ylabel("peak RSS (MiB)")
        right.legend(fontsize=7)
    right.set_title("peak memory", fontsize=9)
    fig.suptitle(f"uplink_python vs native Go, {results['profile']} run, {results['started_utc']} UTC", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def write(results: dict[str, Any], out_dir: Path) -> None:
    (out_dir / "results.md").write_text(markdown(results))
    chart(results, out_dir / "ratios.png")


if __name__ == "__main__":
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "results"
    write(json.loads((directory / "results.json").read_text()), directory)
