"""One conversion each way between the data classes and the ctypes structs.

``*_to_c`` builds a struct from a data class, checking every field; the struct keeps the encoded
strings alive for as long as it lives. ``*_from_c`` copies a struct the library returned into a
data class, so nothing refers to C memory after the result is freed.
"""

from __future__ import annotations

import ctypes
import functools
import struct
from typing import Any, Callable, Iterable, Optional, TypeVar, Union

from . import args as _args
from . import ext_def as x
from . import structs as d
from ..errors import InvalidCustomMetadataError
from ..module_classes import (
    Bucket, CommitUploadOptions, Config, CustomMetadata, CustomMetadataEntry, DefaultRetention, DeleteObjectsResult,
    DeleteStatus, DownloadOptions, EdgeConfig, EdgeCredentials, EdgeRegisterAccessOptions, EdgeShareURLOptions,
    ListBucketsOptions, ListObjectsOptions, ListUploadPartsOptions, ListUploadsOptions, Object, ObjectLockConfiguration,
    Part, Permission, Retention, RetentionMode, SharePrefix, SystemMetadata, UploadInfo, UploadOptions, _trusted,
)


def text(raw: Optional[bytes]) -> str:
    """A C string as ``str``: the one decoding rule of the package (NULL is "").

    Keys, names and messages are UTF-8 written by Go; anything else (never expected) survives as
    surrogate escapes, so a key read back encodes to the same bytes.
    """
    return raw.decode("utf-8", "surrogateescape") if raw else ""


def bytes_at(pointer: Any, length: int) -> Optional[bytes]:
    """A copy of ``length`` bytes at ``pointer``; None for NULL or empty (an absent version or ETag)."""
    return ctypes.string_at(pointer, length) if pointer and length else None


def _integer(struct: type[ctypes.Structure], field: str, value: Any, name: str, minimum: Optional[int] = None) -> int:
    """``value`` for ``struct.field``, range-checked against that field's C type as module_def declares it."""
    c_type = next(spec[1] for spec in struct._fields_ if spec[0] == field)
    return _args.c_integer(value, name, c_type, minimum)


O = TypeVar("O")
R = TypeVar("R")


def _none_is_null(cls: type[O], name: str) -> Callable[[Callable[[O], R]], Callable[[Optional[O]], Optional[R]]]:
    """Makes a converter of a ``cls`` the converter of an optional argument ``name``: the argument is checked to
    be a ``cls`` (a ``TypeError`` names it otherwise), and None passes as None (NULL: the library's defaults)."""
    def optional(convert: Callable[[O], R]) -> Callable[[Optional[O]], Optional[R]]:
        @functools.wraps(convert)
        def checked(value: Optional[O]) -> Optional[R]:
            value = _args.instance(value, cls, name)
            return None if value is None else convert(value)
        return checked
    return optional


def _metadata_bytes(value: Union[str, bytes], label: str) -> bytes:
    """UTF-8 bytes of a metadata key or value; storj.io/uplink refuses non-UTF-8 and NUL ("invalid pairs")."""
    if isinstance(value, bytes):
        try:
            value.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidCustomMetadataError(None, None, f"{label} is not valid UTF-8 ({exc.reason})") from None
        data = value
    else:
        try:
            data = value.encode("utf-8")
        except UnicodeEncodeError as exc:  # lone surrogates, e.g. from surrogateescape decoding
            raise InvalidCustomMetadataError(None, None, f"{label} is not valid UTF-8 ({exc.reason})") from None
    if b"\0" in data:
        raise InvalidCustomMetadataError(None, None, f"{label} contains a NUL character")
    return data


def _metadata_entry(entry: CustomMetadataEntry, name: str) -> tuple[bytes, bytes]:
    """(key, value) as the bytes C gets, checked as storj.io/uplink's CustomMetadata.Verify would."""
    key_label = f"{name}: key {entry.key!r}"
    key = _metadata_bytes(entry.key, key_label)
    if not key:
        raise InvalidCustomMetadataError(None, None, f"{name}: the key is empty")
    return key, _metadata_bytes(entry.value, f"{key_label}: its value")


def config_to_c(config: Config) -> d._UplinkConfig:
    _args.instance(config, Config, "config", optional=False)
    return d._UplinkConfig(
        user_agent=_args.text(config.user_agent, "config.user_agent"),
        dial_timeout_milliseconds=_integer(d._UplinkConfig, "dial_timeout_milliseconds",
                                           config.dial_timeout_milliseconds, "config.dial_timeout_milliseconds", 0),
        temp_directory=_args.text(config.temp_directory, "config.temp_directory"),
    )


def permission_to_c(permission: Permission) -> d._UplinkPermission:
    _args.instance(permission, Permission, "permission", optional=False)
    return d._UplinkPermission(
        allow_download=_args.flag(permission.allow_download, "permission.allow_download"),
        allow_upload=_args.flag(permission.allow_upload, "permission.allow_upload"),
        allow_list=_args.flag(permission.allow_list, "permission.allow_list"),
        allow_delete=_args.flag(permission.allow_delete, "permission.allow_delete"),
        not_before=_integer(d._UplinkPermission, "not_before", permission.not_before, "permission.not_before", 0),
        not_after=_integer(d._UplinkPermission, "not_after", permission.not_after, "permission.not_after", 0),
    )


def share_prefixes_to_c(prefixes: Any) -> Any:
    """A C array of SharePrefix (None for an empty list)."""
    if prefixes is None:
        return None
    if not isinstance(prefixes, (list, tuple)):
        raise TypeError(f"shared_prefix must be a list of SharePrefix, not {type(prefixes).__name__}")
    array = (d._UplinkSharePrefix * len(prefixes))()
    for index, prefix in enumerate(prefixes):
        _args.instance(prefix, SharePrefix, f"shared_prefix[{index}]", optional=False)
        array[index].bucket = _args.text(prefix.bucket, f"shared_prefix[{index}].bucket")
        array[index].prefix = _args.text(prefix.prefix, f"shared_prefix[{index}].prefix")
    return array if prefixes else None


def custom_metadata_to_c(metadata: CustomMetadata) -> d._UplinkCustomMetadata:
    """Entries point at the exact bytes with explicit lengths.

    Keys must be non-empty; keys and values must be UTF-8 without NUL (what storj.io/uplink accepts):
    anything else raises ``InvalidCustomMetadataError`` (a ``ValueError``) naming the entry, before C.
    """
    _args.instance(metadata, CustomMetadata, "custom_metadata", optional=False)
    entries = (d._UplinkCustomMetadataEntry * len(metadata.entries))()
    keep_alive = []
    for index, entry in enumerate(metadata.entries):
        name = f"custom_metadata.entries[{index}]"
        _args.instance(entry, CustomMetadataEntry, name, optional=False)
        key, value = _metadata_entry(entry, name)
        key_buffer, value_buffer = ctypes.create_string_buffer(key, len(key)), ctypes.create_string_buffer(value, len(value))
        keep_alive += [key_buffer, value_buffer]
        entries[index].key = ctypes.cast(key_buffer, d.c_char_ptr)
        entries[index].key_length = _integer(d._UplinkCustomMetadataEntry, "key_length", len(key), f"{name}.key_length")
        entries[index].value = ctypes.cast(value_buffer, d.c_char_ptr)
        entries[index].value_length = _integer(
            d._UplinkCustomMetadataEntry, "value_length", len(value), f"{name}.value_length")
    count = _integer(d._UplinkCustomMetadata, "count", len(metadata.entries), "custom_metadata.count")
    struct = d._UplinkCustomMetadata(entries=entries, count=count)
    struct._keep_alive = (entries, keep_alive)  # the C pointers above point into these
    return struct


@_none_is_null(UploadOptions, "upload_options")
def upload_options_to_c(options: UploadOptions) -> d._UplinkUploadOptions:
    return d._UplinkUploadOptions(
        expires=_integer(d._UplinkUploadOptions, "expires", options.expires, "upload_options.expires"))


@_none_is_null(DownloadOptions, "download_options")
def download_options_to_c(options: DownloadOptions) -> d._UplinkDownloadOptions:
    offset = _integer(d._UplinkDownloadOptions, "offset", options.offset, "download_options.offset")
    length = _integer(d._UplinkDownloadOptions, "length", options.length, "download_options.length")
    if offset < 0 and length >= 0:
        raise ValueError("download_options: a negative offset (a suffix) reads to the end; length must be negative")
    return d._UplinkDownloadOptions(offset=offset, length=length)


S = TypeVar("S", d._UplinkListObjectsOptions, d._UplinkListUploadsOptions)


def _listing_options_to_c(options: Any, cls: type, struct: type[S], name: str) -> Optional[S]:
    """Objects and pending uploads are listed with the same five options (prefix, cursor, flags)."""
    if _args.instance(options, cls, name) is None:
        return None
    return struct(
        prefix=_args.text(options.prefix, f"{name}.prefix"),
        cursor=_args.text(options.cursor, f"{name}.cursor"),
        recursive=_args.flag(options.recursive, f"{name}.recursive"),
        system=_args.flag(options.system, f"{name}.system"),
        custom=_args.flag(options.custom, f"{name}.custom"),
    )


def list_objects_options_to_c(options: Optional[ListObjectsOptions]) -> Optional[d._UplinkListObjectsOptions]:
    return _listing_options_to_c(options, ListObjectsOptions, d._UplinkListObjectsOptions, "list_object_options")


@_none_is_null(ListBucketsOptions, "list_bucket_options")
def list_buckets_options_to_c(options: ListBucketsOptions) -> d._UplinkListBucketsOptions:
    return d._UplinkListBucketsOptions(cursor=_args.text(options.cursor, "list_bucket_options.cursor"))


# The *_from_c conversions build their data classes with _trusted: what the library returned is valid by
# construction, and the public constructors' checks would only repeat (per object of a listing).

def bucket_from_c(bucket: d._UplinkBucket) -> Bucket:
    return _trusted(Bucket, name=text(bucket.name), created=bucket.created)


def custom_metadata_from_c(metadata: d._UplinkCustomMetadata) -> CustomMetadata:
    entries = []
    for index in range(metadata.count):  # one step per entry, never per byte
        entry = metadata.entries[index]
        key_length, value_length = entry.key_length, entry.value_length
        key = ctypes.string_at(entry.key, key_length) if key_length else b""
        value = ctypes.string_at(entry.value, value_length) if value_length else b""
        # text() keeps undecodable bytes as surrogate escapes, so the C byte counts are the UTF-8 lengths
        entries.append(_trusted(CustomMetadataEntry, key=text(key), key_length=key_length, value=text(value),
                                value_length=value_length))
    return _trusted(CustomMetadata, entries=entries, count=len(entries))


def _system_from_c(system: d._UplinkSystemMetadata) -> SystemMetadata:
    return _trusted(SystemMetadata, created=system.created, expires=system.expires,
                    content_length=system.content_length)


def object_from_c(obj: d._UplinkObject, version: Optional[bytes] = None, is_delete_marker: bool = False) -> Object:
    return _trusted(Object, key=text(obj.key), is_prefix=bool(obj.is_prefix), system=_system_from_c(obj.system),
                    custom=custom_metadata_from_c(obj.custom), version=version, is_delete_marker=is_delete_marker)


# The layouts of UplinkObject and UplinkCustomMetadataEntry as struct formats, to read a page of objects
# (upy_object_iterator_next_array) from one copy of its allocation instead of through ctypes per field:
# key, is_prefix, system (created, expires, content_length), custom (entries, count); key, key_length,
# value, value_length. tests/unit/test_convert_trusted.py checks them against the ctypes structures.
_OBJECT_LAYOUT = struct.Struct("@P?7xqqqPN")
_ENTRY_LAYOUT = struct.Struct("@PNPN")


def objects_from_c_array(page: x._UpyObjectArray) -> list[Object]:
    """The objects of a page from upy_object_iterator_next_array: its block (objects, then the entries and
    strings they point into) copied once, each object's fields unpacked in one step."""
    if not page.count:
        return []
    base: int = page.objects
    block = ctypes.string_at(base, page.bytes)
    records = memoryview(block)[:page.count * _OBJECT_LAYOUT.size]
    objects = []
    for key_at, is_prefix, created, expires, length, entries_at, count in _OBJECT_LAYOUT.iter_unpack(records):
        start = key_at - base
        entries = []
        for index in range(count):  # one step per entry, never per byte
            key_at, key_length, value_at, value_length = _ENTRY_LAYOUT.unpack_from(
                block, entries_at - base + index * _ENTRY_LAYOUT.size)
            key, value = key_at - base, value_at - base
            entries.append(_trusted(CustomMetadataEntry, key=text(block[key:key + key_length]), key_length=key_length,
                                    value=text(block[value:value + value_length]), value_length=value_length))
        objects.append(_trusted(
            Object, key=text(block[start:block.index(b"\0", start)]), is_prefix=is_prefix,
            system=_trusted(SystemMetadata, created=created, expires=expires, content_length=length),
            custom=_trusted(CustomMetadata, entries=entries, count=count), version=None, is_delete_marker=False))
    return objects


def upload_info_from_c(info: d._UplinkUploadInfo) -> UploadInfo:
    return _trusted(UploadInfo, upload_id=text(info.upload_id), key=text(info.key), is_prefix=bool(info.is_prefix),
                    system=_system_from_c(info.system), custom=custom_metadata_from_c(info.custom))


@_none_is_null(CommitUploadOptions, "commit_upload_options")
def commit_upload_options_to_c(options: CommitUploadOptions) -> d._UplinkCommitUploadOptions:
    metadata = custom_metadata_to_c(options.custom_metadata)
    struct = d._UplinkCommitUploadOptions(custom_metadata=metadata)
    struct._keep_alive = metadata  # the entries the struct's copy points at
    return struct


def list_uploads_options_to_c(options: Optional[ListUploadsOptions]) -> Optional[d._UplinkListUploadsOptions]:
    return _listing_options_to_c(options, ListUploadsOptions, d._UplinkListUploadsOptions, "list_uploads_options")


@_none_is_null(ListUploadPartsOptions, "list_upload_parts_options")
def list_upload_parts_options_to_c(options: ListUploadPartsOptions) -> d._UplinkListUploadPartsOptions:
    cursor = _integer(d._UplinkListUploadPartsOptions, "cursor", options.cursor, "list_upload_parts_options.cursor")
    return d._UplinkListUploadPartsOptions(cursor=cursor)

# edge

def edge_config_to_c(config: EdgeConfig) -> d._EdgeConfig:
    """A checked C ``EdgeConfig``."""
    _args.instance(config, EdgeConfig, "config", optional=False)
    return d._EdgeConfig(
        auth_service_address=_args.text(config.auth_service_address, "config.auth_service_address"),
        certificate_pem=_args.text(config.certificate_pem, "config.certificate_pem"),
        insecure_unencrypted_connection=_args.flag(config.insecure_unencrypted_connection,
                                                   "config.insecure_unencrypted_connection"),
    )


@_none_is_null(EdgeRegisterAccessOptions, "options")
def edge_register_options_to_c(options: EdgeRegisterAccessOptions) -> d._EdgeRegisterAccessOptions:
    """Checked C register options; None stays NULL."""
    return d._EdgeRegisterAccessOptions(is_public=_args.flag(options.is_public, "options.is_public"))


@_none_is_null(EdgeShareURLOptions, "options")
def edge_share_url_options_to_c(options: EdgeShareURLOptions) -> d._EdgeShareURLOptions:
    """Checked C share URL options; None stays NULL."""
    return d._EdgeShareURLOptions(raw=_args.flag(options.raw, "options.raw"))


def edge_credentials_from_c(credentials: d._EdgeCredentials) -> EdgeCredentials:
    """S3 credentials from C."""
    return EdgeCredentials(access_key_id=text(credentials.access_key_id), secret_key=text(credentials.secret_key),
                           endpoint=text(credentials.endpoint))


# multipart

def part_from_c(part: d._UplinkPart) -> Part:
    """A part of a multipart upload from C (its ETag copied as bytes)."""
    etag = ctypes.string_at(part.etag, part.etag_length) if part.etag_length else b""
    return Part(part_number=int(part.part_number), size=int(part.size), modified=int(part.modified), etag=etag)


def part_number_to_c(value: Any) -> int:
    """A part number as C's uint32_t."""
    return _args.c_integer(value, "part_number", ctypes.c_uint32)


# versioning and Object Lock (our upy_ extensions)

def version_to_c(value: Any, name: str = "version") -> tuple[Optional[bytes], int]:
    """(bytes, length) of a version argument: an ``Object.version``, or None for the latest."""
    if value is None:
        return None, 0
    if not isinstance(value, bytes):
        raise TypeError(f"{name} must be bytes (an Object.version) or None, not {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must not be empty (None means the latest version)")
    return value, len(value)


def versioned_object_from_c(item: x._UpyVersionedObject) -> Object:
    """An ``Object`` with its version from a C ``UpyVersionedObject``."""
    return object_from_c(item.object.contents, bytes_at(item.version, item.version_length),
                         bool(item.is_delete_marker))


def retention_to_c(retention: Optional[Retention], name: str) -> x._UpyRetention:
    """A checked C retention; None is no retention."""
    if retention is None:
        return x._UpyRetention(mode=0, retain_until=0)
    _args.instance(retention, Retention, name, optional=False)
    mode = RetentionMode(retention.mode)
    until = _args.c_integer(retention.retain_until, f"{name}.retain_until", ctypes.c_int64, minimum=1)
    return x._UpyRetention(mode=int(mode), retain_until=until)


def ext_upload_options_to_c(options: UploadOptions) -> x._UpyUploadOptions:
    """The extension's upload options (expiration, retention, legal hold, If-None-Match)."""
    plain = upload_options_to_c(options)
    assert plain is not None
    return x._UpyUploadOptions(
        expires=plain.expires, retention=retention_to_c(options.retention, "upload_options.retention"),
        legal_hold=_args.flag(options.legal_hold, "upload_options.legal_hold"),
        if_none_match=_args.flag(options.if_none_match, "upload_options.if_none_match"))


def object_lock_configuration_from_c(c: x._UpyObjectLockConfiguration) -> ObjectLockConfiguration:
    """A bucket's Object Lock configuration from C."""
    default = None
    if c.default_mode:
        default = DefaultRetention(RetentionMode(c.default_mode), int(c.default_days), int(c.default_years))
    return ObjectLockConfiguration(enabled=bool(c.enabled), default_retention=default)


def object_lock_configuration_to_c(configuration: ObjectLockConfiguration) -> x._UpyObjectLockConfiguration:
    """A checked C Object Lock configuration."""
    _args.instance(configuration, ObjectLockConfiguration, "configuration", optional=False)
    c = x._UpyObjectLockConfiguration(enabled=_args.flag(configuration.enabled, "configuration.enabled"))
    default = _args.instance(configuration.default_retention, DefaultRetention, "configuration.default_retention")
    if default is not None:
        c.default_mode = int(RetentionMode(default.mode))
        c.default_days = _args.c_integer(default.days, "default_retention.days", ctypes.c_int32, minimum=0)
        c.default_years = _args.c_integer(default.years, "default_retention.years", ctypes.c_int32, minimum=0)
    return c


def delete_items_to_c(items: Iterable[Any]) -> Any:
    """The C array of ``delete_objects`` items: keys (their latest) or (key, version) pairs."""
    if isinstance(items, (str, bytes)):
        raise TypeError("items must be an iterable of keys or (key, version) pairs, not a single key")
    entries = []
    for index, item in enumerate(items):
        key, version = (item, None) if isinstance(item, str) else _delete_pair(item, index)
        raw_version, length = version_to_c(version, f"items[{index}] version")
        entries.append(x._UpyDeleteObjectsItem(object_key=_args.text(key, f"items[{index}] key"),
                                               version=raw_version, version_length=length))
    if not entries:
        raise ValueError("items must name at least one object")
    return (x._UpyDeleteObjectsItem * len(entries))(*entries)


def _delete_pair(item: Any, index: int) -> tuple[Any, Any]:
    if not isinstance(item, tuple) or len(item) != 2:
        raise TypeError(f"items[{index}] must be a key (str) or a (key, version) pair, not {item!r}")
    return item[0], item[1]


def delete_results_from_c(result: x._UpyDeleteObjectsResult) -> list[DeleteObjectsResult]:
    """One ``DeleteObjectsResult`` per item of a batch delete."""
    out = []
    for index in range(result.items_count):
        item = result.items[index]
        out.append(DeleteObjectsResult(
            key=text(ctypes.string_at(item.object_key)),
            version=bytes_at(item.requested_version, item.requested_version_length),
            status=DeleteStatus(item.status),
            removed=bool(item.removed), removed_version=bytes_at(item.removed_version, item.removed_version_length),
            marker_created=bool(item.marker_created),
            marker_version=bytes_at(item.marker_version, item.marker_version_length)))
    return out
