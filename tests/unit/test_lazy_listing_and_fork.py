"""iter_objects/iter_buckets (uplink_python.listing) and fork safety (uplink_python._c.fork), with the fake library."""

from __future__ import annotations

import gc
import os
import time
import weakref

import pytest

from uplink_python._c import fork as _fork, native as _native
from uplink_python._c import structs as d
from uplink_python.errors import InternalError
from uplink_python.listing import iter_buckets, iter_objects
from uplink_python.module_classes import ListObjectsOptions

from .fake_library import c_object
from .helpers import open_project


def test_iter_objects_yields_before_the_next_page_and_frees_everything(fake) -> None:
    with open_project(fake) as project:
        fake.uplink_list_objects.return_value = fake.handle(d._UplinkObjectIterator)
        fake.uplink_object_iterator_next.side_effect = [True, True, False]
        fake.uplink_object_iterator_item.side_effect = [fake.pointer(c_object(b"a")), fake.pointer(c_object(b"b"))]
        fake.uplink_object_iterator_err.return_value = None
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
        fake.uplink_list_objects.return_value = fake.handle(d._UplinkObjectIterator)
        fake.uplink_object_iterator_next.side_effect = [True, False]
        fake.uplink_object_iterator_item.side_effect = [fake.pointer(c_object(b"first"))]
        fake.uplink_object_iterator_err.return_value = fake.error(0x02, b"connection reset")
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


def test_fork_child_gets_a_clear_exception_at_once_and_frees_nothing(fake) -> None:
    project = open_project(fake)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what the first call does, then leave without running finalizers
        os.close(read_end)
        started = time.monotonic()
        try:
            project.stat_bucket("b")
            message = "no exception"
        except _fork.ForkedProcessError as error:
            alive = [f for f in list(getattr(weakref.finalize, "_registry", {}))
                     if f.peek() is not None and _fork._is_library_finalizer(f.peek()[1])]
            message = f"ok {time.monotonic() - started:.3f} {len(alive)} {error}"
        except BaseException as error:  # noqa: BLE001
            message = f"wrong {type(error).__name__}: {error}"
        os.write(write_end, message.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        message = pipe.read().decode()
    os.waitpid(pid, 0)
    assert message.startswith("ok "), message
    _, seconds, alive, *text = message.split(" ")
    assert float(seconds) < 1.0 and alive == "0"
    assert "spawn" in " ".join(text) and "uplink_stat_bucket" in " ".join(text)
    assert not isinstance(_native._library.uplink_stat_bucket, type(lambda: None))  # the parent is untouched
    fake.uplink_stat_bucket.return_value = fake.result(
        d._UplinkBucketResult, bucket=fake.pointer(d._UplinkBucket(name=b"b", created=1)))
    assert project.stat_bucket("b").name == "b"
    project.close()


def test_fork_before_loading_leaves_the_child_free_to_load(mocker) -> None:
    mocker.patch.object(_native, "_library", None)
    _fork.after_fork_in_child(os.getpid())  # nothing loaded: nothing to refuse
    assert _native._library is None


def test_a_listing_in_progress_refuses_in_the_fork_child(fake) -> None:
    with open_project(fake) as project:
        fake.uplink_list_buckets.return_value = fake.handle(d._UplinkBucketIterator)
        fake.uplink_bucket_iterator_next.side_effect = [True, True]
        fake.uplink_bucket_iterator_item.side_effect = [fake.pointer(d._UplinkBucket(name=b"x", created=1))] * 2
        buckets = iter_buckets(project)
        assert next(buckets).name == "x"
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                next(buckets)
                message = "no exception"
            except _fork.ForkedProcessError as error:
                message = f"ok {error}"
            except BaseException as error:  # noqa: BLE001
                message = f"wrong {type(error).__name__}: {error}"
            os.write(write_end, message.encode())
            os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            message = pipe.read().decode()
        os.waitpid(pid, 0)
        assert message.startswith("ok "), message
        buckets.close()
