#!/usr/bin/env python3
"""Collects the licence texts of everything linked into a Go-built binary (libuplinkc.so, the testnet
executable) into one text file.

The list of modules comes from the library itself (`go version -m libuplinkc.so`: the Go version and
every module the linker used, with replacements), their sources from the Go module cache
(`go mod download -json module@version`, offline when the build has just used them), and the texts
from each module's root (LICENSE*, LICENCE*, COPYING*, NOTICE*, PATENTS*). Go's own licence comes
from `go env GOROOT`. A module without a licence file fails the build: nothing is written by hand.

Run by build_libuplink.sh from libuplinkc/ after `go build`:
    python3 tools/collect_licenses.py --library libuplinkc.so --output LICENSES.txt --project-license LICENSE
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

LICENCE_PREFIXES = ("LICENSE", "LICENCE", "COPYING", "NOTICE", "PATENTS", "UNLICENSE")
RULE = "=" * 100


def go(*args: str) -> str:
    result = subprocess.run(["go", *args], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"collect_licenses: go {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def linked_modules(library: Path) -> tuple[str, str, list[tuple[str, str]]]:
    """(Go version, main module path, [(module path, version)] as built, replacements applied)."""
    go_version, main, modules = "", "", []
    for line in go("version", "-m", str(library)).splitlines():
        fields = line.split("\t")
        if not line.startswith("\t"):
            go_version = line.rsplit(" ", 1)[-1]
        elif fields[1] == "mod":
            main = fields[2]
        elif fields[1] == "dep":
            modules.append((fields[2], fields[3]))
        elif fields[1] == "=>" and modules:
            # The replacement is what was linked: its text is the one that applies.
            path, _ = modules.pop()
            modules.append((fields[2], fields[3]) if len(fields) > 3 and fields[3] else (path, fields[2]))
    if not go_version or not main:
        sys.exit(f"collect_licenses: {library} carries no Go build information")
    return go_version, main, modules


def module_dirs(modules: list[tuple[str, str]]) -> dict[tuple[str, str], Path]:
    if not modules:
        return {}
    output = go("mod", "download", "-json", *(f"{path}@{version}" for path, version in modules))
    decoder, dirs, at = json.JSONDecoder(), {}, 0
    while output[at:].strip():
        at += len(output[at:]) - len(output[at:].lstrip())
        info, at = decoder.raw_decode(output, at)
        if info.get("Error") or not info.get("Dir"):
            sys.exit(f"collect_licenses: cannot find {info.get('Path')}@{info.get('Version')}: {info.get('Error')}")
        dirs[(info["Path"], info["Version"])] = Path(info["Dir"])
    return dirs


def licence_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.upper().startswith(LICENCE_PREFIXES))


def section(title: str, files: list[Path]) -> str:
    parts = [f"{RULE}\n{title}\n{RULE}\n"]
    for file in files:
        parts.append(f"--- {file.name} ---\n{file.read_text(encoding='utf-8', errors='replace').rstrip()}\n\n")
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path, required=True, help="the Go-built shared library or executable")
    parser.add_argument("--output", type=Path, required=True, help="the text file to write")
    parser.add_argument("--project-license", type=Path, required=True, help="the licence of the main module")
    parser.add_argument("--extra", action="append", default=[], metavar="TITLE=FILE",
                        help="another linked component's licence (e.g. the C toolchain's runtime)")
    parser.add_argument("--component", default="libuplinkc", help="what the main module is, for its title")
    args = parser.parse_args()

    go_version, main_module, modules = linked_modules(args.library)
    dirs = module_dirs(modules)
    goroot = Path(go("env", "GOROOT").strip())

    sections = [section(f"{main_module} ({args.component}, this project)", [args.project_license]),
                section(f"Go {go_version} (runtime and standard library)", licence_files(goroot))]
    without = []
    for path, version in modules:
        files = licence_files(dirs[(path, version)])
        if not files:
            without.append(f"{path}@{version}")
        sections.append(section(f"{path} {version}", files))
    for extra in args.extra:
        title, _, file = extra.partition("=")
        sections.append(section(title, [Path(file)]))
    if without:
        sys.exit(f"collect_licenses: no licence file in the module root of: {', '.join(without)}")

    header = (f"Licences of the software linked into {args.library.name}: this project, Go {go_version} and the "
              f"{len(modules)} Go modules that `go version -m {args.library.name}` lists, collected at build "
              f"time by tools/collect_licenses.py from the Go module cache.\n\n"
              + "".join(f"  {path} {version}\n" for path, version in modules) + "\n")
    args.output.write_text(header + "\n".join(sections), encoding="utf-8")
    print(f"collect_licenses: {len(modules)} modules + Go + this project -> {args.output}")


if __name__ == "__main__":
    main()
