"""Loading: real shared objects built with gcc stand in for libuplinkc (no Go needed)."""

import ctypes
from pathlib import Path

import pytest

import uplink_python
from uplink_python._c import native as _native
from uplink_python.errors import LibUplinkSoError

from .helpers import build_stub


def test_missing_library_lists_every_path_tried(unloaded, monkeypatch, tmp_path):
    # An empty package folder: whether a built library sits in the real one must not matter.
    package = tmp_path / "package"
    package.mkdir()
    monkeypatch.setattr(_native, "PACKAGE_DIR", package)
    monkeypatch.setenv(_native.LIBRARY_ENV, str(tmp_path / "nowhere.so"))
    with pytest.raises(LibUplinkSoError) as caught:
        _native.load()
    message = str(caught.value)
    assert str(tmp_path / "nowhere.so") in message
    assert str(package / _native.LIBRARY_NAME) in message


def test_the_package_folder_is_searched_after_the_override(monkeypatch):
    monkeypatch.delenv(_native.LIBRARY_ENV, raising=False)
    assert _native.candidate_paths() == [Path(uplink_python.__file__).resolve().parent / _native.LIBRARY_NAME]


def test_env_override_comes_first_and_every_function_is_declared_once(unloaded, monkeypatch, tmp_path):
    library_path = build_stub(tmp_path, _native.DECLARATIONS)
    monkeypatch.setenv(_native.LIBRARY_ENV, str(library_path))
    library = _native.load()
    assert _native.load() is library and _native.lib() is library  # once per process
    for name, (restype, argtypes) in _native.DECLARATIONS.items():
        function = getattr(library, name)
        assert function.restype is restype and function.argtypes == argtypes, name


def test_library_lacking_functions_names_them_and_the_path(unloaded, tmp_path):
    present = [name for name in _native.DECLARATIONS if name != "uplink_upload_write" and name != "uplink_free_error"]
    library_path = build_stub(tmp_path, present)
    with pytest.raises(LibUplinkSoError) as caught:
        _native.load(library_path)
    assert "uplink_upload_write" in str(caught.value) and "uplink_free_error" in str(caught.value)
    assert str(library_path) in str(caught.value)


def test_file_that_is_not_a_library_reports_the_loader_error(unloaded, tmp_path):
    bogus = tmp_path / "libuplinkc.so"
    bogus.write_bytes(b"not an ELF file")
    with pytest.raises(LibUplinkSoError, match="libuplinkc.so"):
        _native.load(bogus)


def test_second_library_in_one_process_is_refused(unloaded, tmp_path):
    first = build_stub(tmp_path, _native.DECLARATIONS)
    _native.load(first)
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(LibUplinkSoError, match="already loaded"):
        _native.load(build_stub(other, _native.DECLARATIONS))


def test_every_function_has_exactly_one_declaration_in_the_package():
    package = Path(_native.__file__).parent.parent
    assigning = [str(p.relative_to(package)) for p in package.rglob("*.py") if ".argtypes =" in p.read_text()]
    assert assigning == ["_c/native.py"]
    assert all(isinstance(argtypes, list) for _, argtypes in _native.DECLARATIONS.values())
    assert ctypes.sizeof(ctypes.c_void_p) == 8, "the declarations assume a 64-bit platform"
