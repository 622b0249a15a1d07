"""iter_objects/iter_buckets (uplink_python.listing), with the fake library."""

from __future__ import annotations

import gc

import pytest

from uplink_python._c import structs as d
from uplink_python.errors import InternalError
from uplink_python.listing import iter_buckets, iter_objects
from uplink_python.module_classes import ListObjectsOptions

from .fake_library import c_object
from .helpers import open_project


def test_iter_objects_yields_before_the_next_page_and_frees_everything(fake) -> None:
    with open_project(fake) as project:
        fake.listing("object", [c_object(b"a"), c_object(b"b")])
        objects = iter_objects(project, "bucket", ListObjectsOptions(prefix="p/", recursive=True))
        assert fake.uplink_list_objects.call_args.args[1] == b"bucket"
        assert fake.uplink_list_objects.call_args.args[2].prefix == b"p/"
        assert next(objects).key == "a"
        assert fake.uplink_object_iterator_next.call_count == 1  # lazy: one item asked for, one fetched
        assert [o.key for o in objects] == ["b"]
    assert fake.uplink_free_object.call_count == 2
    fake.uplink_free_object_iterator.assert_called_once()


def test_iter_objects_raises_part_way_after_the_items_it_yielded(fake) -> None:
    with open_project(fake) as project:
        fake.listing("object", [c_object(b"first")], fake.error(0x02, b"connection reset"))
        seen = []
        with pytest.raises(InternalError, match="connection reset"):
            for obj in iter_objects(project, "bucket"):
                seen.append(obj.key)
        assert seen == ["first"]
    fake.uplink_free_object_iterator.assert_called_once()


def test_an_abandoned_iterator_is_freed(fake) -> None:
    with open_project(fake) as project:
        fake.uplink_list_buckets.return_value = fake.handle(d._UplinkBucketIterator)
        fake.uplink_bucket_iterator_next.side_effect = [True, True]
        fake.uplink_bucket_iterator_item.side_effect = [fake.pointer(d._UplinkBucket(name=b"x", created=1))]
        buckets = iter_buckets(project)
        assert next(buckets).name == "x"
        del buckets
        gc.collect()
        fake.uplink_free_bucket_iterator.assert_called_once()
