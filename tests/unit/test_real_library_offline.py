"""Our libuplinkc, built by build_libuplink.sh and called through the Python package, with no network.

The library is built once per session (a no-op when it is up to date); a failed build fails these
tests, it never skips them.
"""

from __future__ import annotations

import ctypes
import gc
import re
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

import pytest

from uplink_python import edge

from uplink_python._c import native as _native
from uplink_python._c import structs as d
from uplink_python.errors import EDGE_ERROR_REGISTER_ACCESS_FAILED, ERROR_INTERNAL, InternalError, StorjException
from uplink_python.module_classes import (Config, EdgeConfig, EdgeRegisterAccessOptions, EdgeShareURLOptions,
                                          Permission, SharePrefix)
from uplink_python.uplink import Uplink

from .test_exports import EXPORTS

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "uplink_python" / _native.LIBRARY_NAME

# A valid node ID, and an access grant for it crafted offline with storj.io/common (macaroon API
# key from a fixed secret, root key derived from "offline passphrase"): nothing here is a real secret.
NODE_ID = "1SkB92YpWm4Q2ijQHH34cqbKkCZWszsiQgHVjtNeFExggbYvy"
SATELLITE = f"{NODE_ID}@127.0.0.1:7777"
API_KEY = ("13YqeVLbwxLxj5v9FHp45NcUekDhA5J9HDX8R4ZdY28vnwXyYruhgb8iW9gXRY9S117LznLCQdfG95xGPN7C6kx3HoHonx"
           "aSzMppU6L")
ACCESS = ("15uWLRvcz2dA3T3EaZ7ReCWZpEdxKg53LG4V1GXNCp7WmzNdciM5H2c9GALHmbXzFmky6b9waUGRYpq5hR3EtKVWUSmTFuzVT3rN"
          "7eATTGj81bqJ232TEje45Zaar8YjXpfkqKrcG9ZzK3ubC8GLLK4om5m2DMN8YpsuYe3SQvgoG8nsSNuDYEzPW1rT6Ax3xL6NytHH6S"
          "sUVwv63uivVVEcRmKh9ZypTiEnMKXEtNp1W1DyVfyxs1BM")


@pytest.fixture(scope="session")
def built_library() -> Path:
    build = subprocess.run(["bash", str(ROOT / "build_libuplink.sh")], capture_output=True, text=True)
    if build.returncode != 0:
        pytest.fail(f"build_libuplink.sh failed ({build.returncode}):\n{build.stdout}\n{build.stderr}")
    assert LIBRARY.is_file()
    return LIBRARY


@pytest.fixture(scope="module")
def uplink(built_library: Path) -> Iterator[Uplink]:
    """The package on the real library; the loader's state is put back for the other test modules."""
    saved = _native._library, _native._library_path
    _native._library, _native._library_path = None, None
    try:
        yield Uplink(str(built_library))
    finally:
        _native._library, _native._library_path = saved


@pytest.fixture
def empty_after(uplink: Uplink) -> Iterator[Uplink]:
    """Each test must leave the library's handle table empty."""
    yield uplink
    gc.collect()
    assert Uplink.internal_universe_is_empty(), "handles left in libuplinkc's table"


def test_nm_shows_all_85_exports(built_library):
    listing = subprocess.run(["nm", "-D", "--defined-only", str(built_library)], capture_output=True, text=True,
                             check=True).stdout
    exported = set(re.findall(r"^\S+ T ((?:uplink|edge)_\w+)$", listing, re.M))
    assert exported == set(EXPORTS)
    assert len(exported) == 85


def test_parse_serialize_and_satellite_address(empty_after):
    with empty_after.parse_access(ACCESS) as access:
        assert access.satellite_address() == SATELLITE
        serialized = access.serialize()
        with empty_after.parse_access(serialized) as again:
            assert again.satellite_address() == SATELLITE
            assert again.serialize() == serialized


def test_share_restricts_and_keeps_the_satellite(empty_after):
    with empty_after.parse_access(ACCESS) as access:
        not_after = int(time.time()) + 3600
        shared = access.share(Permission(allow_download=True, allow_list=True, not_after=not_after),
                              [SharePrefix(bucket="photos", prefix="2026/")])
        with shared:
            assert shared.satellite_address() == SATELLITE
            assert shared.serialize() not in ("", access.serialize())
            with empty_after.parse_access(shared.serialize()) as parsed:
                assert parsed.satellite_address() == SATELLITE


def test_share_without_any_permission_is_a_typed_error(empty_after):
    with empty_after.parse_access(ACCESS) as access:
        with pytest.raises(StorjException) as caught:
            access.share(Permission(), [])
        assert caught.value.code == ERROR_INTERNAL and "\n" not in str(caught.value)


def test_derive_and_override_encryption_key(empty_after):
    with empty_after.parse_access(ACCESS) as access:
        before = access.serialize()
        key = access.derive_encryption_key("tenant passphrase", b"tenant-42\x00salt")
        result = access.override_encryption_key("app-bucket", "tenant-42/", key)
        key.close()
        after = (result or access).serialize()
        assert after != before
        with empty_after.parse_access(after) as parsed:
            assert parsed.satellite_address() == SATELLITE


def test_garbage_access_is_a_typed_one_line_error(empty_after):
    with pytest.raises(InternalError) as caught:
        empty_after.parse_access("not an access grant")
    assert "\n" not in str(caught.value)


def test_edge_join_share_url(empty_after):
    base = "https://link.example.test"
    assert edge.join_share_url(base, "jwaqkey", "photos", "2026/cat.jpg") == f"{base}/s/jwaqkey/photos/2026/cat.jpg"
    assert edge.join_share_url(base + "/", "jwaqkey", "photos", "cat.jpg", EdgeShareURLOptions(raw=True)) == (
        f"{base}/raw/jwaqkey/photos/cat.jpg")
    assert edge.join_share_url(base, "jwaqkey") == f"{base}/s/jwaqkey"
    with pytest.raises(InternalError, match="accessKeyID"):
        edge.join_share_url(base, "", "photos")


def test_edge_register_access_with_no_auth_service_is_a_typed_edge_error(empty_after):
    # storj.io/uplink/edge dials lazily: a refused connection surfaces with the RPC, as "register
    # access failed" (0x31), with TLS or without.
    with empty_after.parse_access(ACCESS) as access:
        for insecure in (False, True):
            with pytest.raises(StorjException) as caught:
                edge.register_access(EdgeConfig(auth_service_address="127.0.0.1:1",
                                                insecure_unencrypted_connection=insecure),
                                     access, EdgeRegisterAccessOptions(is_public=True))
            assert caught.value.code == EDGE_ERROR_REGISTER_ACCESS_FAILED, caught.value
            assert "\n" not in str(caught.value)


def test_many_threads_on_one_access(empty_after):
    # Calls on one handle are serialized inside the library; many threads at once must just work.
    with empty_after.parse_access(ACCESS) as access:
        def work(i: int) -> str:
            shared = access.share(Permission(allow_download=True), [SharePrefix(bucket=f"b{i % 4}", prefix="")])
            with shared:
                assert shared.satellite_address() == access.satellite_address() == SATELLITE
                return shared.serialize()
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(work, range(200)))
    assert len(set(results)) > 1


# storj.io/uplink retries a refused connection to the satellite with backoff (metaclient.WithRetry:
# 0.1 s doubling to 3 s, about 6.1 s in all) whatever the dial timeout, which bounds each dial only.
RETRY_BUDGET = 6.5


def test_unreachable_satellite_raises_a_typed_error_in_bounded_time(empty_after):
    started = time.monotonic()
    with pytest.raises(StorjException) as caught:
        empty_after.config_request_access_with_passphrase(
            Config(dial_timeout_milliseconds=500), f"{NODE_ID}@127.0.0.1:1", API_KEY, "passphrase")
    assert time.monotonic() - started < 0.5 + RETRY_BUDGET + 2.0
    assert caught.value.code == ERROR_INTERNAL
    assert "\n" not in str(caught.value)


def test_request_access_without_config_also_fails_typed(empty_after):
    with pytest.raises(StorjException):
        empty_after.request_access_with_passphrase(f"{NODE_ID}@127.0.0.1:1", API_KEY, "passphrase")


def test_invalid_handle_is_reported_not_a_crash(empty_after):
    library = _native.lib()
    bogus = d._UplinkAccess(_handle=987654321)
    result = library.uplink_access_serialize(ctypes.byref(bogus))
    try:
        assert result.error and result.error.contents.code == 0x04
    finally:
        library.uplink_free_string_result(result)
    result = library.uplink_access_serialize(None)  # NULL: an error, not a crash
    try:
        assert result.error and not result.string
    finally:
        library.uplink_free_string_result(result)


C_PROGRAM = r"""
#include <stdio.h>
#include <string.h>
#include "libuplinkc.h"

int main(int argc, char **argv) {
    UplinkAccessResult parsed = uplink_parse_access(argv[1]);
    if (parsed.error) { printf("parse error %d\n", parsed.error->code); return 1; }
    UplinkStringResult address = uplink_access_satellite_address(parsed.access);
    printf("%s\n", address.string);
    uplink_free_string_result(address);
    UplinkAccessResult bad = uplink_parse_access("garbage");
    printf("%d %d\n", bad.error->code == UPLINK_ERROR_INTERNAL, strchr(bad.error->message, '\n') == NULL);
    uplink_free_access_result(bad);
    uplink_free_access_result(parsed);
    printf("%d\n", (int)uplink_internal_UniverseIsEmpty());
    return 0;
}
"""


def test_a_c_program_compiles_against_the_installed_headers_and_links(built_library, tmp_path):
    source = tmp_path / "main.c"
    source.write_text(C_PROGRAM)
    program = tmp_path / "main"
    package = built_library.parent
    subprocess.run(["gcc", "-Wall", "-Werror", "-I", str(package), "-o", str(program), str(source),
                    "-L", str(package), "-luplinkc", f"-Wl,-rpath,{package}"], check=True)
    output = subprocess.run([str(program), ACCESS], capture_output=True, text=True, check=True).stdout
    assert output.split("\n") == [SATELLITE, "1 1", "1", ""]
