"""Listings as the satellite gives them: prefixes, recursion, metadata flags, cursors and paging."""

from __future__ import annotations

import time

from uplink_python import CustomMetadata, ListBucketsOptions, ListObjectsOptions, Project


def put(project: Project, bucket: str, key: str, data: bytes = b"x", metadata: dict[str, str] | None = None) -> None:
    with project.upload_object(bucket, key) as upload:
        upload.write(data)
        if metadata:
            upload.set_custom_metadata(CustomMetadata.from_mapping(metadata))


def test_prefix_and_recursion(project: Project, bucket: str) -> None:
    for key in ["a.txt", "dir/b.txt", "dir/c.txt", "dir/sub/d.txt", "other/e.txt"]:
        put(project, bucket, key)

    top = {(o.key, o.is_prefix) for o in project.list_objects(bucket)}
    assert top == {("a.txt", False), ("dir/", True), ("other/", True)}

    everything = sorted(o.key for o in project.list_objects(bucket, ListObjectsOptions(recursive=True)))
    assert everything == ["a.txt", "dir/b.txt", "dir/c.txt", "dir/sub/d.txt", "other/e.txt"]

    under_dir = {(o.key, o.is_prefix) for o in project.list_objects(bucket, ListObjectsOptions(prefix="dir/"))}
    assert under_dir == {("dir/b.txt", False), ("dir/c.txt", False), ("dir/sub/", True)}

    deep = sorted(o.key for o in project.list_objects(bucket, ListObjectsOptions(prefix="dir/", recursive=True)))
    assert deep == ["dir/b.txt", "dir/c.txt", "dir/sub/d.txt"]


def test_metadata_only_when_asked(project: Project, bucket: str) -> None:
    before = int(time.time()) - 5
    put(project, bucket, "meta", b"12345", {"colour": "blå", "note": "any text"})

    [bare] = project.list_objects(bucket)
    assert bare.system.content_length == 0 and bare.custom.to_mapping() == {}

    [system] = project.list_objects(bucket, ListObjectsOptions(system=True))
    assert system.system.content_length == 5 and system.system.created >= before
    assert system.custom.to_mapping() == {}

    [custom] = project.list_objects(bucket, ListObjectsOptions(custom=True))
    assert custom.custom.to_mapping() == {"colour": "blå", "note": "any text"}

    stat = project.stat_object(bucket, "meta")
    assert stat.system.content_length == 5
    assert stat.custom.to_mapping() == {"colour": "blå", "note": "any text"}


def test_more_than_one_page_of_objects(project: Project, bucket: str) -> None:
    keys = {f"many/{i:05d}" for i in range(1100)}  # the satellite pages at 1,000
    for key in keys:
        put(project, bucket, key, b"")
    listed = [o.key for o in project.list_objects(bucket, ListObjectsOptions(prefix="many/", recursive=True))]
    assert len(listed) == len(keys) and set(listed) == keys


def test_buckets_listing_with_cursor(project: Project) -> None:
    names = [f"list-{i:02d}" for i in range(5)]
    for name in names:
        project.create_bucket(name)
    assert sorted(b.name for b in project.list_buckets()) == names
    assert [b.name for b in project.list_buckets(ListBucketsOptions(cursor="list-02"))] == names[3:]
    for name in names:
        project.delete_bucket(name)
    assert project.list_buckets() == []


def test_custom_metadata_entries_are_sorted_by_key(project: Project, bucket: str) -> None:
    # Upstream uplink-c hands entries out sorted by key; Go's map order would differ from call to call.
    keys = [f"k{i:02d}" for i in range(40)]
    put(project, bucket, "sorted", b"x", {key: key * 2 for key in reversed(keys)})
    for _ in range(3):
        entries = project.stat_object(bucket, "sorted").custom.entries
        assert [e.key for e in entries] == keys and [e.value for e in entries] == [k * 2 for k in keys]
    [listed] = project.list_objects(bucket, ListObjectsOptions(custom=True))
    assert [e.key for e in listed.custom.entries] == keys
