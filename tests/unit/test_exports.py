"""The 85 exports of uplink-c v1.14's C API: declared once each in _native, listed in docs/c-api.md.

Our libuplinkc adds functions outside uplink-c's namespace (libuplinkc_version and the upy_ extensions); they
are optional, so an upstream uplink-c v1.14 library (UPLINK_PYTHON_LIBUPLINKC) still loads.
"""

import ctypes
import re
from pathlib import Path

from uplink_python._c import native as _native

from .helpers import build_stub

ROOT = Path(__file__).resolve().parents[2]
C_API = ROOT / "docs" / "c-api.md"


def _documented() -> tuple[list[str], list[str]]:
    """(uplink-c v1.14's functions, our additions) as docs/c-api.md lists them: the repository's own list."""
    upstream, _, ours = C_API.read_text().partition("## Our additions")
    return (re.findall(r"^\| `(\w+)` \| `", upstream, re.M), re.findall(r"^\| `(\w+)` \| `", ours, re.M))


# 59 API functions, 25 free functions and uplink_internal_UniverseIsEmpty.
EXPORTS, OPTIONAL_EXPORTS = _documented()


def test_the_document_lists_85_distinct_exports():
    assert len(EXPORTS) == len(set(EXPORTS)) == 85
    assert sum(name.startswith(("uplink_free_", "edge_free_")) for name in EXPORTS) == 25
    assert OPTIONAL_EXPORTS, "our additions are listed under '## Our additions'"


def test_every_export_is_declared_exactly_once():
    assert set(_native.DECLARATIONS) == set(EXPORTS)


def test_the_document_lists_what_libuplinkc_exports():
    exported = re.findall(r"^//export (\w+)$", "".join(
        path.read_text() for path in (ROOT / "libuplinkc").glob("*.go") if not path.name.endswith("_test.go")), re.M)
    assert len(exported) == len(set(exported))
    assert sorted(exported) == sorted(EXPORTS + OPTIONAL_EXPORTS)


def test_our_additions_are_optional_and_outside_uplink_c_names():
    assert set(_native.OPTIONAL_DECLARATIONS) == set(OPTIONAL_EXPORTS)
    assert not set(OPTIONAL_EXPORTS) & set(EXPORTS)
    assert not any(name.startswith(("uplink_", "edge_")) for name in OPTIONAL_EXPORTS)


def test_an_upstream_library_without_the_version_loads_and_reports_none(unloaded, tmp_path):
    _native.load(build_stub(tmp_path, EXPORTS))
    assert _native.library_version() is None


def test_our_library_reports_its_version(unloaded, tmp_path):
    version = 'const char *libuplinkc_version(void) { return "1.14.0.7"; }\n'
    library = _native.load(build_stub(tmp_path, EXPORTS, version))
    assert library.libuplinkc_version.restype is ctypes.c_char_p
    assert _native.library_version() == "1.14.0.7"
