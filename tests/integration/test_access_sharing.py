"""Shared accesses are limited to what they allow; derived keys and overrides work across accesses."""

from __future__ import annotations

import pytest

from uplink_python import (
    Access, ListObjectsOptions, Permission, PermissionDeniedError, Project, SharePrefix, Uplink,
)


def put(project: Project, bucket: str, key: str, data: bytes) -> None:
    with project.upload_object(bucket, key) as upload:
        upload.write(data)


def get(project: Project, bucket: str, key: str) -> bytes:
    with project.download_object(bucket, key) as download:
        return download.read(1 << 20)[0]


def test_serialize_parse_and_satellite_address(access: Access, network) -> None:
    serialized = access.serialize()
    again = Uplink().parse_access(serialized)
    assert again.serialize() == serialized
    assert again.satellite_address() == network.satellite_url
    again.close()


def test_read_only_share(access: Access, project: Project, bucket: str) -> None:
    put(project, bucket, "doc", b"shared data")
    shared = access.share(Permission(allow_download=True, allow_list=True), [SharePrefix(bucket=bucket, prefix="")])
    reader = Uplink().parse_access(shared.serialize())
    shared.close()
    with reader.open_project() as readonly:
        assert get(readonly, bucket, "doc") == b"shared data"
        assert [o.key for o in readonly.list_objects(bucket)] == ["doc"]
        with pytest.raises(PermissionDeniedError):
            put(readonly, bucket, "new", b"nope")
        with pytest.raises(PermissionDeniedError):
            readonly.delete_object(bucket, "doc")
    reader.close()
    assert get(project, bucket, "doc") == b"shared data"


def test_prefix_limited_share(access: Access, project: Project, bucket: str) -> None:
    put(project, bucket, "public/a", b"A")
    put(project, bucket, "private/b", b"B")
    shared = access.share(Permission(allow_download=True, allow_list=True, allow_upload=True),
                          [SharePrefix(bucket=bucket, prefix="public/")])
    with shared.open_project() as limited:
        assert get(limited, bucket, "public/a") == b"A"
        put(limited, bucket, "public/c", b"C")
        assert sorted(o.key for o in limited.list_objects(bucket, ListObjectsOptions(prefix="public/"))) == [
            "public/a", "public/c"]
        with pytest.raises(PermissionDeniedError):
            get(limited, bucket, "private/b")
        with pytest.raises(PermissionDeniedError):
            put(limited, bucket, "private/d", b"D")
        with pytest.raises(PermissionDeniedError):
            limited.create_bucket("another-bucket")
    shared.close()


def test_expired_share_is_refused(access: Access, project: Project, bucket: str) -> None:
    put(project, bucket, "doc", b"data")
    shared = access.share(Permission(allow_download=True, not_after=1_000_000_000), [SharePrefix(bucket=bucket)])
    with shared.open_project() as expired:
        with pytest.raises(PermissionDeniedError):
            get(expired, bucket, "doc")
    shared.close()


def test_derive_and_override_encryption_key(access: Access, project: Project, bucket: str) -> None:
    """The multitenancy flow of the docs: a user's prefix encrypted with a key derived for that user."""
    key = access.derive_encryption_key("user-passphrase", "user-42-salt")
    user_access = access.share(Permission(allow_download=True, allow_upload=True, allow_list=True),
                               [SharePrefix(bucket=bucket, prefix="users/42/")])
    user_access = user_access.override_encryption_key(bucket, "users/42/", key)
    with user_access.open_project() as user_project:
        put(user_project, bucket, "users/42/notes", b"tenant data")
        assert get(user_project, bucket, "users/42/notes") == b"tenant data"

    # Another access with the same derived key reads it; the root access (other key) cannot decrypt it.
    same_key = access.derive_encryption_key("user-passphrase", "user-42-salt")
    other = access.share(Permission(allow_download=True, allow_list=True), [SharePrefix(bucket=bucket, prefix="users/42/")])
    other = other.override_encryption_key(bucket, "users/42/", same_key)
    with other.open_project() as reader:
        assert get(reader, bucket, "users/42/notes") == b"tenant data"
    with pytest.raises(Exception):
        get(project, bucket, "users/42/notes")
    for owned in (key, same_key, user_access, other):
        owned.close()
