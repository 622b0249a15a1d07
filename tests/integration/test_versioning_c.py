"""The upy_ extensions of libuplinkc, from a C program compiled against the installed headers.

The program (c/ext_versioning.c) drives versioning, Object Lock, If-None-Match and DeleteObjects on
the local network, frees every result with its free function and checks the handle table is empty.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from uplink_python._c import native as _native

SOURCE = Path(__file__).resolve().parent / "c" / "ext_versioning.c"


def test_the_extensions_from_c(credentials: dict[str, str], tmp_path: Path) -> None:
    folder = _native.PACKAGE_DIR
    program = tmp_path / "ext_versioning"
    subprocess.run([shutil.which("gcc") or "cc", "-Wall", "-Werror", "-o", str(program), str(SOURCE),
                    f"-I{folder}", f"-L{folder}", "-luplinkc", f"-Wl,-rpath,{folder}"], check=True)
    run = subprocess.run([str(program), credentials["access_grant"]], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and run.stdout == "ok\n", run.stderr
