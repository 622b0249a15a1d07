"""One conversion each way between the data classes and the ctypes structs.

``*_to_c`` builds a struct from a data class, checking every field; the struct keeps the encoded
strings alive for as long as it lives. ``*_from_c`` copies a struct the library returned into a
data class, so nothing refers to C memory after the result is freed.
"""

from __future__ import annotations

import ctypes
from typing import Any, Optional, TypeVar, Union

from . import args as _args
from . import structs as d
from ..errors import InvalidCustomMetadataError
from ..module_classes import (
    Bucket, CommitUploadOptions, Config, CustomMetadata, CustomMetadataEntry, DownloadOptions, ListBucketsOptions,
    ListObjectsOptions, ListUploadPartsOptions, ListUploadsOptions, Object, Permission, SharePrefix, SystemMetadata,
    UploadInfo, UploadOptions,
)


def _string(raw: Optional[bytes]) -> str:
    # Keys and names are UTF-8 written by uplink; anything else (never expected) survives as surrogate escapes.
    return raw.decode("utf-8", "surrogateescape") if raw else ""


def _integer(struct: type[ctypes.Structure], field: str, value: Any, name: str, minimum: Optional[int] = None) -> int:
    """``value`` for ``struct.field``, range-checked against that field's C type as module_def declares it."""
    c_type = next(spec[1] for spec in struct._fields_ if spec[0] == field)
    return _args.c_integer(value, name, c_type, minimum)


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


def upload_options_to_c(options: Optional[UploadOptions]) -> Optional[d._UplinkUploadOptions]:
    options = _args.instance(options, UploadOptions, "upload_options")
    if options is None:
        return None
    return d._UplinkUploadOptions(
        expires=_integer(d._UplinkUploadOptions, "expires", options.expires, "upload_options.expires"))


def download_options_to_c(options: Optional[DownloadOptions]) -> Optional[d._UplinkDownloadOptions]:
    options = _args.instance(options, DownloadOptions, "download_options")
    if options is None:
        return None
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


def list_buckets_options_to_c(options: Optional[ListBucketsOptions]) -> Optional[d._UplinkListBucketsOptions]:
    options = _args.instance(options, ListBucketsOptions, "list_bucket_options")
    if options is None:
        return None
    return d._UplinkListBucketsOptions(cursor=_args.text(options.cursor, "list_bucket_options.cursor"))


def bucket_from_c(bucket: d._UplinkBucket) -> Bucket:
    return Bucket(name=_string(bucket.name), created=int(bucket.created))


def custom_metadata_from_c(metadata: d._UplinkCustomMetadata) -> CustomMetadata:
    entries = []
    for index in range(metadata.count):  # one step per entry, never per byte
        entry = metadata.entries[index]
        key = ctypes.string_at(entry.key, entry.key_length) if entry.key_length else b""
        value = ctypes.string_at(entry.value, entry.value_length) if entry.value_length else b""
        entries.append(CustomMetadataEntry(key=_string(key), value=_string(value)))
    return CustomMetadata(entries)


def object_from_c(obj: d._UplinkObject) -> Object:
    system = obj.system
    return Object(
        key=_string(obj.key),
        is_prefix=bool(obj.is_prefix),
        system=SystemMetadata(created=int(system.created), expires=int(system.expires),
                              content_length=int(system.content_length)),
        custom=custom_metadata_from_c(obj.custom),
    )


def upload_info_from_c(info: d._UplinkUploadInfo) -> UploadInfo:
    system = info.system
    return UploadInfo(
        upload_id=_string(info.upload_id), key=_string(info.key), is_prefix=bool(info.is_prefix),
        system=SystemMetadata(created=int(system.created), expires=int(system.expires),
                              content_length=int(system.content_length)),
        custom=custom_metadata_from_c(info.custom),
    )


def commit_upload_options_to_c(options: Optional[CommitUploadOptions]) -> Optional[d._UplinkCommitUploadOptions]:
    options = _args.instance(options, CommitUploadOptions, "commit_upload_options")
    if options is None:
        return None
    metadata = custom_metadata_to_c(options.custom_metadata)
    struct = d._UplinkCommitUploadOptions(custom_metadata=metadata)
    struct._keep_alive = metadata  # the entries the struct's copy points at
    return struct


def list_uploads_options_to_c(options: Optional[ListUploadsOptions]) -> Optional[d._UplinkListUploadsOptions]:
    return _listing_options_to_c(options, ListUploadsOptions, d._UplinkListUploadsOptions, "list_uploads_options")


def list_upload_parts_options_to_c(
        options: Optional[ListUploadPartsOptions]) -> Optional[d._UplinkListUploadPartsOptions]:
    options = _args.instance(options, ListUploadPartsOptions, "list_upload_parts_options")
    if options is None:
        return None
    cursor = _integer(d._UplinkListUploadPartsOptions, "cursor", options.cursor, "list_upload_parts_options.cursor")
    return d._UplinkListUploadPartsOptions(cursor=cursor)
