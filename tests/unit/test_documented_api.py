"""Every function of the API reference exists with the documented argument names, importable as documented."""

import inspect

import pytest

import uplink_python
from uplink_python import errors, module_classes
from uplink_python.access import Access
from uplink_python.download import Download
from uplink_python.project import Project
from uplink_python.upload import Upload
from uplink_python.uplink import Uplink

# From the old uplink-python package's API reference: method -> its documented arguments, in order.
DOCUMENTED = {
    (Uplink, "request_access_with_passphrase"): ["satellite", "api_key", "passphrase"],
    (Uplink, "config_request_access_with_passphrase"): ["config", "satellite", "api_key", "passphrase"],
    (Uplink, "parse_access"): ["serialized_access"],
    (Access, "derive_encryption_key"): ["passphrase", "salt"],
    (Access, "override_encryption_key"): ["bucket_name", "prefix", "encryption_key"],
    (Access, "serialize"): [],
    (Access, "share"): ["permissions", "shared_prefix"],
    (Access, "open_project"): [],
    (Access, "config_open_project"): ["config"],
    (Project, "close"): [],
    (Project, "ensure_bucket"): ["bucket_name"],
    (Project, "stat_bucket"): ["bucket_name"],
    (Project, "create_bucket"): ["bucket_name"],
    (Project, "list_buckets"): ["list_bucket_options"],
    (Project, "delete_bucket"): ["bucket_name"],
    (Project, "stat_object"): ["bucket_name", "storj_path"],
    (Project, "list_objects"): ["bucket_name", "list_object_options"],
    (Project, "delete_object"): ["bucket_name", "storj_path"],
    (Project, "upload_object"): ["bucket_name", "storj_path", "upload_options"],
    (Project, "download_object"): ["bucket_name", "storj_path", "download_options"],
    (Upload, "write"): ["data_to_write", "size_to_write"],
    (Upload, "write_file"): ["file_handle"],
    (Upload, "commit"): [],
    (Upload, "abort"): [],
    (Upload, "set_custom_metadata"): ["custom_metadata"],
    (Upload, "info"): [],
    (Download, "read"): ["size_to_read"],
    (Download, "read_file"): ["file_handle"],
    (Download, "close"): [],
    (Download, "info"): [],
    (Download, "file_size"): [],
}


@pytest.mark.parametrize("cls,name", DOCUMENTED, ids=lambda v: getattr(v, "__name__", v))
def test_documented_method_takes_the_documented_arguments_first(cls, name):
    parameters = list(inspect.signature(getattr(cls, name)).parameters.values())[1:]
    positional = [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
    documented = DOCUMENTED[(cls, name)]
    assert positional[:len(documented)] == documented
    # anything beyond the documented arguments is optional, so documented calls stay valid
    assert all(p.default is not p.empty for p in parameters[len(documented):])


@pytest.mark.parametrize("cls,name", DOCUMENTED, ids=lambda v: getattr(v, "__name__", v))
def test_documented_method_is_fully_type_hinted(cls, name):
    hints = getattr(cls, name).__annotations__
    signature = inspect.signature(getattr(cls, name))
    assert "return" in hints
    assert all(p in hints for p in signature.parameters if p != "self")


def test_documented_names_import_from_their_modules_and_the_package():
    for name in ["Config", "Permission", "SharePrefix", "Bucket", "Object", "SystemMetadata", "CustomMetadata",
                 "CustomMetadataEntry", "ListObjectsOptions", "ListBucketsOptions", "UploadOptions",
                 "DownloadOptions"]:
        assert getattr(uplink_python, name) is getattr(module_classes, name)
        assert callable(getattr(module_classes, name)().get_dict)
    for name in ["StorjException", "BucketNotEmptyError", "BucketNotFoundError", "ObjectNotFoundError",
                 "LibUplinkSoError"]:
        assert getattr(uplink_python, name) is getattr(errors, name)
    assert uplink_python.Uplink is Uplink
    assert uplink_python.__version__.startswith("1.14.0.")


def test_documented_data_class_calls_build_the_documented_values():
    assert module_classes.Permission(allow_list=True, allow_delete=False).get_dict() == {
        "allow_download": False, "allow_upload": False, "allow_list": True, "allow_delete": False,
        "not_before": 0, "not_after": 0}
    metadata = module_classes.CustomMetadata(
        [module_classes.CustomMetadataEntry(key="", key_length=0, value="", value_length=0)], 1)
    assert metadata.get_dict() == {"entries": [{"key": "", "key_length": 0, "value": "", "value_length": 0}],
                                   "count": 1}
    assert module_classes.ListObjectsOptions(recursive=True, system=True).get_dict() == {
        "prefix": "", "cursor": "", "recursive": True, "system": True, "custom": False}
    assert module_classes.Object(key="k").get_dict()["system"] == {"created": 0, "expires": 0, "content_length": 0}
    assert module_classes.DownloadOptions().length == -1  # read to the end unless told otherwise
