"""What setup.py and the in-tree build backend (tools/build_backend.py) share: where build_libuplink.sh
puts libuplinkc for a build, the one-line check that it can be built (or is already there), running the
script, and the wheel's platform tag read from the library's ELF headers (its glibc symbol versions).

The target: UPLINK_PYTHON_TARGET unset builds with the machine's C compiler into uplink_python/ (what the
tests use); UPLINK_PYTHON_TARGET=manylinux2014_x86_64 / manylinux2014_aarch64 / manylinux_2_<minor>_<arch>
builds with zig cc for that glibc into .build/libuplinkc/<target>/.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "build_libuplink.sh"
TARGET_ENV = "UPLINK_PYTHON_TARGET"
LIBRARY = "libuplinkc.so"
HEADERS = ("libuplinkc.h", "uplink_definitions.h", "uplink_python_ext.h")
LICENSES = "LICENSES.txt"
# The name of the collected licence texts inside the package (beside the library).
PACKAGED_LICENSES = "libuplinkc-LICENSES.txt"

_TARGET = re.compile(r"^(?:manylinux2014_(x86_64|aarch64)|manylinux_2_(\d+)_(x86_64|aarch64))$")
_MACHINES = {62: "x86_64", 183: "aarch64"}
# The oldest glibc a manylinux tag can name for these architectures (manylinux2014 for aarch64).
_MIN_GLIBC_MINOR = 17


def package_version() -> str:
    """uplink_python's version, from its one place (the ``__version__`` line of uplink_python/__init__.py)."""
    match = re.search(r'^__version__ = "([^"]+)"$', (ROOT / "uplink_python" / "__init__.py").read_text(), re.M)
    if not match:
        raise SystemExit("uplink_python: no __version__ line in uplink_python/__init__.py")
    return match.group(1)


def target() -> Optional[str]:
    return os.environ.get(TARGET_ENV) or None


def target_glibc_minor(name: str) -> int:
    match = _TARGET.match(name)
    if not match:
        raise SystemExit(f"uplink_python: {TARGET_ENV}={name} is not manylinux2014_<arch> or "
                         "manylinux_2_<minor>_<arch> with <arch> x86_64 or aarch64")
    return 17 if match.group(1) else int(match.group(2))


def library_dir() -> Path:
    """The folder build_libuplink.sh builds into for the current target."""
    name = target()
    if name is None:
        return ROOT / "uplink_python"
    target_glibc_minor(name)
    return ROOT / ".build" / "libuplinkc" / name


def licenses_file() -> Path:
    name = target()
    return (ROOT / ".build" / "libuplinkc" / "host" / LICENSES) if name is None else library_dir() / LICENSES


def needs_zig() -> bool:
    """A target build without a C compiler given or found: the build environment should get ziglang."""
    return (target() is not None and not os.environ.get("LIBUPLINKC_CC") and not os.environ.get("ZIG")
            and shutil.which("zig") is None)


def check_can_build() -> None:
    """Stops with one line when the library is neither built nor buildable here (no Go)."""
    if target() is not None:
        target_glibc_minor(target() or "")
    folder = library_dir()
    if shutil.which("go") is None and not (folder / LIBRARY).is_file():
        where = folder.relative_to(ROOT) / LIBRARY
        raise SystemExit(
            f"uplink_python: installing from source builds libuplinkc.so with Go >= 1.25 (https://go.dev/dl/) and a "
            f"C compiler, but `go` is not on PATH and there is no prebuilt {where}; install Go, or install a "
            f"uplink_python wheel instead.")


def build_library() -> Path:
    """Runs build_libuplink.sh when Go is there (it does nothing when up to date); returns the library folder."""
    check_can_build()
    folder = library_dir()
    if shutil.which("go") is not None:
        environment = dict(os.environ, PYTHON=sys.executable)
        result = subprocess.run(["bash", str(SCRIPT)], env=environment, stdout=sys.stderr, stderr=subprocess.PIPE,
                                text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stderr)
            lines = result.stderr.strip().splitlines() or ["build_libuplink.sh failed"]
            raise SystemExit(f"uplink_python: libuplinkc.so could not be built: {lines[0]}")
    missing = [name for name in (LIBRARY, *HEADERS) if not (folder / name).is_file()]
    if missing:
        raise SystemExit(f"uplink_python: {folder} lacks {', '.join(missing)}; run build_libuplink.sh with Go")
    if not licenses_file().is_file():
        raise SystemExit(f"uplink_python: {licenses_file()} (licences of what libuplinkc links) is missing; "
                         "run build_libuplink.sh with Go to collect them")
    return folder


def _elf_glibc(path: Path) -> tuple[str, int, set[str]]:
    """(architecture, highest GLIBC_2.x minor it needs, needed libraries) from an ELF shared library."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise SystemExit(f"uplink_python: {path} is not a little-endian 64-bit ELF file")
    machine = struct.unpack_from("<H", data, 18)[0]
    if machine not in _MACHINES:
        raise SystemExit(f"uplink_python: {path} is built for ELF machine {machine}, not x86_64 or aarch64")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    minor, needed = 0, set()
    for _name, kind, _flags, _addr, offset, size, link, info, _align, _entsize in sections:
        strtab = sections[link][4]

        def string(at: int) -> str:
            return data[strtab + at:data.index(b"\0", strtab + at)].decode()

        if kind == 0x6FFFFFFE:  # SHT_GNU_verneed: the symbol versions the library needs, per library
            at = offset
            for _ in range(info):
                _version, count, file, aux, following = struct.unpack_from("<HHIII", data, at)
                needed.add(string(file))
                at_aux = at + aux
                for _ in range(count):
                    _hash, _flags2, _other, name, next_aux = struct.unpack_from("<IHHII", data, at_aux)
                    match = re.fullmatch(r"GLIBC_2\.(\d+)(?:\.\d+)?", string(name))
                    if match:
                        minor = max(minor, int(match.group(1)))
                    at_aux += next_aux
                at += following
    return _MACHINES[machine], minor, needed


def platform_tag(library: Path) -> str:
    """The manylinux tag the library's glibc symbol versions allow (never older than the target asked for)."""
    arch, minor, _ = _elf_glibc(library)
    minor = max(minor, _MIN_GLIBC_MINOR)
    name = target()
    if name is not None:
        minor = max(minor, target_glibc_minor(name))
        if not name.endswith(arch):
            raise SystemExit(f"uplink_python: {library} is {arch}, but {TARGET_ENV}={name}")
    tag = f"manylinux_2_{minor}_{arch}"
    return f"{tag}.manylinux2014_{arch}" if minor == 17 else tag
