"""The Python side of the benchmark: the same commands as go/main.go, done through uplink_python.

    python bench_py.py serve --access GRANT     one JSON command per line on stdin, one JSON answer per line
    python bench_py.py rss --access GRANT --direction up|down --bucket B --key K --file F

A command may carry "profile": PATH; the operation then runs under cProfile and the statistics
(sorted by own time, then cumulative) are written to PATH.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import resource
import sys
import threading
import time
from typing import Any, Callable, Optional

from uplink_python import ListObjectsOptions, Uplink

FILE_CHUNK = 4 * 1024 * 1024  # uplink_python's COPY_BUFSIZE, used by write_file/read_file by default


def rusage() -> dict[str, float]:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu_seconds": ru.ru_utime + ru.ru_stime, "voluntary_ctx_switches": ru.ru_nvcsw,
            "involuntary_ctx_switches": ru.ru_nivcsw}


def status_kib(name: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return -1


def open_project(grant: str) -> Any:
    return Uplink().parse_access(grant).open_project()


def upload_bytes(project: Any, bucket: str, key: str, data: Any) -> int:
    upload = project.upload_object(bucket, key)
    try:
        written = upload.write(data)
        upload.commit()
    finally:
        upload.close()  # aborts when not committed
    return written


def upload_file(project: Any, bucket: str, key: str, path: str) -> int:
    with open(path, "rb") as source:
        upload = project.upload_object(bucket, key)
        try:
            written = upload.write_file(source)
            upload.commit()
        finally:
            upload.close()
    return written


def download_bytes(project: Any, bucket: str, key: str, size: int) -> tuple[int, int]:
    """The documented read(size) until the object is complete: a new bytes object, like Go's make+ReadFull."""
    chunks = []
    remaining, calls = size, 0
    with project.download_object(bucket, key) as download:
        while remaining > 0:
            data, count = download.read(remaining)
            calls += 1
            if not count:
                break
            chunks.append(data)
            remaining -= count
    whole = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    return len(whole), calls


def download_into(project: Any, bucket: str, key: str, buffer: bytearray) -> tuple[int, int]:
    total, calls = 0, 0
    with project.download_object(bucket, key) as download:
        while True:
            count = download.readinto(buffer)
            calls += 1
            if not count:
                return total, calls
            total += count


def download_file(project: Any, bucket: str, key: str, path: str) -> tuple[int, int]:
    with open(path, "wb") as target, project.download_object(bucket, key) as download:
        return download.read_file(target), 0


class Bench:
    def __init__(self, project: Any) -> None:
        self.project = project
        self.data: dict[str, bytes] = {}
        self.read_buffer = bytearray(0)

    def contents(self, path: str) -> bytes:
        if path not in self.data:
            with open(path, "rb") as source:
                self.data[path] = source.read()
        return self.data[path]

    def run(self, cmd: dict[str, Any]) -> dict[str, Any]:
        op = cmd["op"]
        handler: Optional[Callable[[dict[str, Any]], dict[str, Any]]] = getattr(self, "op_" + op, None)
        if handler is None:
            raise ValueError(f"unknown op {op!r}")
        return handler(cmd)

    def op_ensure_bucket(self, cmd: dict[str, Any]) -> dict[str, Any]:
        self.project.ensure_bucket(cmd["bucket"])
        return {}

    def op_delete(self, cmd: dict[str, Any]) -> dict[str, Any]:
        for key in cmd["keys"]:
            self.project.delete_object(cmd["bucket"], key)
        return {}

    def op_upload(self, cmd: dict[str, Any]) -> dict[str, Any]:
        data = self.contents(cmd["file"]) if cmd["mode"] == "mem" else None
        profile = cmd.get("profile")
        start = time.perf_counter()
        with profiled(profile):
            if data is not None:
                count = upload_bytes(self.project, cmd["bucket"], cmd["key"], data)
            else:
                count = upload_file(self.project, cmd["bucket"], cmd["key"], cmd["file"])
        return {"seconds": time.perf_counter() - start, "bytes": count}

    def op_download(self, cmd: dict[str, Any]) -> dict[str, Any]:
        mode = cmd["mode"]
        if mode == "readinto" and len(self.read_buffer) != cmd["bufsize"]:
            self.read_buffer = bytearray(cmd["bufsize"])
        start = time.perf_counter()
        with profiled(cmd.get("profile")):
            if mode == "mem":
                count, calls = download_bytes(self.project, cmd["bucket"], cmd["key"], cmd["size"])
            elif mode == "readinto":
                count, calls = download_into(self.project, cmd["bucket"], cmd["key"], self.read_buffer)
            elif mode == "file":
                count, calls = download_file(self.project, cmd["bucket"], cmd["key"], cmd["file"])
            else:
                raise ValueError(f"unknown download mode {mode!r}")
        seconds = time.perf_counter() - start
        if cmd.get("size") and count != cmd["size"]:
            raise RuntimeError(f"downloaded {count} bytes, want {cmd['size']}")
        return {"seconds": seconds, "bytes": count, "read_calls": calls}

    def op_upload_parallel(self, cmd: dict[str, Any]) -> dict[str, Any]:
        data = self.contents(cmd["file"])
        threads_n = cmd["threads"]
        gate = threading.Barrier(threads_n + 1)
        errors: list[BaseException] = []

        def work(index: int) -> None:
            gate.wait()
            try:
                upload_bytes(self.project, cmd["bucket"], f"{cmd['prefix']}{index}", data)
            except BaseException as error:  # reported below, the other threads go on
                errors.append(error)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(threads_n)]
        for thread in threads:
            thread.start()
        gate.wait()
        start = time.perf_counter()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - start
        if errors:
            raise errors[0]
        return {"seconds": seconds, "bytes": len(data) * threads_n}

    def op_stat(self, cmd: dict[str, Any]) -> dict[str, Any]:
        bucket, key = cmd["bucket"], cmd["key"]
        return self.small(cmd, lambda i: self.project.stat_object(bucket, key))

    def op_list(self, cmd: dict[str, Any]) -> dict[str, Any]:
        bucket, options = cmd["bucket"], ListObjectsOptions(prefix=cmd.get("prefix", ""), recursive=True)
        items = []
        result = self.small(cmd, lambda i: items.append(len(self.project.list_objects(bucket, options))))
        result["items"] = items[-1] if items else 0
        return result

    def op_put_small(self, cmd: dict[str, Any]) -> dict[str, Any]:
        payload = bytes(cmd["size"])
        bucket, prefix = cmd["bucket"], cmd["prefix"]
        return self.small(cmd, lambda i: upload_bytes(self.project, bucket, f"{prefix}{i}", payload))

    def op_bucket_cycle(self, cmd: dict[str, Any]) -> dict[str, Any]:
        prefix = cmd["prefix"].lower()

        def cycle(i: int) -> None:
            self.project.create_bucket(f"{prefix}{i}")
            self.project.delete_bucket(f"{prefix}{i}")
        return self.small(cmd, cycle)

    def small(self, cmd: dict[str, Any], call: Callable[[int], Any]) -> dict[str, Any]:
        samples = []
        clock = time.perf_counter
        with profiled(cmd.get("profile")):
            for i in range(cmd["n"]):
                start = clock()
                call(i)
                samples.append(clock() - start)
        return {"samples": samples}


class profiled:
    """cProfile around a block when a path is given; writes the top of the statistics there."""

    def __init__(self, path: Optional[str]) -> None:
        self.path = path
        self.profile = cProfile.Profile() if path else None

    def __enter__(self) -> None:
        if self.profile:
            self.profile.enable()

    def __exit__(self, *exc: object) -> None:
        if not self.profile:
            return
        self.profile.disable()
        text = io.StringIO()
        stats = pstats.Stats(self.profile, stream=text)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(25)
        with open(self.path, "w") as out:  # type: ignore[arg-type]
            out.write(text.getvalue())


def serve(args: argparse.Namespace) -> int:
    bench = Bench(open_project(args.access))
    out = sys.stdout
    out.write(json.dumps({"ready": True, "impl": "python"}) + "\n")
    out.flush()
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["op"] == "quit":
            break
        before = rusage()
        try:
            result = bench.run(cmd)
        except Exception as error:  # reported to run.py, which records it and goes on
            result = {"error": f"{type(error).__name__}: {error}"}
        after = rusage()
        result["usage"] = {name: after[name] - before[name] for name in after}
        out.write(json.dumps(result) + "\n")
        out.flush()
    bench.project.close()
    return 0


def rss(args: argparse.Namespace) -> int:
    project = open_project(args.access)
    baseline = status_kib("VmRSS")
    start = time.perf_counter()
    if args.direction == "up":
        count = upload_file(project, args.bucket, args.key, args.file)
    else:
        count, _ = download_file(project, args.bucket, args.key, args.file)
    seconds = time.perf_counter() - start
    project.close()
    print(json.dumps({"seconds": seconds, "bytes": count, "baseline_rss_kib": baseline,
                      "vmhwm_kib": status_kib("VmHWM"),
                      "ru_maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    serve_parser = sub.add_parser("serve")
    serve_parser.add_argument("--access", required=True)
    rss_parser = sub.add_parser("rss")
    rss_parser.add_argument("--access", required=True)
    rss_parser.add_argument("--direction", choices=["up", "down"], required=True)
    rss_parser.add_argument("--bucket", required=True)
    rss_parser.add_argument("--key", required=True)
    rss_parser.add_argument("--file", required=True)
    args = parser.parse_args(argv)
    return serve(args) if args.command == "serve" else rss(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
