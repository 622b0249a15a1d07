"""The upy_ extensions without a network: struct layouts against our header, the library's exports, and one
clear error on an upstream library that lacks them."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from uplink_python import versioning

from uplink_python._c import ext_def as _ext_def, native as _native
from uplink_python.errors import ExtensionUnavailableError

from ..layout import layout_from_ctypes, layout_from_gcc, typedef_names
from .test_exports import EXPORTS, OPTIONAL_EXPORTS

EXT_HEADER = Path(__file__).resolve().parents[2] / "libuplinkc" / "uplink_python_ext.h"


def test_ctypes_mirrors_match_the_extension_header(tmp_path):
    assert set(_ext_def.C_STRUCTS) == typedef_names(EXT_HEADER)
    assert layout_from_gcc(EXT_HEADER, tmp_path, _ext_def.C_STRUCTS) == layout_from_ctypes(_ext_def.C_STRUCTS)


def test_the_built_library_exports_exactly_the_declared_extensions():
    library = _native.PACKAGE_DIR / _native.LIBRARY_NAME
    listing = subprocess.run(["nm", "-D", "--defined-only", str(library)], capture_output=True, text=True,
                             check=True).stdout
    exported = set(re.findall(r"^\S+ T (upy_\w+)$", listing, re.M))
    assert exported == set(_native.OPTIONAL_DECLARATIONS) - {"libuplinkc_version"} == set(OPTIONAL_EXPORTS) - {"libuplinkc_version"}


def test_an_upstream_library_raises_one_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(_native, "_library", None)
    monkeypatch.setattr(_native, "_library_path", None)
    (tmp_path / "stub.c").write_text("".join(f"void {name}(void) {{}}\n" for name in EXPORTS))
    stub = tmp_path / "libstub.so"
    subprocess.run([shutil.which("gcc") or "cc", "-shared", "-fPIC", "-o", str(stub), str(tmp_path / "stub.c")],
                   check=True)
    _native.load(stub)
    assert not versioning.available()
    with pytest.raises(ExtensionUnavailableError) as caught:
        versioning.require()
    assert isinstance(caught.value, NotImplementedError)
    assert "uplink_python's own libuplinkc" in str(caught.value) and "upy_ extensions" in str(caught.value)
