"""The one place that finds libuplinkc, loads it once per process and declares its functions.

It also knows whether the library is usable in this process: the Go runtime inside it does not survive
``fork()`` (a child has its memory but none of its threads, and a call may hang forever), so in a child
forked after loading, ``lib()`` raises ``ForkedProcessError`` at once, and handles never free.

Each C function is declared once, typed, in ``capi``; this module sets those declarations on the loaded
library, which ``lib()`` returns typed as ``capi.Library``.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from pathlib import Path
from typing import NoReturn, Optional, cast

from . import capi as _capi
from .convert import text
from ..errors import ForkedProcessError, LibUplinkSoError

# Set to a full path to load that library instead of the one inside the package.
LIBRARY_ENV = "UPLINK_PYTHON_LIBUPLINKC"
LIBRARY_NAME = "libuplinkc.dylib" if sys.platform == "darwin" else "libuplinkc.so"
# The package folder, where build_libuplink.sh puts the library (tests point it elsewhere).
PACKAGE_DIR = Path(__file__).resolve().parent.parent

# name: (restype, argtypes), from the typed declarations in capi: the 85 functions of uplink-c v1.14 that
# every library must export, and ours, declared when present and never required.
DECLARATIONS = {name: c for name, c in _capi.DECLARATIONS.items() if name not in _capi.OPTIONAL}
OPTIONAL_DECLARATIONS = {name: c for name, c in _capi.DECLARATIONS.items() if name in _capi.OPTIONAL}

_lock = threading.Lock()
_library: Optional[ctypes.CDLL] = None
_library_path: Optional[Path] = None
# The parent's pid, in a child forked after the library was loaded there; None where the library is usable.
_forked_from: Optional[int] = None


def candidate_paths() -> list[Path]:
    """Where the library is looked for, in order: the environment override, then the package folder."""
    paths = []
    override = os.environ.get(LIBRARY_ENV)
    if override:
        paths.append(Path(override))
    paths.append(PACKAGE_DIR / LIBRARY_NAME)
    return paths


def _declare(library: ctypes.CDLL, path: Path) -> None:
    missing = [name for name in DECLARATIONS if not hasattr(library, name)]
    if missing:
        raise LibUplinkSoError(
            details=f"{path} does not export {len(missing)} function(s) this package needs: {', '.join(missing)}")
    for name, (restype, argtypes) in _capi.DECLARATIONS.items():
        function = getattr(library, name, None)  # only an optional one can be missing here
        if function is not None:
            function.restype = restype
            function.argtypes = argtypes


def load(path: Optional[Path] = None) -> ctypes.CDLL:
    """Loads and declares libuplinkc once per process; later calls return the same library."""
    global _library, _library_path
    with _lock:
        if _library is not None:
            if path is not None and path.resolve() != _library_path:
                # One Go runtime per process: a second libuplinkc cannot be loaded beside the first.
                raise LibUplinkSoError(details=f"{_library_path} is already loaded; cannot also load {path}")
            return _library
        tried = [path] if path is not None else candidate_paths()
        errors = []
        for candidate in tried:
            if not candidate.is_file():
                errors.append(f"{candidate}: no such file")
                continue
            try:
                library = ctypes.CDLL(str(candidate))
            except OSError as exc:
                errors.append(f"{candidate}: {exc}")
                continue
            _declare(library, candidate)
            _library, _library_path = library, candidate.resolve()
            return library
        raise LibUplinkSoError(
            details="tried " + "; ".join(errors)
            + f". Build it with build_libuplink.sh or set {LIBRARY_ENV} to its path.")


def lib() -> _capi.Library:
    """The loaded library (loading it on first use), typed by its declarations in ``capi``."""
    if _forked_from is not None:
        raise_forked()
    return cast(_capi.Library, _library if _library is not None else load())


def usable_here() -> bool:
    """False in a child forked after the library was loaded: nothing there may call into it."""
    return _forked_from is None


def raise_forked() -> NoReturn:
    """Raises the ``ForkedProcessError`` of this forked child."""
    raise ForkedProcessError(details=(
        f"process {os.getpid()} was forked from process {_forked_from} after libuplinkc was loaded there; "
        "the Go runtime does not survive fork(). Use multiprocessing's 'spawn' start method "
        "(multiprocessing.get_context('spawn')) and open the access in the child."))


def _after_fork_in_child() -> None:
    global _forked_from
    if _library is not None:  # a child forked before loading may load the library itself
        _forked_from = os.getppid()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def library_version() -> Optional[str]:
    """The version the loaded libuplinkc reports (libuplinkc_version()), or None for a library without it
    (an upstream uplink-c build)."""
    if not has_function("libuplinkc_version"):
        return None
    value = lib().libuplinkc_version()
    return text(value) if value is not None else None


def has_function(name: str) -> bool:
    """Whether the loaded library exports ``name`` (our additions are missing from an upstream build)."""
    return hasattr(lib(), name)


def has_extensions() -> bool:
    """Whether the loaded library has every ``upy_`` extension: this project's libuplinkc, not upstream's."""
    library = lib()
    return all(hasattr(library, name) for name in OPTIONAL_DECLARATIONS if name.startswith("upy_"))


def loaded_path() -> Optional[Path]:
    """The file the library was loaded from (None before it is loaded)."""
    return _library_path
