"""Object and version listings a page per C call (upy_object_iterator_next_array, whose page is one
allocation read at once, and upy_object_version_iterator_next_page), and the item-by-item fallback an
upstream library gets: the same objects, the same errors."""

from __future__ import annotations

from typing import Any

import pytest

from uplink_python import BucketNotFoundError, CustomMetadata, ListObjectsOptions, Object, Project
from uplink_python._c import handle, native


def _listing(project: Project, bucket: str, options: ListObjectsOptions) -> list[Object]:
    return list(project.iter_objects(bucket, options))


def _item_by_item(monkeypatch: pytest.MonkeyPatch, page_function: str = "upy_object_iterator_next_array") -> None:
    """The library as an upstream one: without ``page_function``."""
    real = native.has_function
    monkeypatch.setattr(native, "has_function", lambda name: name != page_function and real(name))


def _count_pages(monkeypatch: pytest.MonkeyPatch, page_function: str) -> list[int]:
    """The item counts of the pages the library's ``page_function`` hands out from now on."""
    pages: list[int] = []
    library = native.lib()
    real_page = getattr(library, page_function)

    def counted(iterator: Any, limit: int) -> Any:
        page = real_page(iterator, limit)
        pages.append(page.count)
        return page

    monkeypatch.setattr(library, page_function, counted)
    return pages


def test_pages_and_items_list_the_same(project: Project, bucket: str, monkeypatch: pytest.MonkeyPatch) -> None:
    count = handle.PAGE_ITEMS * 2 + 7  # across the library's pages and a short last one
    def key(i: int) -> str:  # some keys not ASCII, so byte and character counts differ
        return f"p/{i:04d}" + ("-ünïcødé-ключ" if i % 7 == 0 else "")

    def metadata(i: int) -> dict[str, str]:  # several entries (one empty, one not ASCII) on every 50th
        return {"n": str(i), "empty": "", "名前": "値" * (i % 3 + 1)}

    for i in range(count):
        with project.upload_object(bucket, key(i)) as upload:
            upload.write(b"x" * (i % 5))
            if i % 50 == 0:
                upload.set_custom_metadata(CustomMetadata.from_mapping(metadata(i)))
    options = ListObjectsOptions(prefix="p/", recursive=True, system=True, custom=True)
    pages = _count_pages(monkeypatch, "upy_object_iterator_next_array")
    paged = _listing(project, bucket, options)
    assert pages == [handle.PAGE_ITEMS, handle.PAGE_ITEMS, 7]  # one C call per page, the last one short
    _item_by_item(monkeypatch)
    pages.clear()
    assert _listing(project, bucket, options) == paged and pages == []  # every field, entry by entry
    assert len(paged) == count and sorted(o.key for o in paged) == sorted(key(i) for i in range(count))
    assert {o.key: o.system.content_length for o in paged} == {key(i): i % 5 for i in range(count)}
    with_metadata = sorted((o.key, o.custom.to_mapping()) for o in paged if o.custom.count)
    assert with_metadata == [(key(i), metadata(i)) for i in range(0, count, 50)]
    entry = next(e for o in paged for e in o.custom.entries if e.key == "名前")
    assert (entry.key_length, entry.value_length) == (len("名前".encode()), len(entry.value.encode()))
    assert not project.list_objects(bucket, ListObjectsOptions(prefix="nothing/"))


@pytest.mark.parametrize("paged", [True, False])
def test_a_failing_listing_raises_typed(project: Project, monkeypatch: pytest.MonkeyPatch, paged: bool) -> None:
    if not paged:
        _item_by_item(monkeypatch)
    objects = project.iter_objects("no-such-bucket-here")
    with pytest.raises(BucketNotFoundError):
        next(iter(objects))
    assert objects.closed  # type: ignore[attr-defined]


def test_stopping_early_frees_the_listing(project: Project, bucket: str) -> None:
    for i in range(3):
        with project.upload_object(bucket, f"s/{i}") as upload:
            upload.write(b"s")
    objects = project.iter_objects(bucket, ListObjectsOptions(prefix="s/"))
    assert next(iter(objects)).key.startswith("s/")
    objects.close()  # type: ignore[attr-defined]
    assert list(objects) == []


def test_version_pages_and_items_list_the_same(project: Project, bucket: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    project.set_bucket_versioning(bucket, True)
    keys = handle.PAGE_ITEMS // 2 + 5
    for i in range(keys):  # two versions of each key, and a delete marker on every third
        for body in (b"first", b"second!"):
            with project.upload_object(bucket, f"v/{i:04d}") as upload:
                upload.write(body)
        if i % 3 == 0:
            project.delete_object(bucket, f"v/{i:04d}")
    options = ListObjectsOptions(prefix="v/", recursive=True, system=True)
    pages = _count_pages(monkeypatch, "upy_object_version_iterator_next_page")

    def versions() -> list[tuple[Any, ...]]:
        return [(o.key, o.version, o.is_delete_marker, o.system.content_length)
                for o in project.iter_object_versions(bucket, options)]

    paged = versions()
    total = 2 * keys + len(range(0, keys, 3))
    assert len(paged) == total and pages == [handle.PAGE_ITEMS, total - handle.PAGE_ITEMS]
    assert sum(marker for _, _, marker, _ in paged) == len(range(0, keys, 3))
    assert all(version for _, version, _, _ in paged)
    _item_by_item(monkeypatch, "upy_object_version_iterator_next_page")
    pages.clear()
    assert versions() == paged and pages == []
    with pytest.raises(BucketNotFoundError):
        next(iter(project.iter_object_versions("no-such-bucket-here")))
