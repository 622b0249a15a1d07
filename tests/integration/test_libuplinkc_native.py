"""Our libuplinkc's own promises, checked at the C level on the local network.

Reads fill the caller's buffer and report EOF together with the last bytes; closing a project cancels
the uploads and downloads still open on it; frees empty the handle table.
"""

from __future__ import annotations

import ctypes
import os
import threading

from uplink_python import CustomMetadata, Project
from uplink_python._c import structs as d
from uplink_python._c.native import lib
from uplink_python.errors import ERROR_CANCELED, ERROR_EOF

from .conftest import sha256


def _put(project: Project, bucket: str, key: str, data: bytes) -> None:
    upload = project.upload_object(bucket, key)
    upload.write(data, len(data))
    upload.commit()


def _open_download(handle, bucket: str, key: str):
    result = lib().uplink_download_object(handle, bucket.encode(), key.encode(), None)
    assert not result.error
    return result


def _read(download, size: int) -> tuple[bytes, int, int]:
    """(bytes, count, error code or 0) of one uplink_download_read into a fresh C buffer of size bytes."""
    buffer = ctypes.create_string_buffer(size)
    result = lib().uplink_download_read(download.download, buffer, size)
    try:
        code = result.error.contents.code if result.error else 0
        return buffer.raw[:result.bytes_read], result.bytes_read, code
    finally:
        lib().uplink_free_read_result(result)


def test_read_fills_the_buffer_and_reports_eof_with_the_last_bytes(project: Project, bucket: str) -> None:
    data = os.urandom((1 << 20) + 1000)
    _put(project, bucket, "fill", data)
    with project._call() as handle:
        download = _open_download(handle, bucket, "fill")
    try:
        chunks, codes = [], []
        while True:
            chunk, count, code = _read(download, 256 << 10)
            chunks.append(chunk)
            codes.append(code)
            if code:
                break
        assert [len(c) for c in chunks] == [256 << 10] * 4 + [1000]  # full buffers, not ~7 KiB
        assert codes == [0, 0, 0, 0, ERROR_EOF]
        assert sha256(b"".join(chunks)) == sha256(data)
        assert _read(download, 100)[1:] == (0, ERROR_EOF)  # and EOF again, with nothing
    finally:
        error = lib().uplink_close_download(download.download)
        lib().uplink_free_error(error)
        lib().uplink_free_download_result(download)


def test_threads_reading_one_download_take_turns(project: Project, bucket: str) -> None:
    data = os.urandom(3 << 20)
    _put(project, bucket, "shared", data)
    with project._call() as handle:
        download = _open_download(handle, bucket, "shared")
    total, lock = [0], threading.Lock()

    def reader() -> None:
        while True:
            _, count, code = _read(download, 7000)
            with lock:
                total[0] += count
            if code:
                assert code == ERROR_EOF
                return

    threads = [threading.Thread(target=reader) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lib().uplink_free_error(lib().uplink_close_download(download.download))
    lib().uplink_free_download_result(download)
    assert total[0] == len(data)


def test_closing_the_project_cancels_what_runs_on_it(access, bucket: str) -> None:
    # The bucket fixture's project is another one; this test opens its own to close it early.
    project = access.open_project()
    _put(project, bucket, "cancel-me", os.urandom(1 << 20))
    with project._call() as handle:
        download = _open_download(handle, bucket, "cancel-me")
        upload = lib().uplink_upload_object(handle, bucket.encode(), b"never", None)
        assert not upload.error
    project.close()
    _, _, code = _read(download, 1 << 20)
    assert code == ERROR_CANCELED
    payload = ctypes.create_string_buffer(1000)
    written = lib().uplink_upload_write(upload.upload, payload, 1000)
    assert written.error and written.error.contents.code == ERROR_CANCELED
    lib().uplink_free_write_result(written)
    lib().uplink_free_download_result(download)
    lib().uplink_free_upload_result(upload)


def test_a_closed_project_answers_canceled_and_a_freed_one_invalid_handle(access, bucket: str) -> None:
    with access._call() as access_handle:
        opened = lib().uplink_open_project(access_handle)
    assert not opened.error
    raw = d._UplinkProject(_handle=opened.project.contents._handle)
    lib().uplink_free_error(lib().uplink_close_project(opened.project))
    for expected in (ERROR_CANCELED, 0x04):  # closed but not freed, then freed: never a crash
        result = lib().uplink_stat_bucket(ctypes.byref(raw), bucket.encode())
        assert result.error and result.error.contents.code == expected
        lib().uplink_free_bucket_result(result)
        if expected == ERROR_CANCELED:
            lib().uplink_free_project_result(opened)


def test_custom_metadata_entries_come_sorted_by_key(project: Project, bucket: str) -> None:
    # Enough keys that Go's randomised map order would almost surely show through.
    keys = [f"key-{i:03d}" for i in range(60)]
    shuffled = sorted(keys, key=lambda k: hash(k) % 977)
    upload = project.upload_object(bucket, "sorted", None)
    upload.set_custom_metadata(CustomMetadata.from_mapping({k: k.upper() for k in shuffled}))
    upload.write(b"x", 1)
    upload.commit()
    with project._call() as handle:
        for _ in range(3):  # one map walk may happen to come out sorted; three in a row cannot by chance
            result = lib().uplink_stat_object(handle, bucket.encode(), b"sorted")
            try:
                assert not result.error
                custom = result.object.contents.custom
                entries = [custom.entries[i] for i in range(custom.count)]
                got = [ctypes.string_at(e.key, e.key_length).decode() for e in entries]
                values = [ctypes.string_at(e.value, e.value_length).decode() for e in entries]
            finally:
                lib().uplink_free_object_result(result)
            assert got == keys
            assert values == [k.upper() for k in keys]
