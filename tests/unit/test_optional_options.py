"""Optional options arguments: None is NULL (the library's defaults), anything but the options class is a
TypeError that names the argument, before anything reaches C."""

import ctypes

import pytest

from uplink_python._c import convert as _convert
from uplink_python.module_classes import (
    CommitUploadOptions, DownloadOptions, EdgeRegisterAccessOptions, EdgeShareURLOptions, ListBucketsOptions,
    ListObjectsOptions, ListUploadPartsOptions, ListUploadsOptions, UploadOptions,
)

# (converter, its options class, the argument's name in the message)
CONVERTERS = [
    (_convert.upload_options_to_c, UploadOptions, "upload_options"),
    (_convert.download_options_to_c, DownloadOptions, "download_options"),
    (_convert.list_objects_options_to_c, ListObjectsOptions, "list_object_options"),
    (_convert.list_buckets_options_to_c, ListBucketsOptions, "list_bucket_options"),
    (_convert.commit_upload_options_to_c, CommitUploadOptions, "commit_upload_options"),
    (_convert.list_uploads_options_to_c, ListUploadsOptions, "list_uploads_options"),
    (_convert.list_upload_parts_options_to_c, ListUploadPartsOptions, "list_upload_parts_options"),
    (_convert.edge_register_options_to_c, EdgeRegisterAccessOptions, "options"),
    (_convert.edge_share_url_options_to_c, EdgeShareURLOptions, "options"),
]


@pytest.mark.parametrize("convert,cls,name", CONVERTERS, ids=[c[0].__name__ for c in CONVERTERS])
def test_none_is_null_a_default_is_a_struct_and_another_type_is_named(convert, cls, name):
    assert convert(None) is None
    assert isinstance(convert(cls()), ctypes.Structure)
    with pytest.raises(TypeError, match=rf"^{name} must be {cls.__name__} or None, not dict$"):
        convert({})
