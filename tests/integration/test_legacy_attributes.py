"""The old uplink-python package's attributes, kept read-only for code written against it."""

from __future__ import annotations

import ctypes

import pytest

from uplink_python import Access, ClosedError, Project, Uplink


def test_handle_pointers_and_uplink_as_the_old_package_had_them(access: Access, project: Project, bucket: str) -> None:
    assert access.access.contents._handle > 0  # what the old package's own tests read
    assert project.project.contents._handle > 0
    assert isinstance(access.uplink, Uplink) and isinstance(project.uplink, Uplink)
    assert isinstance(access.uplink.m_libuplink, ctypes.CDLL)
    upload = project.upload_object(bucket, "legacy")
    assert upload.upload.contents._handle > 0 and isinstance(upload.uplink, Uplink)
    upload.write(b"old code")
    upload.commit()
    download = project.download_object(bucket, "legacy")
    assert download.download.contents._handle > 0 and isinstance(download.uplink, Uplink)
    assert download.read(8)[0] == b"old code"
    download.close()
    with pytest.raises(ClosedError):  # the struct is freed: a pointer to it would crash
        download.download
    with pytest.raises(AttributeError):
        access.access = None  # type: ignore[misc]


def test_the_pointers_work_in_raw_c_calls(project: Project, bucket: str) -> None:
    from uplink_python._c.native import lib

    result = lib().uplink_stat_bucket(project.project, bucket.encode())
    try:
        assert not result.error and result.bucket.contents.name == bucket.encode()
    finally:
        lib().uplink_free_bucket_result(result)
