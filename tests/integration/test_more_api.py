"""The rest of libuplinkc v1.14 from Python: copy, move, metadata updates, revocation, multipart, edge."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from uplink_python import (
    Access, CommitUploadOptions, CustomMetadata, EdgeConfig, EdgeRegisterAccessFailedError, EdgeRegisterAccessOptions, EdgeShareURLOptions,
    ListObjectsOptions, ListUploadPartsOptions, ObjectNotFoundError, Permission, PermissionDeniedError, Project,
    SharePrefix, StorjException, UploadDoneError, edge,
)

from ..localnet import LocalNetwork
from .conftest import sha256

MiB = 1 << 20


def put(project: Project, bucket: str, key: str, data: bytes, metadata: dict[str, str] | None = None) -> None:
    with project.upload_object(bucket, key) as upload:
        upload.write(data)
        if metadata:
            upload.set_custom_metadata(CustomMetadata.from_mapping(metadata))


def get(project: Project, bucket: str, key: str) -> bytes:
    with project.download_object(bucket, key) as download:
        return download.read(1 << 30)[0]


def test_copy_and_move_within_and_across_buckets(project: Project, bucket: str) -> None:
    other = project.create_bucket("other-" + bucket).name
    inline, remote = b"small object", os.urandom(MiB + 5)
    put(project, bucket, "inline", inline, {"kind": "inline"})
    put(project, bucket, "remote", remote, {"kind": "remote"})

    copied = project.copy_object(bucket, "remote", other, "copies/remote")
    assert copied.key == "copies/remote" and copied.system.content_length == len(remote)
    project.copy_object(bucket, "inline", bucket, "inline-copy")
    assert get(project, other, "copies/remote") == remote and get(project, bucket, "remote") == remote
    assert get(project, bucket, "inline-copy") == inline
    assert project.stat_object(other, "copies/remote").custom.to_mapping() == {"kind": "remote"}

    project.move_object(bucket, "remote", other, "moved/remote")
    project.move_object(bucket, "inline", bucket, "renamed")
    for gone in ("remote", "inline"):
        with pytest.raises(ObjectNotFoundError):
            project.stat_object(bucket, gone)
    assert sha256(get(project, other, "moved/remote")) == sha256(remote)
    assert get(project, bucket, "renamed") == inline
    assert project.stat_object(bucket, "renamed").custom.to_mapping() == {"kind": "inline"}
    with pytest.raises(ObjectNotFoundError):
        project.move_object(bucket, "never-was", bucket, "anything")
    project.delete_bucket_with_objects(other)


def test_update_object_metadata(project: Project, bucket: str) -> None:
    put(project, bucket, "doc", b"content", {"version": "1"})
    project.update_object_metadata(bucket, "doc", CustomMetadata.from_mapping({"version": "2", "owner": "ann"}))
    assert project.stat_object(bucket, "doc").custom.to_mapping() == {"version": "2", "owner": "ann"}
    [listed] = project.list_objects(bucket, ListObjectsOptions(custom=True))
    assert listed.custom.to_mapping() == {"version": "2", "owner": "ann"}
    assert get(project, bucket, "doc") == b"content"
    with pytest.raises(ObjectNotFoundError):
        project.update_object_metadata(bucket, "missing", CustomMetadata())


def test_multipart_upload_in_parallel_out_of_order(project: Project, bucket: str) -> None:
    parts = {1: os.urandom(5 * MiB), 2: os.urandom(5 * MiB + 1), 3: os.urandom(100)}
    info = project.begin_upload(bucket, "multi")
    assert info.upload_id and info.key == "multi"
    pending = [u for u in project.list_uploads(bucket)]
    assert [(u.key, u.upload_id) for u in pending] == [("multi", info.upload_id)]

    errors: list[BaseException] = []

    def upload_part(number: int) -> None:
        try:
            with project.upload_part(bucket, "multi", info.upload_id, number) as part:
                part.write(parts[number])
                part.set_etag(f"etag-{number}")
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=upload_part, args=(n,)) for n in (3, 1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    listed = list(project.list_upload_parts(bucket, "multi", info.upload_id))
    assert [(p.part_number, p.size, p.etag) for p in listed] == [
        (n, len(parts[n]), f"etag-{n}".encode()) for n in (1, 2, 3)]
    after_one = list(project.list_upload_parts(bucket, "multi", info.upload_id, ListUploadPartsOptions(cursor=1)))
    assert [p.part_number for p in after_one] == [2, 3]

    committed = project.commit_upload(bucket, "multi", info.upload_id,
                                      CommitUploadOptions(CustomMetadata.from_mapping({"parts": "3"})))
    expected = parts[1] + parts[2] + parts[3]
    assert committed.system.content_length == len(expected)
    assert project.stat_object(bucket, "multi").custom.to_mapping() == {"parts": "3"}
    assert sha256(get(project, bucket, "multi")) == sha256(expected)
    assert list(project.list_uploads(bucket)) == []


def test_aborted_multipart_upload_is_gone(project: Project, bucket: str) -> None:
    info = project.begin_upload(bucket, "dropped")
    with project.upload_part(bucket, "dropped", info.upload_id, 1) as part:
        part.write(b"part data")
    project.abort_upload(bucket, "dropped", info.upload_id)
    assert list(project.list_uploads(bucket)) == []
    with pytest.raises(ObjectNotFoundError):
        project.stat_object(bucket, "dropped")
    with pytest.raises(StorjException, match="(?i)upload id"):
        project.upload_part(bucket, "dropped", "not-an-upload-id", 1).close()


def test_part_upload_errors_are_typed(project: Project, bucket: str) -> None:
    info = project.begin_upload(bucket, "typed")
    part = project.upload_part(bucket, "typed", info.upload_id, 1)
    part.write(b"abc")
    part.commit()
    with pytest.raises(UploadDoneError):
        part.write(b"more")
    with pytest.raises(UploadDoneError):
        part.commit()
    part.close()
    with pytest.raises(ValueError):
        project.upload_part(bucket, "typed", info.upload_id, 2**32)
    project.abort_upload(bucket, "typed", info.upload_id)


def test_revoke_access(access: Access, project: Project, bucket: str) -> None:
    put(project, bucket, "doc", b"data")
    shared = access.share(Permission(allow_download=True, allow_list=True), [SharePrefix(bucket=bucket)])
    reshared = shared.share(Permission(allow_download=True), [SharePrefix(bucket=bucket, prefix="")])
    with shared.open_project() as before:
        assert get(before, bucket, "doc") == b"data"
    project.revoke_access(shared)
    for revoked in (shared, reshared):
        with revoked.open_project() as after:
            with pytest.raises(PermissionDeniedError):
                get(after, bucket, "doc")
    assert get(project, bucket, "doc") == b"data"  # the parent still works
    shared.close()
    reshared.close()


@pytest.mark.parametrize("tls", [False, True], ids=["plain", "tls"])
def test_edge_register_access(network: LocalNetwork, access: Access, tls: bool) -> None:
    if tls:
        config = EdgeConfig(auth_service_address=network.config["auth_tls_address"],
                            certificate_pem=Path(network.config["auth_cert_pem"]).read_text())
    else:
        config = EdgeConfig(auth_service_address=network.config["auth_address"], insecure_unencrypted_connection=True)
    credentials = edge.register_access(config, access, EdgeRegisterAccessOptions(is_public=True))
    assert len(credentials.access_key_id) == 28 and credentials.access_key_id.islower()
    assert len(credentials.secret_key) == 53
    assert credentials.endpoint.startswith("http")


def test_edge_unreachable_auth_service(access: Access) -> None:
    # storj.io/uplink dials lazily, so a refused connection surfaces from the RPC as "register failed".
    with pytest.raises(EdgeRegisterAccessFailedError, match="connection refused"):
        edge.register_access(EdgeConfig(auth_service_address="127.0.0.1:1", insecure_unencrypted_connection=True),
                             access)


def test_join_share_url() -> None:
    assert edge.join_share_url("https://link.example/", "jw6k", "photos", "cats/tom.jpg") == \
        "https://link.example/s/jw6k/photos/cats/tom.jpg"
    assert edge.join_share_url("https://link.example", "jw6k", "photos") == "https://link.example/s/jw6k/photos"
    assert edge.join_share_url("https://link.example", "jw6k", "photos", "cats/tom.jpg",
                               EdgeShareURLOptions(raw=True)) == "https://link.example/raw/jw6k/photos/cats/tom.jpg"
    with pytest.raises(Exception):
        edge.join_share_url("https://link.example", "", "photos")
