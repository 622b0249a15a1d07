"""uplink_python against native Go (storj.io/uplink v1.14.0) on one local Storj network, in one run.

Started by run.sh (which prepares the venv). It builds libuplinkc, the local network and go/uplinkbench,
starts the network, then alternates the Go worker (go/main.go) and the Python worker (bench_py.py) on the
same operations, several repetitions each, and writes results/results.{md,json}, results/ratios.png and
cProfile output for the operations where Python is slower than the targets allow.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import queue
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
RESULTS = HERE / "results"
SECTIONS = ("throughput", "small operations", "1,000 small objects", "8 parallel uploads", "GC percent 100 vs 200",
            "profiles", "peak RSS")
sys.path.insert(0, str(ROOT))

from tests import localnet  # noqa: E402  (the repository's network harness)
import report  # noqa: E402  (the targets; it imports matplotlib only to draw)

MiB = 1 << 20
IMPLS = ("go", "python")
READINTO_BUFFER = 1 * MiB  # the one reused buffer of the readinto downloads, both sides

# name -> settings; --quick is a smoke run of every section in a few minutes
PROFILES: dict[str, dict[str, Any]] = {
    # a 1 MiB transfer takes ~10-25 ms: its many repetitions steady the median at little cost
    "full": {"sizes": [1, 64, 256], "reps": {1: 31, 64: 7, 256: 5}, "small_batches": 10, "wakeup_round_trips": 20000,
             "small_n": {"stat": 100, "list": 5, "put_small": 50, "bucket_cycle": 40}, "list_objects": 1000,
             "parallel_size": 64, "parallel_reps": 4, "gc_reps": 3, "rss_size": 1024, "rss_reps": 3,
             "many_n": 1000, "many_reps": 5},
    "quick": {"sizes": [1, 16], "reps": {1: 3, 16: 3}, "small_batches": 2, "wakeup_round_trips": 2000,
              "small_n": {"stat": 15, "list": 2, "put_small": 10, "bucket_cycle": 8}, "list_objects": 200,
              "parallel_size": 8, "parallel_reps": 2, "gc_reps": 1, "rss_size": 128, "rss_reps": 1,
             "many_n": 200, "many_reps": 1},
}
SMALL_LABELS = {"stat": "stat_object", "list": "list_objects ({n} objects)", "put_small": "upload+commit 1 KiB",
                "bucket_cycle": "create+delete bucket"}
RAW_OPS = ("stat", "list", "put_small", "bucket_cycle")
MANY_SIZE = 4096           # bytes of each of many_small's objects
MANY_CONCURRENCY = 32      # objects in flight at once: aio tasks (its runner's threads), Go goroutines
# many_small's variants: name -> (worker, objects in flight at once)
MANY_VARIANTS = {"go_serial": ("go", 1), "go_32": ("go", MANY_CONCURRENCY), "aio_32": ("python", MANY_CONCURRENCY),
                 "python_serial": ("python", 1)}
MANY_PHASES = ("upload_seconds", "stat_seconds", "download_seconds", "seconds")
GC_LINE = re.compile(rb"^gc \d+ @", re.M)
GC_HEAP = re.compile(r"(\d+)->(\d+)->(\d+) MB, \d+ MB goal")  # heap at GC start -> at end -> live


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(cmd: list[str], cwd: Optional[Path] = None, env: Optional[dict[str, str]] = None) -> str:
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


class Worker:
    """One serve process (Go or Python): a JSON command in, a JSON answer out, with a timeout.

    Its stderr goes to a log with GODEBUG=gctrace=1, so the Go collections during each command are counted.
    """

    def __init__(self, impl: str, argv: list[str], env: dict[str, str]) -> None:
        self.impl = impl
        self.stderr_path = WORK / f"{impl}-worker.stderr"
        self.stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
                                        env={**env, "GODEBUG": "gctrace=1"}, cwd=HERE)
        self.lines: "queue.Queue[Optional[bytes]]" = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        self.offset = 0
        ready = self._answer(120)
        if not ready.get("ready"):
            raise RuntimeError(f"{impl} worker did not start: {ready}")

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _answer(self, timeout: float) -> dict[str, Any]:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise RuntimeError(f"{self.impl} worker gave no answer within {timeout:.0f} s") from None
        if line is None:
            raise RuntimeError(f"{self.impl} worker exited ({self.process.wait()}): {self.stderr_tail()}")
        return json.loads(line)

    def stderr_tail(self) -> str:
        text = self.stderr_path.read_bytes()
        return b"\n".join(l for l in text.splitlines() if not GC_LINE.match(l))[-3000:].decode(errors="replace")

    def call(self, cmd: dict[str, Any], timeout: float = 900) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(cmd).encode() + b"\n")
        self.process.stdin.flush()
        answer = self._answer(timeout)
        self.stderr.flush()
        data = self.stderr_path.read_bytes()
        answer["gcs"] = len(GC_LINE.findall(data[self.offset:]))
        self.offset = len(data)
        return answer

    def quit(self) -> None:
        if self.process.poll() is None:
            try:
                assert self.process.stdin is not None
                self.process.stdin.write(b'{"op": "quit"}\n')
                self.process.stdin.close()
                self.process.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        self.stderr.close()


def quantiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if len(ordered) == 1:
        return {"median": ordered[0], "p25": ordered[0], "p75": ordered[0], "min": ordered[0], "max": ordered[0]}
    q = statistics.quantiles(ordered, n=4, method="inclusive")
    return {"median": statistics.median(ordered), "p25": q[0], "p75": q[2], "min": ordered[0], "max": ordered[-1]}


class Benchmark:
    def __init__(self, settings: dict[str, Any], quick: bool) -> None:
        self.settings = settings
        self.quick = quick
        self.workers: dict[str, Worker] = {}
        self.results: dict[str, Any] = {"throughput": [], "small": [], "parallel": [], "gc_percent": [], "rss": [],
                                        "profiles": [], "load": [], "many_small": {}}
        self.network_pid: Optional[int] = None  # the local network's process, whose CPU many_small reports
        self.errors: list[str] = []

    # --- set-up

    def data_file(self, size_mib: int) -> Path:
        path = WORK / "data" / f"random-{size_mib}MiB.bin"
        if not path.exists() or path.stat().st_size != size_mib * MiB:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as out:
                for _ in range(size_mib):
                    out.write(os.urandom(MiB))
        return path

    def note_load(self, where: str) -> None:
        self.results["load"].append({"where": where, "time": time.time(), "loadavg": list(os.getloadavg())})

    def call(self, impl: str, cmd: dict[str, Any], what: str) -> Optional[dict[str, Any]]:
        answer = self.workers[impl].call(cmd)
        if "error" in answer:
            message = f"{impl} {what}: {answer['error']}"
            log("ERROR " + message)
            self.errors.append(message)
            return None
        return answer

    @staticmethod
    def order(rep: int) -> tuple[str, str]:
        return IMPLS if rep % 2 == 0 else IMPLS[::-1]

    # --- sections

    def throughput(self) -> None:
        s = self.settings
        for size in s["sizes"]:
            source = str(self.data_file(size))
            self.call("go", {"op": "upload", "mode": "file", "bucket": "bench", "key": f"src/{size}",
                             "file": source}, f"upload of src/{size}")
        cases = [("upload", "mem"), ("upload", "file"), ("download", "mem"), ("download", "file"),
                 ("download", "readinto")]
        for size in s["sizes"]:
            source = str(self.data_file(size))
            samples: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
            for rep in range(s["reps"][size]):
                self.note_load(f"throughput {size} MiB rep {rep}")
                for direction, mode in cases:
                    for impl in self.order(rep):
                        cmd: dict[str, Any] = {"op": direction, "mode": mode, "bucket": "bench", "size": size * MiB}
                        if direction == "upload":
                            cmd.update(key=f"tp/{impl}/{size}/{mode}/{rep}", file=source)
                        else:
                            cmd.update(key=f"src/{size}", file=str(WORK / f"download-{impl}.bin"),
                                       bufsize=READINTO_BUFFER)
                        answer = self.call(impl, cmd, f"{direction} {mode} {size} MiB")
                        if direction == "upload":
                            self.call(impl, {"op": "delete", "bucket": "bench", "keys": [cmd["key"]]}, "delete")
                        if answer is not None:
                            samples.setdefault((direction, mode, impl), []).append(answer)
                log(f"throughput {size} MiB rep {rep + 1}/{s['reps'][size]}: " + ", ".join(
                    f"{d[:2]}-{m} {size / samples[(d, m, 'go')][-1]['seconds']:.0f}/"
                    f"{size / samples[(d, m, 'python')][-1]['seconds']:.0f}"
                    for d, m in cases if samples.get((d, m, "go")) and samples.get((d, m, "python"))) + " MiB/s go/py")
            for direction, mode in cases:
                entry: dict[str, Any] = {"direction": direction, "mode": mode, "size_mib": size}
                for impl in IMPLS:
                    answers = samples.get((direction, mode, impl), [])
                    if not answers:
                        continue
                    mibs = [size / a["seconds"] for a in answers]
                    entry[impl] = {
                        "mib_per_s": quantiles(mibs), "seconds": [a["seconds"] for a in answers],
                        "cpu_seconds": statistics.median(a["usage"]["cpu_seconds"] for a in answers),
                        "voluntary_ctx_switches": statistics.median(a["usage"]["voluntary_ctx_switches"] for a in answers),
                        "involuntary_ctx_switches": statistics.median(
                            a["usage"]["involuntary_ctx_switches"] for a in answers),
                        "gcs": statistics.median(a["gcs"] for a in answers),
                        "read_calls": statistics.median(a.get("read_calls", 0) for a in answers),
                        "file_io_seconds": statistics.median(a.get("file_io_seconds", 0) for a in answers),
                    }
                if "go" in entry and "python" in entry:
                    entry["ratio"] = entry["python"]["mib_per_s"]["median"] / entry["go"]["mib_per_s"]["median"]
                    # each repetition's Go and Python runs are neighbours in time: their ratio cancels slow drifts
                    pairs = zip(entry["go"]["seconds"], entry["python"]["seconds"])
                    entry["paired_ratio"] = quantiles([g / p for g, p in pairs])
                self.results["throughput"].append(entry)

    def small_ops(self) -> None:
        s = self.settings
        n_list = s["list_objects"]
        self.call("go", {"op": "ensure_bucket", "bucket": "bench-list"}, "ensure_bucket bench-list")
        self.call("go", {"op": "fill", "bucket": "bench-list", "prefix": "o/", "n": n_list, "size": 16},
                  f"filling {n_list} objects")
        self.call("go", {"op": "upload", "mode": "mem", "bucket": "bench", "key": "small/stat",
                         "file": str(self.small_file())}, "upload small/stat")
        # what one thread waking another costs here: the unit of the C layer's hand-offs (report.py)
        wakeups = self.call("go", {"op": "wakeups", "n": s["wakeup_round_trips"]}, "wakeups")
        if wakeups is not None:
            self.results["wakeups"] = {k: v for k, v in wakeups.items() if k.endswith("_us")}
        for op, n in s["small_n"].items():
            # "raw": the Python worker calling the C functions straight through ctypes (diagnostic)
            variants = IMPLS + (("raw",) if op in RAW_OPS else ())
            samples: dict[str, list[float]] = {impl: [] for impl in variants}
            usage: dict[str, list[float]] = {impl: [] for impl in variants}
            switches: dict[str, list[float]] = {impl: [] for impl in variants}  # the process's, per call
            caller_sleeps: dict[str, list[float]] = {impl: [] for impl in variants}  # Python's calling thread
            items: dict[str, Any] = {}
            for batch in range(s["small_batches"]):
                self.note_load(f"{op} batch {batch}")
                for impl in (variants if batch % 2 == 0 else variants[::-1]):
                    worker = "python" if impl == "raw" else impl
                    cmd = self.small_cmd(op, n + 1, impl, batch)  # the first call of a batch is a warm-up
                    if impl == "raw":
                        cmd["op"] = op + "_raw"
                    answer = self.call(worker, cmd, cmd["op"])
                    if answer is not None:
                        samples[impl].extend(answer["samples"][1:])
                        calls = len(answer["samples"])
                        usage[impl].append(answer["usage"]["cpu_seconds"] / calls)
                        switches[impl].append(answer["usage"]["voluntary_ctx_switches"] / calls)
                        if "caller_thread_sleeps" in answer:
                            caller_sleeps[impl].append(answer["caller_thread_sleeps"] / calls)
                        items[impl] = answer.get("items")
            entry: dict[str, Any] = {"op": op, "label": SMALL_LABELS[op].format(n=n_list), "calls_per_batch": n}
            for impl in variants:
                if samples[impl]:
                    entry[impl] = {"us": quantiles([x * 1e6 for x in samples[impl]]), "n": len(samples[impl]),
                                   "cpu_us_per_call": statistics.median(usage[impl]) * 1e6, "items": items.get(impl),
                                   "ctx_switches_per_call": statistics.median(switches[impl])}
                    if caller_sleeps[impl]:
                        entry[impl]["caller_thread_sleeps_per_call"] = statistics.median(caller_sleeps[impl])
            if "go" in entry and "python" in entry:
                entry["added_us"] = entry["python"]["us"]["median"] - entry["go"]["us"]["median"]
                entry["ratio"] = entry["python"]["us"]["median"] / entry["go"]["us"]["median"]
            log(f"{op}: " + " / ".join(f"{impl} {entry[impl]['us']['median']:.0f} us" for impl in variants if impl in entry))
            self.results["small"].append(entry)

    def small_file(self) -> Path:
        path = WORK / "data" / "1KiB.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(1024))
        return path

    @staticmethod
    def small_cmd(op: str, n: int, impl: str, batch: int, profile: Optional[str] = None) -> dict[str, Any]:
        cmd: dict[str, Any] = {"op": op, "n": n}
        if op == "stat":
            cmd.update(bucket="bench", key="small/stat")
        elif op == "list":
            cmd.update(bucket="bench-list", prefix="o/")
        elif op == "put_small":
            cmd.update(bucket="bench", prefix=f"small/{impl}/{batch}/", size=1024)
        elif op == "bucket_cycle":
            cmd.update(prefix=f"cycle-{impl}-{batch}-{'p' if profile else 'm'}-")
        if profile:
            cmd["profile"] = profile
        return cmd

    def many_small(self) -> None:
        """1,000 objects of 4 KiB uploaded, stat'ed and downloaded: aio with 32 in flight against Go with 32
        goroutines and Go one by one (and the sync Python API one by one). Each run reports its phases'
        seconds and the CPU seconds of the worker and of the network process: on a machine with few cores
        the network's own CPU bounds how much concurrency can gain."""
        s = self.settings
        self.call("go", {"op": "ensure_bucket", "bucket": "bench-many"}, "ensure_bucket bench-many")
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in MANY_VARIANTS}
        names = list(MANY_VARIANTS)
        for rep in range(s["many_reps"]):
            self.note_load(f"many_small rep {rep}")
            for name in (names if rep % 2 == 0 else names[::-1]):
                worker, concurrency = MANY_VARIANTS[name]
                network_before = process_cpu_seconds(self.network_pid)
                answer = self.call(worker, {"op": "many_small", "bucket": "bench-many", "prefix": f"{name}/{rep}/",
                                            "n": s["many_n"], "size": MANY_SIZE, "concurrency": concurrency},
                                   f"many_small {name}")
                if answer is not None:
                    answer["network_cpu_seconds"] = process_cpu_seconds(self.network_pid) - network_before
                    runs[name].append(answer)
            log(f"many_small rep {rep + 1}/{s['many_reps']}: " + ", ".join(
                f"{name} {runs[name][-1]['seconds']:.2f} s" for name in names if runs[name]))
        entry: dict[str, Any] = {"n": s["many_n"], "size": MANY_SIZE, "concurrency": MANY_CONCURRENCY}
        for name, answers in runs.items():
            if answers:
                entry[name] = {phase: quantiles([a[phase] for a in answers]) for phase in MANY_PHASES}
                entry[name]["worker_cpu_seconds"] = statistics.median(a["usage"]["cpu_seconds"] for a in answers)
                entry[name]["network_cpu_seconds"] = statistics.median(a["network_cpu_seconds"] for a in answers)
                entry[name]["runs"] = answers
        self.results["many_small"] = entry

    def parallel(self) -> None:
        s = self.settings
        size, threads = s["parallel_size"], 8
        source = str(self.data_file(size))
        samples: dict[str, list[dict[str, Any]]] = {impl: [] for impl in IMPLS}
        for rep in range(s["parallel_reps"]):
            self.note_load(f"parallel rep {rep}")
            for impl in self.order(rep):
                prefix = f"par/{impl}/{rep}/"
                answer = self.call(impl, {"op": "upload_parallel", "bucket": "bench", "prefix": prefix,
                                          "threads": threads, "file": source}, "upload_parallel")
                self.call(impl, {"op": "delete", "bucket": "bench", "keys": [f"{prefix}{i}" for i in range(threads)]},
                          "delete")
                if answer is not None:
                    samples[impl].append(answer)
            log(f"parallel rep {rep + 1}: " + " / ".join(
                f"{impl} {threads * size / samples[impl][-1]['seconds']:.0f} MiB/s" for impl in IMPLS if samples[impl]))
        entry: dict[str, Any] = {"threads": threads, "size_mib": size}
        for impl in IMPLS:
            if samples[impl]:
                entry[impl] = {"mib_per_s": quantiles([threads * size / a["seconds"] for a in samples[impl]]),
                               "cpu_seconds": statistics.median(a["usage"]["cpu_seconds"] for a in samples[impl]),
                               "voluntary_ctx_switches": statistics.median(
                                   a["usage"]["voluntary_ctx_switches"] for a in samples[impl]),
                               "gcs": statistics.median(a["gcs"] for a in samples[impl])}
        if "go" in entry and "python" in entry:
            entry["ratio"] = entry["python"]["mib_per_s"]["median"] / entry["go"]["mib_per_s"]["median"]
            entry["paired_ratio"] = quantiles([g["seconds"] / p["seconds"] for g, p in zip(samples["go"], samples["python"])])
        self.results["parallel"].append(entry)

    def gc_percent(self) -> None:
        """Diagnostic: Python with GOGC=100 (libuplinkc sets GC percent 200 unless GOGC is set) on the largest
        transfers, alternating with the other two, to weigh the RSS that GC percent 200 costs against speed."""
        if "python_gogc100" not in self.workers:
            return
        size = max(self.settings["sizes"])
        source = str(self.data_file(size))
        variants = ("go", "python", "python_gogc100")
        cases = [("upload", "mem"), ("upload", "file"), ("download", "readinto")]
        samples: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for rep in range(self.settings["gc_reps"]):
            self.note_load(f"gc percent rep {rep}")
            for direction, mode in cases:
                for impl in (variants if rep % 2 == 0 else variants[::-1]):
                    cmd: dict[str, Any] = {"op": direction, "mode": mode, "bucket": "bench", "size": size * MiB}
                    if direction == "upload":
                        cmd.update(key=f"gc/{impl}/{mode}/{rep}", file=source)
                    else:
                        cmd.update(key=f"src/{size}", bufsize=READINTO_BUFFER)
                    answer = self.call(impl, cmd, f"{direction} {mode} {size} MiB")
                    if direction == "upload":
                        self.call(impl, {"op": "delete", "bucket": "bench", "keys": [cmd["key"]]}, "delete")
                    if answer is not None:
                        samples.setdefault((direction, mode, impl), []).append(answer)
            log(f"GC percent rep {rep + 1}: " + ", ".join(
                f"{d[:2]}-{m} " + "/".join(f"{size / samples[(d, m, v)][-1]['seconds']:.0f}" for v in variants
                                            if samples.get((d, m, v))) for d, m in cases) + " MiB/s go/py/py-gogc100")
        for direction, mode in cases:
            entry: dict[str, Any] = {"direction": direction, "mode": mode, "size_mib": size}
            for impl in variants:
                answers = samples.get((direction, mode, impl), [])
                if answers:
                    entry[impl] = {"mib_per_s": quantiles([size / a["seconds"] for a in answers]),
                                   "gcs": statistics.median(a["gcs"] for a in answers),
                                   "cpu_seconds": statistics.median(a["usage"]["cpu_seconds"] for a in answers)}
            self.results["gc_percent"].append(entry)

    def rss(self, argv: dict[str, list[str]], env: dict[str, str]) -> None:
        s = self.settings
        size = s["rss_size"]
        source = str(self.data_file(size))
        target = str(WORK / "rss-download.bin")
        self.call("go", {"op": "upload", "mode": "file", "bucket": "bench", "key": "rss/src",
                         "file": source}, "upload rss/src")
        # diagnostic: libuplinkc raises Go's GC percent to 200 unless GOGC is set; GOGC=100 shows what that costs
        env = {**env, "GODEBUG": "gctrace=1"}  # the Go heap at each collection, from stderr
        variants = {"go": (argv["go"], env), "python": (argv["python"], env)}
        if "GOGC" not in env:
            variants["python_gogc100"] = (argv["python"], {**env, "GOGC": "100"})
        for direction in ("up", "down"):
            runs: dict[str, list[dict[str, Any]]] = {impl: [] for impl in variants}
            for rep in range(s["rss_reps"]):
                self.note_load(f"rss {direction} rep {rep}")
                for impl in (list(variants) if rep % 2 == 0 else list(variants)[::-1]):
                    key = f"rss/{impl}/{rep}" if direction == "up" else "rss/src"
                    cmd = variants[impl][0] + ["--direction", direction, "--bucket", "bench", "--key", key,
                                               "--file", source if direction == "up" else target]
                    result = subprocess.run(cmd, capture_output=True, text=True, env=variants[impl][1], cwd=HERE,
                                            timeout=1800)
                    if result.returncode != 0:
                        message = f"{impl} rss {direction}: {result.stderr[-2000:]}"
                        log("ERROR " + message)
                        self.errors.append(message)
                        continue
                    answer = json.loads(result.stdout.strip().splitlines()[-1])
                    heaps = [[int(x) for x in m] for m in GC_HEAP.findall(result.stderr)]
                    answer["gcs"] = len(heaps)
                    answer["go_heap_peak_mb"] = max((h[0] for h in heaps), default=0)
                    answer["go_heap_live_max_mb"] = max((h[2] for h in heaps), default=0)
                    runs[impl].append(answer)
                    if direction == "up":
                        self.call("go", {"op": "delete", "bucket": "bench", "keys": [key]}, "delete")
            entry: dict[str, Any] = {"direction": direction, "size_mib": size}
            for impl in variants:
                if runs[impl]:
                    entry[impl] = {"peak_mib": statistics.median(r["vmhwm_kib"] / 1024 for r in runs[impl]),
                                   "ru_maxrss_mib": statistics.median(r["ru_maxrss_kib"] / 1024 for r in runs[impl]),
                                   "baseline_mib": statistics.median(r["baseline_rss_kib"] / 1024 for r in runs[impl]),
                                   "mib_per_s": statistics.median(size / r["seconds"] for r in runs[impl]),
                                   "gcs": statistics.median(r["gcs"] for r in runs[impl]),
                                   "go_heap_peak_mb": statistics.median(r["go_heap_peak_mb"] for r in runs[impl]),
                                   "go_heap_live_max_mb": statistics.median(
                                       r["go_heap_live_max_mb"] for r in runs[impl])}
            if "go" in entry and "python" in entry:
                entry["added_mib"] = entry["python"]["peak_mib"] - entry["go"]["peak_mib"]
            log(f"rss {direction} {size} MiB: " + " / ".join(
                f"{impl} peak {entry[impl]['peak_mib']:.0f} MiB" for impl in variants if impl in entry))
            self.results["rss"].append(entry)
        Path(target).unlink(missing_ok=True)

    def profiles(self) -> None:
        """cProfile of the Python side for each operation that misses its target (largest size only)."""
        out = RESULTS / "profiles"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        largest = max(self.settings["sizes"])
        for entry in self.results["throughput"]:
            if entry["size_mib"] != largest or entry.get("ratio", 1) >= report.THROUGHPUT_TARGET:
                continue
            name = f"{entry['direction']}-{entry['mode']}-{largest}MiB"
            path = out / f"{name}.txt"
            cmd: dict[str, Any] = {"op": entry["direction"], "mode": entry["mode"], "bucket": "bench",
                                   "size": largest * MiB, "profile": str(path)}
            if entry["direction"] == "upload":
                cmd.update(key="profile/up", file=str(self.data_file(largest)))
            else:
                cmd.update(key=f"src/{largest}", file=str(WORK / "download-python.bin"), bufsize=READINTO_BUFFER)
            if self.call("python", cmd, f"profile {name}") is not None:
                self.results["profiles"].append(str(path.relative_to(HERE)))
            if entry["direction"] == "upload":
                self.call("python", {"op": "delete", "bucket": "bench", "keys": ["profile/up"]}, "delete")
        for entry in self.results["small"]:
            if not report.small_missed(entry):
                continue
            path = out / f"{entry['op']}.txt"
            cmd = self.small_cmd(entry["op"], entry["calls_per_batch"], "python", 99, profile=str(path))
            if self.call("python", cmd, f"profile {entry['op']}") is not None:
                self.results["profiles"].append(str(path.relative_to(HERE)))


def process_cpu_seconds(pid: Optional[int]) -> float:
    """User + system CPU seconds of a running process (0 when unknown)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine() -> dict[str, Any]:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    mem_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
    library = ROOT / "uplink_python" / "libuplinkc.so"
    library = Path(os.environ.get("UPLINK_PYTHON_LIBUPLINKC", library))
    git = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %cI", "--", "libuplinkc", "uplink_python"],
                         capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "libuplinkc", "uplink_python"],
                           capture_output=True, text=True).stdout.strip()
    return {"cpu": model, "cores": os.cpu_count(), "memory_gib": round(mem_kib / 1024 / 1024, 1),
            "kernel": platform.release(), "python": platform.python_version(),
            "go": run(["go", "env", "GOVERSION"]).strip(), "gogc_env": os.environ.get("GOGC"),
            # relative to the checkout, so results never name a machine's paths
            "libuplinkc": os.path.relpath(library, ROOT),
            "libuplinkc_sha256": hashlib.sha256(library.read_bytes()).hexdigest()[:16] if library.exists() else None,
            "binding_commit": git, "binding_uncommitted_changes": bool(dirty)}


def build() -> dict[str, list[str]]:
    if os.environ.get("UPLINK_PYTHON_LIBUPLINKC"):  # measure that build instead of building ours
        log(f"using libuplinkc {os.environ['UPLINK_PYTHON_LIBUPLINKC']} (UPLINK_PYTHON_LIBUPLINKC)")
    else:
        log("building libuplinkc (build_libuplink.sh)")
        localnet.build_libuplinkc()
    log("building the local network and go/uplinkbench")
    localnet.build_testnet()
    binary = WORK / "bin" / "uplinkbench"
    binary.parent.mkdir(parents=True, exist_ok=True)
    run(["go", "build", "-trimpath", "-o", str(binary), "."], cwd=HERE / "go")
    return {"go": [str(binary)], "python": [sys.executable, str(HERE / "bench_py.py")]}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, smaller sizes (a smoke run)")
    parser.add_argument("--keep-network", action="store_true", help="keep the network's data directory afterwards")
    parser.add_argument("--only", action="append", choices=SECTIONS, default=[],
                        help="run only this section (repeatable; the results then hold only these)")
    args = parser.parse_args(argv)
    started = time.time()
    settings = PROFILES["quick" if args.quick else "full"]
    WORK.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    programs = build()

    net_dir = WORK / "network"
    shutil.rmtree(net_dir, ignore_errors=True)
    log("starting the local network")
    network = localnet.LocalNetwork(net_dir).start()
    bench = Benchmark(settings, args.quick)
    assert network.process is not None
    bench.network_pid = network.process.pid
    uptime_start = run(["uptime"]).strip()
    try:
        # no request-rate limit: the benchmark measures speed, and production's default 100/s would cap it
        grant = network.new_project(rate_limit=0)["access_grant"]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        for impl in IMPLS:
            bench.workers[impl] = Worker(impl, programs[impl] + ["serve", "--access", grant], env)
        if "GOGC" not in env:  # the GC-percent diagnostic's third worker
            bench.workers["python_gogc100"] = Worker("python_gogc100", programs["python"] + ["serve", "--access", grant],
                                                     {**env, "GOGC": "100"})
        for impl in bench.workers:  # warm-up: connections, code paths, the bucket
            bench.call(impl, {"op": "ensure_bucket", "bucket": "bench"}, "ensure_bucket")
            bench.call(impl, {"op": "upload", "mode": "mem", "bucket": "bench", "key": f"warm/{impl}",
                              "file": str(bench.data_file(1))}, "warm-up upload")
            bench.call(impl, {"op": "download", "mode": "readinto", "bucket": "bench", "key": f"warm/{impl}",
                              "size": MiB, "bufsize": READINTO_BUFFER}, "warm-up download")
        sections = {"throughput": bench.throughput, "small operations": bench.small_ops,
                    "1,000 small objects": bench.many_small, "8 parallel uploads": bench.parallel,
                    "GC percent 100 vs 200": bench.gc_percent, "profiles": bench.profiles,
                    "peak RSS": lambda: bench.rss({impl: programs[impl] + ["rss", "--access", grant]
                                                   for impl in IMPLS}, env)}
        assert tuple(sections) == SECTIONS
        timings: dict[str, float] = {}
        for name, section in sections.items():
            if args.only and name not in args.only:
                continue
            log(f"== {name}")
            t0 = time.time()
            section()
            timings[name] = time.time() - t0
    finally:
        for worker in bench.workers.values():
            worker.quit()
        network.stop()
        if not args.keep_network:
            shutil.rmtree(net_dir, ignore_errors=True)
        for leftover in WORK.glob("download-*.bin"):
            leftover.unlink()

    results = bench.results
    results.update(profile="quick" if args.quick else "full", settings={k: v for k, v in settings.items()},
                   machine=machine(), uptime_start=uptime_start, uptime_end=run(["uptime"]).strip(),
                   started_utc=time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(started)),
                   duration_seconds=time.time() - started, section_seconds=timings, errors=bench.errors,
                   readinto_buffer=READINTO_BUFFER)
    results["settings"]["reps"] = {str(k): v for k, v in settings["reps"].items()}
    if args.only:  # a partial run never replaces the full run's results
        (WORK / "partial.json").write_text(json.dumps(results, indent=1) + "\n")
        log(f"done in {results['duration_seconds'] / 60:.1f} min: {os.path.relpath(WORK / 'partial.json', ROOT)}")
        return 1 if bench.errors else 0
    (RESULTS / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    report.write(results, RESULTS)
    log(f"done in {results['duration_seconds'] / 60:.1f} min: {os.path.relpath(RESULTS / 'results.md', ROOT)}")
    return 1 if bench.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
