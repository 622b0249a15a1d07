"""The public API through real ctypes calls into a C test double (no MagicMock in between)."""

import ctypes
import gc
import hashlib
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from uplink_python._c import native as _native
from uplink_python.errors import PermissionDeniedError
from uplink_python.module_classes import Config, CustomMetadata, CustomMetadataEntry, DownloadOptions
from uplink_python.uplink import Uplink

from ..layout import declarations_from_ctypes

STUB = Path(__file__).with_name("stub_libuplinkc.c")


@pytest.fixture
def stub(monkeypatch, tmp_path):
    """The stub, loaded as libuplinkc; every declared function it does not implement is an empty symbol."""
    source = STUB.read_text()
    implemented = set(re.findall(r"^\S.*?\b(uplink_\w+)\(", source, re.M))
    rest = "".join(f"void {name}(void) {{}}\n" for name in _native.DECLARATIONS if name not in implemented)
    (tmp_path / "stub.c").write_text(declarations_from_ctypes() + "typedef struct UplinkHandle { size_t _handle; } "
                                     "UplinkHandle;\n" + source + rest)
    library = tmp_path / "libuplinkc.so"
    subprocess.run([shutil.which("gcc") or "cc", "-shared", "-fPIC", "-Wall", "-Werror", "-Wno-unused-parameter",
                    "-o", str(library), str(tmp_path / "stub.c")], check=True)
    monkeypatch.setattr(_native, "_library", None)
    monkeypatch.setattr(_native, "_library_path", None)
    uplink = Uplink(str(library))
    raw = ctypes.CDLL(str(library))
    raw.stub_last_user_agent.restype = ctypes.c_char_p
    yield uplink, raw
    gc.collect()
    assert raw.stub_live() == 0


def test_round_trip_through_real_ctypes_calls(stub):
    uplink, raw = stub
    data = bytes(range(256)) * 40 + b"tail"  # 10244 bytes: many short writes and reads
    access = uplink.parse_access("1AccessString")
    assert access.serialize() == "1SerializedByStub"
    project = access.config_open_project(Config(user_agent="abi-test", dial_timeout_milliseconds=2500))
    assert (raw.stub_last_user_agent(), raw.stub_last_dial_timeout()) == (b"abi-test", 2500)

    upload = project.upload_object("bucket", "key")
    assert upload.write(memoryview(data)) == len(data)
    upload.set_custom_metadata(CustomMetadata([CustomMetadataEntry(key="naïve key", value="ünï ✓")]))
    upload.commit()

    obj = project.stat_object("bucket", "key")
    assert obj.key == "key" and obj.system.content_length == len(data)
    assert obj.custom.to_mapping() == {"naïve key": "ünï ✓"}

    download = project.download_object("bucket", "key")
    target = io.BytesIO()
    assert download.read_file(target, buffer_size=4096) == len(data)
    assert hashlib.sha256(target.getvalue()).digest() == hashlib.sha256(data).digest()
    assert download.read(10) == (b"", 0)  # EOF stays the end, not an error

    ranged = project.download_object("bucket", "key", DownloadOptions(offset=10240, length=-1))
    assert ranged.read(100) == (b"tail", 4)

    for resource in (upload, download, ranged, project, access):
        resource.close()
    assert uplink.internal_universe_is_empty()


def test_error_struct_from_c_becomes_the_typed_exception_and_is_freed(stub):
    uplink, raw = stub
    with pytest.raises(PermissionDeniedError, match="access refused by stub"):
        uplink.parse_access("refused")
    assert raw.stub_live() == 0
