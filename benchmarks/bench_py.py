"""The Python side of the benchmark: the same commands as go/main.go, done through uplink_python.

    python bench_py.py serve --access GRANT     one JSON command per line on stdin, one JSON answer per line
    python bench_py.py rss --access GRANT --direction up|down --bucket B --key K --file F

A command may carry "profile": PATH; the operation then runs under cProfile and the statistics
(sorted by own time, then cumulative) are written to PATH.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pstats
import resource
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Optional

from uplink_python import ListObjectsOptions, Uplink

FILE_CHUNK = 4 * 1024 * 1024  # uplink_python's COPY_BUFSIZE, used by write_file/read_file by default


def rusage() -> dict[str, float]:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu_seconds": ru.ru_utime + ru.ru_stime, "voluntary_ctx_switches": ru.ru_nvcsw,
            "involuntary_ctx_switches": ru.ru_nivcsw}


def thread_sleeps() -> Optional[int]:
    """The calling thread's voluntary context switches so far (None where the OS has no per-thread usage)."""
    who = getattr(resource, "RUSAGE_THREAD", None)
    return None if who is None else resource.getrusage(who).ru_nvcsw


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


class TimedFile:
    """A binary file whose read/readinto/write calls are timed (how much of a file transfer is file I/O)."""

    def __init__(self, file: Any) -> None:
        self.file = file
        self.seconds = 0.0

    def readinto(self, buffer: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.file.readinto(buffer)
        finally:
            self.seconds += time.perf_counter() - start

    def read(self, size: int = -1) -> Any:
        start = time.perf_counter()
        try:
            return self.file.read(size)
        finally:
            self.seconds += time.perf_counter() - start

    def write(self, data: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.file.write(data)
        finally:
            self.seconds += time.perf_counter() - start


def upload_file(project: Any, bucket: str, key: str, path: str, io_time: Optional[list[float]] = None) -> int:
    with open(path, "rb") as source:
        timed = TimedFile(source)
        upload = project.upload_object(bucket, key)
        try:
            written = upload.write_file(timed)
            upload.commit()
        finally:
            upload.close()
    if io_time is not None:
        io_time.append(timed.seconds)
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


def download_file(project: Any, bucket: str, key: str, path: str,
                  io_time: Optional[list[float]] = None) -> tuple[int, int]:
    with open(path, "wb") as target, project.download_object(bucket, key) as download:
        timed = TimedFile(target)
        count = download.read_file(timed)
    if io_time is not None:
        io_time.append(timed.seconds)
    return count, 0


class Bench:
    def __init__(self, project: Any, grant: str) -> None:
        self.project = project
        self.grant = grant  # many_small's aio side opens its own projects from it
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
            io_time: list[float] = []
            if data is not None:
                count = upload_bytes(self.project, cmd["bucket"], cmd["key"], data)
            else:
                count = upload_file(self.project, cmd["bucket"], cmd["key"], cmd["file"], io_time)
        return {"seconds": time.perf_counter() - start, "bytes": count, "file_io_seconds": sum(io_time)}

    def op_download(self, cmd: dict[str, Any]) -> dict[str, Any]:
        mode = cmd["mode"]
        if mode == "readinto" and len(self.read_buffer) != cmd["bufsize"]:
            self.read_buffer = bytearray(cmd["bufsize"])
        start = time.perf_counter()
        io_time: list[float] = []
        with profiled(cmd.get("profile")):
            if mode == "mem":
                count, calls = download_bytes(self.project, cmd["bucket"], cmd["key"], cmd["size"])
            elif mode == "readinto":
                count, calls = download_into(self.project, cmd["bucket"], cmd["key"], self.read_buffer)
            elif mode == "file":
                count, calls = download_file(self.project, cmd["bucket"], cmd["key"], cmd["file"], io_time)
            else:
                raise ValueError(f"unknown download mode {mode!r}")
        seconds = time.perf_counter() - start
        if cmd.get("size") and count != cmd["size"]:
            raise RuntimeError(f"downloaded {count} bytes, want {cmd['size']}")
        return {"seconds": seconds, "bytes": count, "read_calls": calls, "file_io_seconds": sum(io_time)}

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

    def op_many_small(self, cmd: dict[str, Any]) -> dict[str, Any]:
        """cmd["n"] objects of cmd["size"] bytes uploaded, stat'ed and downloaded through uplink_python.aio, at
        most cmd["concurrency"] at a time (or, concurrency 1, one by one with the sync API); each phase timed."""
        import asyncio
        payloads = [hashlib.sha256(b"%d" % i).digest() * (cmd["size"] // 32) for i in range(cmd["n"])]
        keys = [f"{cmd['prefix']}{i}" for i in range(cmd["n"])]
        if cmd["concurrency"] == 1:
            return self.many_small_sync(cmd["bucket"], keys, payloads)
        return asyncio.run(many_small_aio(self.grant, cmd["bucket"], keys, payloads, cmd["concurrency"]))

    def many_small_sync(self, bucket: str, keys: list[str], payloads: list[bytes]) -> dict[str, Any]:
        project = self.project
        phases: dict[str, float] = {}
        start = time.perf_counter()
        for key, data in zip(keys, payloads):
            upload_bytes(project, bucket, key, data)
        phases["upload_seconds"] = time.perf_counter() - start
        start = time.perf_counter()
        sizes = [project.stat_object(bucket, key).system.content_length for key in keys]
        phases["stat_seconds"] = time.perf_counter() - start
        start = time.perf_counter()
        read = []
        for key in keys:
            with project.download_object(bucket, key) as download:
                read.append(download.read(len(payloads[0]) + 1)[0])
        phases["download_seconds"] = time.perf_counter() - start
        return check_many_small(phases, payloads, sizes, read)

    # Diagnostics: the same small calls straight through ctypes, without the wrapper's Python code (argument
    # checks, handle bookkeeping, result conversion). Go < raw < wrapper splits the cost between the C layer
    # (libuplinkc + cgo) and uplink_python's Python code.

    def op_stat_raw(self, cmd: dict[str, Any]) -> dict[str, Any]:
        library, handle = native()
        project = handle(self.project)
        bucket, key = cmd["bucket"].encode(), cmd["key"].encode()
        from uplink_python import versioning
        # the function Project.stat_object calls with this library
        stat, free, version = ((library.upy_stat_object, library.upy_free_versioned_object_result, (None, 0))
                               if versioning.available() else
                               (library.uplink_stat_object, library.uplink_free_object_result, ()))

        def call(i: int) -> None:
            result = stat(project, bucket, key, *version)
            failed = bool(result.error)
            free(result)
            if failed:
                raise RuntimeError(f"{stat.__name__} failed")
        return self.small(cmd, call)

    def op_list_raw(self, cmd: dict[str, Any]) -> dict[str, Any]:
        library, handle = native()
        project = handle(self.project)
        bucket = cmd["bucket"].encode()
        options = native_list_options(cmd.get("prefix", ""))
        counts = []

        def call(i: int) -> None:
            iterator = library.uplink_list_objects(project, bucket, options)
            count = 0
            while library.uplink_object_iterator_next(iterator):
                library.uplink_free_object(library.uplink_object_iterator_item(iterator))
                count += 1
            error = library.uplink_object_iterator_err(iterator)
            library.uplink_free_object_iterator(iterator)
            if error:
                library.uplink_free_error(error)
                raise RuntimeError("listing failed")
            counts.append(count)
        result = self.small(cmd, call)
        result["items"] = counts[-1] if counts else 0
        return result

    def op_put_small_raw(self, cmd: dict[str, Any]) -> dict[str, Any]:
        import ctypes
        library, handle = native()
        project = handle(self.project)
        bucket, prefix = cmd["bucket"].encode(), cmd["prefix"]
        payload = ctypes.create_string_buffer(cmd["size"])
        address, size = ctypes.addressof(payload), cmd["size"]

        def call(i: int) -> None:
            result = library.uplink_upload_object(project, bucket, f"{prefix}{i}".encode(), None)
            try:
                if result.error:
                    raise RuntimeError("uplink_upload_object failed")
                written = library.uplink_upload_write(result.upload, address, size)
                failed = bool(written.error) or written.bytes_written != size
                library.uplink_free_write_result(written)
                if failed:
                    raise RuntimeError("uplink_upload_write failed")
                error = library.uplink_upload_commit(result.upload)
                if error:
                    library.uplink_free_error(error)
                    raise RuntimeError("uplink_upload_commit failed")
            finally:
                library.uplink_free_upload_result(result)
        return self.small(cmd, call)

    def op_bucket_cycle_raw(self, cmd: dict[str, Any]) -> dict[str, Any]:
        library, handle = native()
        project = handle(self.project)
        prefix = cmd["prefix"].lower()

        def call(i: int) -> None:
            name = f"{prefix}{i}".encode()
            for function in (library.uplink_create_bucket, library.uplink_delete_bucket):
                result = function(project, name)
                failed = bool(result.error)
                library.uplink_free_bucket_result(result)
                if failed:
                    raise RuntimeError(f"{function.__name__} failed")
        return self.small(cmd, call)

    def small(self, cmd: dict[str, Any], call: Callable[[int], Any]) -> dict[str, Any]:
        """Times each call; also counts how often the calling thread itself went to sleep (its voluntary
        context switches): each is a wait for the network that the kernel had to wake this thread from."""
        samples = []
        clock = time.perf_counter
        sleeps_before = thread_sleeps()
        with profiled(cmd.get("profile")):
            for i in range(cmd["n"]):
                start = clock()
                call(i)
                samples.append(clock() - start)
        result: dict[str, Any] = {"samples": samples}
        if sleeps_before is not None:
            result["caller_thread_sleeps"] = thread_sleeps() - sleeps_before  # type: ignore[operator]
        return result


async def many_small_aio(grant: str, bucket: str, keys: list[str], payloads: list[bytes],
                         concurrency: int) -> dict[str, Any]:
    """The aio side of many_small: each phase is one asyncio.gather of every object, bounded by the runner."""
    import asyncio
    from uplink_python.aio import AsyncUplink

    async def put(key: str, data: bytes) -> None:
        async with project.upload_object(bucket, key) as upload:
            await upload.write(data)

    async def stat(key: str) -> int:
        return (await project.stat_object(bucket, key)).system.content_length

    async def get(key: str) -> bytes:
        async with project.download_object(bucket, key) as download:
            return (await download.read(len(payloads[0]) + 1))[0]

    uplink = AsyncUplink(max_concurrency=concurrency)
    access = await uplink.parse_access(grant)
    phases: dict[str, float] = {}
    try:
        async with access.open_project() as project:
            await asyncio.gather(*(project.stat_bucket(bucket) for _ in range(concurrency)))  # connections open
            start = time.perf_counter()
            await asyncio.gather(*(put(key, data) for key, data in zip(keys, payloads)))
            phases["upload_seconds"] = time.perf_counter() - start
            start = time.perf_counter()
            sizes = await asyncio.gather(*(stat(key) for key in keys))
            phases["stat_seconds"] = time.perf_counter() - start
            start = time.perf_counter()
            read = await asyncio.gather(*(get(key) for key in keys))
            phases["download_seconds"] = time.perf_counter() - start
    finally:
        await access.close()
        uplink.runner.shutdown()
    return check_many_small(phases, payloads, list(sizes), list(read))


def check_many_small(phases: dict[str, float], payloads: list[bytes], sizes: list[int],
                     read: list[bytes]) -> dict[str, Any]:
    if sizes != [len(p) for p in payloads]:
        raise RuntimeError("stat_object sizes differ from the uploaded sizes")
    if [hashlib.sha256(r).digest() for r in read] != [hashlib.sha256(p).digest() for p in payloads]:
        raise RuntimeError("downloaded objects differ from the uploaded ones (SHA-256)")
    phases["seconds"] = sum(phases.values())
    return phases


def native() -> tuple[Any, Callable[[Any], Any]]:
    """The loaded library and a function giving an open Project's C handle (uplink_python internals)."""
    from uplink_python._c.native import lib
    return lib(), lambda project: getattr(project._result, project._handle_field)


def native_list_options(prefix: str) -> Any:
    from uplink_python._c import structs as module_def
    return module_def._UplinkListObjectsOptions(prefix=prefix.encode(), cursor=b"", recursive=True,
                                                system=False, custom=False)


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
        with open(self.path, "w") as out:  # type: ignore[arg-type]
            out.write(profile_table(self.profile))


def profile_table(profile: cProfile.Profile, top: int = 25) -> str:
    """cProfile's statistics in microseconds, by own time. ctypes calls into libuplinkc are not profiled on
    their own: their time is the own time of the Python function that makes the call."""
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    rows = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)
    total = max((ct for (_, _, _, ct, _) in stats.values()), default=0.0)
    lines = [f"cProfile, {total * 1e3:.1f} ms under the outermost call; own time = time in that function's "
             "own code, including the C calls it makes (ctypes calls are not separate entries)", "",
             f"{'function':<64} {'calls':>7} {'own ms':>9} {'own us/call':>12} {'cum ms':>9}"]
    root = str(Path(__file__).resolve().parent.parent) + "/"
    for (file, line, name), (_, calls, own, cum, _) in rows[:top]:
        where = f"{file.replace(root, '')}:{line}({name})" if line else name
        lines.append(f"{where[-64:]:<64} {calls:>7} {own * 1e3:>9.2f} {own / calls * 1e6:>12.1f} {cum * 1e3:>9.2f}")
    return "\n".join(lines) + "\n"


def serve(args: argparse.Namespace) -> int:
    bench = Bench(open_project(args.access), args.access)
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
