"""The 85 exports of uplink-c v1.14's C API: declared once each in _native, listed in docs/c-api.md.

Our libuplinkc adds functions outside uplink-c's namespace (libuplinkc_version and the upy_ extensions); they
are optional, so an upstream uplink-c v1.14 library (UPLINK_PYTHON_LIBUPLINKC) still loads.
"""

import ctypes
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from uplink_python import _native

# 59 API functions, 25 free functions and uplink_internal_UniverseIsEmpty (names from c-api.md).
EXPORTS = """
    edge_free_credentials edge_free_credentials_result edge_join_share_url edge_register_access
    uplink_abort_upload uplink_access_override_encryption_key uplink_access_satellite_address
    uplink_access_serialize uplink_access_share uplink_begin_upload uplink_bucket_iterator_err
    uplink_bucket_iterator_item uplink_bucket_iterator_next uplink_close_download uplink_close_project
    uplink_commit_upload uplink_config_open_project uplink_config_request_access_with_passphrase
    uplink_copy_object uplink_create_bucket uplink_delete_bucket uplink_delete_bucket_with_objects
    uplink_delete_object uplink_derive_encryption_key uplink_download_info uplink_download_object
    uplink_download_read uplink_ensure_bucket uplink_free_access_result uplink_free_bucket
    uplink_free_bucket_iterator uplink_free_bucket_result uplink_free_commit_upload_result
    uplink_free_download_result uplink_free_encryption_key_result uplink_free_error uplink_free_object
    uplink_free_object_iterator uplink_free_object_result uplink_free_part uplink_free_part_iterator
    uplink_free_part_result uplink_free_part_upload_result uplink_free_project_result uplink_free_read_result
    uplink_free_string_result uplink_free_upload_info uplink_free_upload_info_result
    uplink_free_upload_iterator uplink_free_upload_result uplink_free_write_result
    uplink_internal_UniverseIsEmpty uplink_list_buckets uplink_list_objects uplink_list_upload_parts
    uplink_list_uploads uplink_move_object uplink_object_iterator_err uplink_object_iterator_item
    uplink_object_iterator_next uplink_open_project uplink_parse_access uplink_part_iterator_err
    uplink_part_iterator_item uplink_part_iterator_next uplink_part_upload_abort uplink_part_upload_commit
    uplink_part_upload_info uplink_part_upload_set_etag uplink_part_upload_write
    uplink_request_access_with_passphrase uplink_revoke_access uplink_stat_bucket uplink_stat_object
    uplink_update_object_metadata uplink_upload_abort uplink_upload_commit uplink_upload_info
    uplink_upload_iterator_err uplink_upload_iterator_item uplink_upload_iterator_next uplink_upload_object
    uplink_upload_part uplink_upload_set_custom_metadata uplink_upload_write
""".split()

# What our libuplinkc exports beyond uplink-c v1.14: never required at load time. The upy_ extensions
# (uplink_python_ext.h) in the order of c-api.md's table.
OPTIONAL_EXPORTS = ["libuplinkc_version"] + """
    upy_create_bucket upy_get_bucket_versioning upy_set_bucket_versioning upy_stat_object upy_delete_object
    upy_download_object upy_upload_object upy_upload_commit upy_upload_info upy_list_object_versions
    upy_object_version_iterator_next upy_object_version_iterator_item upy_object_version_iterator_err
    upy_free_object_version_iterator upy_set_object_retention upy_get_object_retention upy_set_object_legal_hold
    upy_get_object_legal_hold upy_get_bucket_object_lock_configuration upy_set_bucket_object_lock_configuration
    upy_delete_objects upy_free_versioned_object upy_free_versioned_object_result upy_free_int_result
    upy_free_retention_result upy_free_object_lock_configuration_result upy_free_delete_objects_result
""".split()

C_API = Path(__file__).resolve().parents[2] / "docs" / "c-api.md"


def test_there_are_85_distinct_exports():
    assert len(EXPORTS) == len(set(EXPORTS)) == 85
    assert sum(name.startswith(("uplink_free_", "edge_free_")) for name in EXPORTS) == 25


def test_every_export_is_declared_exactly_once():
    assert set(_native.DECLARATIONS) == set(EXPORTS)


def test_the_list_matches_the_c_api_document():
    upstream, _, ours = C_API.read_text().partition("## Our additions")
    assert sorted(re.findall(r"^\| `(\w+)` \| `", upstream, re.M)) == sorted(EXPORTS)
    assert re.findall(r"^\| `(\w+)` \| `", ours, re.M) == OPTIONAL_EXPORTS


def test_our_additions_are_optional_and_outside_uplink_c_names():
    assert set(_native.OPTIONAL_DECLARATIONS) == set(OPTIONAL_EXPORTS)
    assert not set(OPTIONAL_EXPORTS) & set(EXPORTS)
    assert not any(name.startswith(("uplink_", "edge_")) for name in OPTIONAL_EXPORTS)


def _stub(directory: Path, body: str) -> Path:
    (directory / "stub.c").write_text(body)
    library = directory / "libstub.so"
    subprocess.run([shutil.which("gcc") or "cc", "-shared", "-fPIC", "-o", str(library), str(directory / "stub.c")],
                   check=True)
    return library


@pytest.fixture
def unloaded(monkeypatch):
    monkeypatch.setattr(_native, "_library", None)
    monkeypatch.setattr(_native, "_library_path", None)
    monkeypatch.delenv(_native.LIBRARY_ENV, raising=False)


def test_an_upstream_library_without_the_version_loads_and_reports_none(unloaded, tmp_path):
    _native.load(_stub(tmp_path, "".join(f"void {name}(void) {{}}\n" for name in EXPORTS)))
    assert _native.library_version() is None


def test_our_library_reports_its_version(unloaded, tmp_path):
    body = "".join(f"void {name}(void) {{}}\n" for name in EXPORTS)
    body += 'const char *libuplinkc_version(void) { return "1.14.0.7"; }\n'
    library = _native.load(_stub(tmp_path, body))
    assert library.libuplinkc_version.restype is ctypes.c_char_p
    assert _native.library_version() == "1.14.0.7"
