"""The Python interpreters on this machine that the package supports, for tests that run code on each."""

from __future__ import annotations

import glob
import os
import subprocess
import sys
from typing import Optional

OLDEST = (3, 9)  # the oldest Python the package supports


def interpreters(newest: Optional[tuple[int, int]] = None) -> dict[str, str]:
    """One interpreter per Python version from ``OLDEST`` (up to ``newest``, when given) found on this
    machine (this one, pyenv's, the system's), by version ("3.11"). Never empty, so a test over it never
    skips."""
    found: dict[str, str] = {"%d.%d" % sys.version_info[:2]: sys.executable}
    pyenv = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    candidates = glob.glob(os.path.join(pyenv, "versions", "3.*", "bin", "python3")) + glob.glob("/usr/bin/python3.*")
    for path in sorted(candidates):
        if not os.access(path, os.X_OK) or path.endswith("-config"):
            continue
        version = subprocess.run([path, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                 capture_output=True, text=True).stdout.strip()
        if version and OLDEST <= tuple(map(int, version.split("."))) <= (newest or (99, 99)):
            found.setdefault(version, path)
    return found
