import gc

import pytest

from uplink_python._c import structs as d
from uplink_python.errors import (
    BucketAlreadyExistError, BucketNotEmptyError, BucketNotFoundError, ClosedError, InternalError,
    ObjectNotFoundError,
)
from uplink_python.module_classes import Bucket, ListBucketsOptions, ListObjectsOptions

from .fake_library import c_object
from .helpers import open_project


def bucket_result(fake, name=b"my-bucket", created=1700000000, error=None):
    bucket = fake.pointer(d._UplinkBucket(name=name, created=created)) if error is None else None
    return fake.result(d._UplinkBucketResult, bucket=bucket, error=error)


@pytest.mark.parametrize("method", ["stat_bucket", "create_bucket", "ensure_bucket", "delete_bucket",
                                    "delete_bucket_with_objects"])
def test_bucket_calls_return_a_bucket_and_free_the_result(fake, method):
    with open_project(fake) as project:
        getattr(fake, f"uplink_{method}").return_value = bucket_result(fake)
        bucket = getattr(project, method)("my-bucket")
        assert bucket == Bucket(name="my-bucket", created=1700000000)
        assert getattr(fake, f"uplink_{method}").call_args.args[1] == b"my-bucket"
    fake.uplink_free_bucket_result.assert_called_once()


@pytest.mark.parametrize("code,error", [(0x11, BucketAlreadyExistError), (0x12, BucketNotEmptyError),
                                        (0x13, BucketNotFoundError)])
def test_bucket_errors_are_their_own_classes(fake, code, error):
    with open_project(fake) as project:
        fake.uplink_delete_bucket.return_value = bucket_result(fake, error=fake.error(code, b"my-bucket"))
        with pytest.raises(error) as caught:
            project.delete_bucket("my-bucket")
        assert caught.value.details == "my-bucket"


def test_project_close_reports_the_close_error_and_still_frees(fake):
    project = open_project(fake)
    fake.uplink_close_project.return_value = fake.error(0x02, b"close failed")
    with pytest.raises(InternalError, match="close failed"):
        project.close()
    fake.uplink_free_project_result.assert_called_once()
    project.close()  # already closed: nothing more happens
    assert fake.uplink_close_project.call_count == 1
    with pytest.raises(ClosedError):
        project.stat_bucket("b")


def test_list_buckets_passes_cursor_and_frees_items_and_iterator(fake):
    with open_project(fake) as project:
        fake.listing("bucket", [d._UplinkBucket(name=b"a", created=1), d._UplinkBucket(name=b"b", created=2)])
        buckets = project.list_buckets(ListBucketsOptions(cursor="a0"))
        assert [b.name for b in buckets] == ["a", "b"]
        assert fake.uplink_list_buckets.call_args.args[1].cursor == b"a0"
    assert fake.uplink_free_bucket.call_count == 2
    fake.uplink_free_bucket_iterator.assert_called_once()


def test_listing_that_fails_part_way_raises_instead_of_returning_fewer(fake):
    with open_project(fake) as project:
        fake.listing("object", [c_object(b"first")], fake.error(0x02, b"connection reset"))
        with pytest.raises(InternalError, match="connection reset"):
            project.list_objects("bucket", ListObjectsOptions(recursive=True))
    fake.uplink_free_object_iterator.assert_called_once()


def test_list_objects_marshals_options_and_copies_metadata(fake):
    with open_project(fake) as project:
        fake.listing("object", [c_object(b"dir/f\xc3\xa9", {b"k\0ey": b"v\xffal\0"}, content_length=5)])
        objects = project.list_objects("bucket", ListObjectsOptions(prefix="dir/", cursor="c", recursive=True,
                                                                    system=True, custom=True))
        options = fake.uplink_list_objects.call_args.args[2]
        assert (options.prefix, options.cursor, options.recursive, options.system, options.custom) == (
            b"dir/", b"c", True, True, True)
        (obj,) = objects
        assert obj.key == "dir/fé" and obj.system.content_length == 5
        entry = obj.custom.entries[0]
        assert entry.key == "k\0ey" and entry.key_length == 4
        assert entry.value.encode("utf-8", "surrogateescape") == b"v\xffal\0" and entry.value_length == 5
        assert obj.get_dict()["custom"]["entries"][0]["key"] == "k\0ey"


def test_null_iterator_or_item_raise_instead_of_crashing(fake):
    with open_project(fake) as project:
        fake.uplink_list_buckets.return_value = None
        with pytest.raises(InternalError, match="no iterator"):
            project.list_buckets()
        fake.uplink_list_objects.return_value = fake.handle(d._UplinkObjectIterator)
        fake.uplink_object_iterator_next.side_effect = [True]
        fake.uplink_object_iterator_item.return_value = None
        with pytest.raises(InternalError, match="no item"):
            project.list_objects("bucket")


def test_stat_and_delete_object(fake):
    with open_project(fake) as project:
        fake.uplink_stat_object.return_value = fake.result(d._UplinkObjectResult, object=fake.pointer(c_object(b"k")))
        assert project.stat_object("bucket", "k").key == "k"
        fake.uplink_stat_object.return_value = fake.result(d._UplinkObjectResult, error=fake.error(0x21, b"k"))
        with pytest.raises(ObjectNotFoundError):
            project.stat_object("bucket", "k")
        fake.uplink_delete_object.return_value = fake.result(d._UplinkObjectResult)  # nothing was there
        assert project.delete_object("bucket", "k") is None
        with pytest.raises(TypeError, match="storj_path must be str"):
            project.delete_object("bucket", None)
    assert fake.uplink_free_object_result.call_count == 3


def test_closing_the_project_closes_its_uploads_and_downloads_first(fake):
    project = open_project(fake)
    fake.uplink_upload_object.return_value = fake.result(d._UplinkUploadResult, upload=fake.handle(d._UplinkUpload))
    fake.uplink_download_object.return_value = fake.result(
        d._UplinkDownloadResult, download=fake.handle(d._UplinkDownload))
    fake.uplink_close_download.return_value = None
    fake.uplink_close_project.return_value = None
    upload = project.upload_object("bucket", "key")
    download = project.download_object("bucket", "key")
    project.close()
    assert upload.closed and download.closed
    names = [c[0] for c in fake.calls.mock_calls if c[0].startswith(("uplink_free", "uplink_close"))]
    assert names.index("uplink_free_upload_result") < names.index("uplink_close_project")
    assert names.index("uplink_close_download") < names.index("uplink_close_project")
    with pytest.raises(ClosedError, match="Upload is closed"):
        upload.write(b"x")


def test_dropped_project_is_closed_and_freed(fake):
    fake.uplink_close_project.return_value = None
    open_project(fake)
    gc.collect()
    fake.uplink_close_project.assert_called_once()
    fake.uplink_free_project_result.assert_called_once()


def test_a_child_failing_to_close_does_not_keep_the_project_open(fake):
    project = open_project(fake)
    fake.uplink_download_object.return_value = fake.result(
        d._UplinkDownloadResult, download=fake.handle(d._UplinkDownload))
    download = project.download_object("bucket", "key")
    fake.uplink_close_download.return_value = fake.error(0x02, b"download close failed")
    with pytest.raises(InternalError, match="download close failed"):
        project.close()
    assert download.closed and project.closed
    fake.uplink_close_project.assert_called_once()
    fake.uplink_free_project_result.assert_called_once()
