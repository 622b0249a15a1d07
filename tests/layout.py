"""Struct layout as gcc sees it, to compare with the ctypes structs of module_def."""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
from pathlib import Path
from typing import Optional

from uplink_python._c.structs import C_STRUCTS

# Our C header, in the repository: the one the layout tests compile against, built or not.
REPO_HEADER = Path(__file__).resolve().parent.parent / "libuplinkc" / "uplink_definitions.h"

_C_TYPES = {ctypes.c_char_p: "char *", ctypes.c_bool: "bool", ctypes.c_int32: "int32_t",
            ctypes.c_int64: "int64_t", ctypes.c_uint32: "uint32_t", ctypes.c_size_t: "size_t"}


def declarations_from_ctypes() -> str:
    """C declarations written from the ctypes structs (what they claim the header says)."""
    lines = ["#include <stdbool.h>", "#include <stdint.h>", "#include <stdlib.h>"]
    names = {cls: name for name, cls in C_STRUCTS.items()}
    for name, cls in C_STRUCTS.items():
        fields = []
        for field, ctype in cls._fields_:
            if ctype in _C_TYPES:
                fields.append(f"{_C_TYPES[ctype]} {field};")
            elif ctype in names:
                fields.append(f"{names[ctype]} {field};")
            else:  # a pointer: its target does not change the layout
                fields.append(f"void *{field};")
        lines.append(f"typedef struct {name} {{ {' '.join(fields)} }} {name};")
    return "\n".join(lines) + "\n"


def layout_from_gcc(header: Path, workdir: Path,
                    structs: Optional[dict[str, type[ctypes.Structure]]] = None) -> dict[str, tuple[int, dict[str, int]]]:
    """{struct: (sizeof, {field: offsetof})} for every struct of ``structs`` (default C_STRUCTS), compiled
    against ``header``."""
    prints = []
    for name, cls in (C_STRUCTS if structs is None else structs).items():
        prints.append(f'printf("S {name} %zu\\n", sizeof({name}));')
        prints += [f'printf("F {name} {field} %zu\\n", offsetof({name}, {field}));' for field, _ in cls._fields_]
    source = workdir / "layout.c"
    source.write_text(f'#include <stddef.h>\n#include <stdio.h>\n#include "{header.resolve()}"\n'
                      f"int main(void) {{ {' '.join(prints)} return 0; }}\n")
    program = workdir / "layout"
    subprocess.run([shutil.which("gcc") or "cc", "-o", str(program), str(source)], check=True)
    layout: dict[str, tuple[int, dict[str, int]]] = {}
    for line in subprocess.run([str(program)], check=True, capture_output=True, text=True).stdout.splitlines():
        kind, name, *rest = line.split()
        if kind == "S":
            layout[name] = (int(rest[0]), {})
        else:
            layout[name][1][rest[0]] = int(rest[1])
    return layout


def typedef_names(header: Path) -> set[str]:
    """Names of the structs ``header`` typedefs (``typedef struct X {...} X;``)."""
    return set(re.findall(r"typedef\s+struct\s+(\w+)\s*\{[^}]*\}\s*\1\s*;", header.read_text()))


def layout_from_ctypes(structs: Optional[dict[str, type[ctypes.Structure]]] = None) -> dict[str, tuple[int, dict[str, int]]]:
    return {name: (ctypes.sizeof(cls), {field: getattr(cls, field).offset for field, _ in cls._fields_})
            for name, cls in (C_STRUCTS if structs is None else structs).items()}
