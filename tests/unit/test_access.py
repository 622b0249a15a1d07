import ctypes

import pytest

from uplink_python._c import structs as d
from uplink_python.access import Access, EncryptionKey
from uplink_python.errors import ClosedError, InvalidHandleError, PermissionDeniedError
from uplink_python.module_classes import Config, Permission, SharePrefix

from .helpers import open_access, uplink_over


def test_request_access_passes_utf8_strings_and_owns_the_result(fake):
    fake.uplink_request_access_with_passphrase.return_value = fake.result(
        d._UplinkAccessResult, access=fake.handle(d._UplinkAccess))
    access = uplink_over(fake).request_access_with_passphrase("127.0.0.1:7777", "key", "pässword")
    fake.uplink_request_access_with_passphrase.assert_called_once_with(b"127.0.0.1:7777", b"key", "pässword".encode())
    assert isinstance(access, Access) and fake.live  # held until closed
    access.close()
    access.close()  # idempotent
    fake.uplink_free_access_result.assert_called_once()


def test_config_request_access_marshals_config(fake):
    fake.uplink_config_request_access_with_passphrase.return_value = fake.result(
        d._UplinkAccessResult, access=fake.handle(d._UplinkAccess))
    config = Config(user_agent="tester/1.0", dial_timeout_milliseconds=1500, temp_directory="/tmp/x")
    uplink_over(fake).config_request_access_with_passphrase(config, "sat:7777", "key", "pass").close()
    config_c = fake.uplink_config_request_access_with_passphrase.call_args.args[0]
    assert (config_c.user_agent, config_c.dial_timeout_milliseconds, config_c.temp_directory) == (
        b"tester/1.0", 1500, b"/tmp/x")


def test_failed_request_frees_the_result_and_raises(fake):
    fake.uplink_parse_access.return_value = fake.result(d._UplinkAccessResult, error=fake.error(0x09, b"nope"))
    with pytest.raises(PermissionDeniedError, match="nope"):
        uplink_over(fake).parse_access("bad")
    fake.uplink_free_access_result.assert_called_once()


@pytest.mark.parametrize("args,error,words", [
    ((None, "key", "pass"), TypeError, "satellite must be str"),
    (("sat", 5, "pass"), TypeError, "api_key must be str, not int"),
    (("sat", "key", "pa\0ss"), ValueError, "passphrase must not contain NUL"),
    (("sat", "key", "\ud800"), ValueError, "passphrase is not valid UTF-8"),
])
def test_bad_arguments_are_refused_before_c_is_called(fake, args, error, words):
    with pytest.raises(error, match=words):
        uplink_over(fake).request_access_with_passphrase(*args)
    fake.uplink_request_access_with_passphrase.assert_not_called()


def test_serialize_and_satellite_address_return_str_and_free_the_string(fake):
    access = open_access(fake)
    fake.uplink_access_serialize.return_value = fake.result(d._UplinkStringResult, string=b"1Abc")
    fake.uplink_access_satellite_address.return_value = fake.result(d._UplinkStringResult, string=b"sat:7777")
    assert access.serialize() == "1Abc"
    assert access.satellite_address() == "sat:7777"
    assert fake.uplink_free_string_result.call_count == 2
    access.close()


def test_share_marshals_permission_and_prefix_array(fake):
    access = open_access(fake)
    fake.uplink_access_share.return_value = fake.result(d._UplinkAccessResult, access=fake.handle(d._UplinkAccess, 9))
    shared = access.share(Permission(allow_list=True, allow_download=True, not_after=1999999999),
                          [SharePrefix(bucket="b1", prefix="p/"), SharePrefix(bucket="b2", prefix="")])
    handle, permission, prefixes, count = fake.uplink_access_share.call_args.args
    assert handle.contents._handle == 1
    assert (permission.allow_download, permission.allow_upload, permission.allow_list, permission.allow_delete,
            permission.not_before, permission.not_after) == (True, False, True, False, 0, 1999999999)
    assert count == 2 and [(p.bucket, p.prefix) for p in prefixes] == [(b"b1", b"p/"), (b"b2", b"")]
    shared.close()
    access.close()


def test_share_without_prefixes_passes_null_and_zero(fake):
    access = open_access(fake)
    fake.uplink_access_share.return_value = fake.result(d._UplinkAccessResult, access=fake.handle(d._UplinkAccess))
    access.share(Permission(allow_list=True)).close()
    assert fake.uplink_access_share.call_args.args[2:] == (None, 0)
    with pytest.raises(TypeError, match=r"shared_prefix\[0\] must be SharePrefix"):
        access.share(Permission(), [{"bucket": "b"}])
    with pytest.raises(TypeError, match="permission.allow_list must be bool"):
        access.share(Permission(allow_list="yes"))
    assert fake.uplink_access_share.call_count == 1
    access.close()


def test_encryption_key_flow_passes_salt_bytes_and_returns_the_same_access(fake):
    access = open_access(fake)
    fake.uplink_derive_encryption_key.return_value = fake.result(
        d._UplinkEncryptionKeyResult, encryption_key=fake.handle(d._UplinkEncryptionKey, 5))
    fake.uplink_access_override_encryption_key.return_value = None

    def salt_seen(passphrase, address, size):
        assert (passphrase, ctypes.string_at(address, size)) == (b"new_passphrase", b"sa\0lt")
        return fake.uplink_derive_encryption_key.return_value
    fake.uplink_derive_encryption_key.side_effect = salt_seen
    key = access.derive_encryption_key("new_passphrase", b"sa\0lt")
    assert isinstance(key, EncryptionKey)
    assert access.override_encryption_key("bucket", "tenant/", key) is access
    _, bucket, prefix, key_handle = fake.uplink_access_override_encryption_key.call_args.args
    assert (bucket, prefix, key_handle.contents._handle) == (b"bucket", b"tenant/", 5)
    key.close()
    access.close()


def test_override_error_is_raised_and_freed(fake):
    access = open_access(fake)
    fake.uplink_derive_encryption_key.return_value = fake.result(
        d._UplinkEncryptionKeyResult, encryption_key=fake.handle(d._UplinkEncryptionKey))
    key = access.derive_encryption_key("p", "salt")
    fake.uplink_access_override_encryption_key.return_value = fake.error(0x04, b"invalid access")
    with pytest.raises(InvalidHandleError):
        access.override_encryption_key("bucket", "prefix", key)
    with pytest.raises(TypeError, match="encryption_key must be EncryptionKey"):
        access.override_encryption_key("bucket", "prefix", "not a key")
    key.close()
    access.close()


def test_every_method_after_close_raises_closed_error_without_calling_c(fake):
    access = open_access(fake)
    access.close()
    for call in (access.serialize, access.open_project, lambda: access.share(Permission()),
                 lambda: access.derive_encryption_key("p", "s"), lambda: access.config_open_project(Config())):
        with pytest.raises(ClosedError, match="Access is closed"):
            call()
    fake.uplink_access_serialize.assert_not_called()
    fake.uplink_open_project.assert_not_called()


def test_dropped_access_is_freed_by_its_finalizer(fake):
    open_access(fake)  # never closed, never referenced
    import gc
    gc.collect()
    fake.uplink_free_access_result.assert_called_once()


def test_share_accepts_permission_as_another_spelling(fake):
    access = open_access(fake)
    fake.uplink_access_share.return_value = fake.result(d._UplinkAccessResult, access=fake.handle(d._UplinkAccess))
    access.share(permission=Permission(allow_upload=True)).close()
    assert fake.uplink_access_share.call_args.args[1].allow_upload is True
    with pytest.raises(TypeError, match="not both"):
        access.share(Permission(), permission=Permission())
    access.close()
