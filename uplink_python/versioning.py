"""Object versioning, Object Lock, conditional writes and batch deletes on ``Project``.

These go through our libuplinkc's ``upy_`` extensions (``uplink_python_ext.h``). On an upstream uplink-c
library they raise ``ExtensionUnavailableError``, which says this project's libuplinkc is needed; the rest
of the package works as before. The satellite's rules are described in ``docs/versioning.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional, Union

from ._c import args as _args, convert as _convert, native as _native
from ._c import ext_def as x
from ._c.native import lib
from ._c.handle import IteratorFunctions, LazyIterator, Owned
from ._c.results import check, consume, own
from ._c.steps import CCall, Steps
from .errors import ExtensionUnavailableError
from .module_classes import (
    Bucket, BucketVersioning, DeleteObjectsResult, DownloadOptions,
    ListObjectsOptions, Object, ObjectLockConfiguration, Retention, RetentionMode, UploadOptions,
)

if TYPE_CHECKING:
    from ._c.capi import Library
    from .download import Download
    from .upload import Upload

# A version argument: the bytes of ``Object.version``; None for the latest.
Version = Optional[bytes]
# An item of ``delete_objects``: a key (its latest), or (key, version).
DeleteItem = Union[str, "tuple[str, Optional[bytes]]"]


def require() -> Library:
    """The loaded library, if it has our ``upy_`` extensions; else ``ExtensionUnavailableError``."""
    library = lib()
    if not _has_extensions(library):
        raise ExtensionUnavailableError(
            details=f"{_native.loaded_path()} is not uplink_python's own libuplinkc: it lacks the upy_ extensions")
    return library


def available() -> bool:
    """Whether the loaded libuplinkc has the extensions (uplink_python's own library)."""
    return _has_extensions(lib())


# (library, whether it has the extensions): asked on every stat/download/delete, and the library's answer
# never changes, so it is looked up once per loaded library rather than one hasattr per extension each time.
_extensions_of: Optional[tuple[Any, bool]] = None


def _has_extensions(library: Library) -> bool:
    global _extensions_of
    known = _extensions_of
    if known is None or known[0] is not library:
        known = _extensions_of = (library, _native.has_extensions())
    return known[1]


def _versioned(result: Any) -> Optional[Object]:
    return consume(result, lib().upy_free_versioned_object_result,
                   lambda r: _convert.versioned_object_from_c(r.object.contents) if r.object else None)


def needs_extension(options: Optional[UploadOptions]) -> bool:
    """Whether an upload with these options must go through the extension."""
    return options is not None and bool(options.if_none_match or options.retention is not None or options.legal_hold)


def upload_info(upload: "Upload") -> Object:
    """``Upload.info()``: with the version when the library has the extension."""
    with upload._call() as handle:
        if available():
            return _versioned(lib().upy_upload_info(handle))  # type: ignore[return-value]
        return consume(lib().uplink_upload_info(handle), lib().uplink_free_object_result,
                       lambda r: _convert.object_from_c(r.object.contents))


class VersioningMethods(Owned):
    """The versioning, Object Lock, conditional write and batch delete methods of ``Project``."""

    def _create_locked_bucket(self, bucket_name: str) -> Bucket:
        name = _args.text(bucket_name, "bucket_name")
        library = require()
        with self._call() as handle:
            return consume(library.upy_create_bucket(handle, name, True), lib().uplink_free_bucket_result,
                           lambda r: _convert.bucket_from_c(r.bucket.contents))

    def set_bucket_versioning(self, bucket_name: str, enabled: bool) -> None:
        """Enables a bucket's versioning, or (``enabled=False``) suspends it. A bucket that was never
        versioned cannot be suspended, and a bucket with Object Lock stays versioned."""
        name = _args.text(bucket_name, "bucket_name")
        flag = _args.flag(enabled, "enabled")
        library = require()
        with self._call() as handle:
            check(library.upy_set_bucket_versioning(handle, name, flag))

    def get_bucket_versioning(self, bucket_name: str) -> BucketVersioning:
        """The bucket's versioning state."""
        name = _args.text(bucket_name, "bucket_name")
        library = require()
        with self._call() as handle:
            return consume(library.upy_get_bucket_versioning(handle, name), lib().upy_free_int_result,
                           lambda r: BucketVersioning(r.value))

    def _args_of(self, bucket_name: str, key: str,
                 version: Version) -> tuple[Library, tuple[bytes, bytes, Optional[bytes], int]]:
        args = (_args.text(bucket_name, "bucket_name"), _args.text(key, "storj_path"), *_convert.version_to_c(version))
        return require(), args

    def _stat_version_steps(self, bucket_name: str, storj_path: str, version: Version) -> Steps[Object]:
        library, args = self._args_of(bucket_name, storj_path, version)
        with self._call() as handle:
            result = yield CCall(library.upy_stat_object, handle, *args)
        return _versioned(result)  # type: ignore[return-value]

    def _delete_version_steps(self, bucket_name: str, storj_path: str, version: Version,
                              bypass_governance: bool) -> Steps[Optional[Object]]:
        library, args = self._args_of(bucket_name, storj_path, version)
        bypass = _args.flag(bypass_governance, "bypass_governance")
        with self._call() as handle:
            result = yield CCall(library.upy_delete_object, handle, *args, bypass)
        return _versioned(result)

    def _download_version_steps(self, bucket_name: str, storj_path: str, version: Version,
                                download_options: Optional[DownloadOptions]) -> Steps["Download"]:
        from .download import Download

        library, args = self._args_of(bucket_name, storj_path, version)
        options = _convert.download_options_to_c(download_options)
        with self._call() as handle:
            result = yield CCall(library.upy_download_object, handle, *args, options)
        requested = (options.offset, options.length) if options is not None else (0, -1)
        download: Download = self._adopt(Download(own(result, lib().uplink_free_download_result, "download"), requested))
        return download

    def _upload_with_options_steps(self, bucket_name: str, storj_path: str,
                                   upload_options: UploadOptions) -> Steps["Upload"]:
        from .upload import ConditionalUpload

        args = (_args.text(bucket_name, "bucket_name"), _args.text(storj_path, "storj_path"))
        options = _convert.ext_upload_options_to_c(upload_options)
        library = require()
        with self._call() as handle:
            result = yield CCall(library.upy_upload_object, handle, *args, options)
        upload = ConditionalUpload(own(result, lib().uplink_free_upload_result, "upload"))
        adopted: Upload = self._adopt(upload)
        return adopted

    def iter_object_versions(self, bucket_name: str,
                             options: Optional[ListObjectsOptions] = None) -> Iterator[Object]:
        """Every version and delete marker of a bucket (under ``options.prefix``), by key and newest first
        within a key, lazily. Each ``Object`` has its ``version`` and ``is_delete_marker``."""
        name = _args.text(bucket_name, "bucket_name")
        plain = _convert.list_objects_options_to_c(options)
        c_options = None
        if plain is not None:
            c_options = x._UpyListObjectVersionsOptions(prefix=plain.prefix, cursor=plain.cursor,
                                                        recursive=plain.recursive, system=plain.system,
                                                        custom=plain.custom)
        library = require()
        with self._call() as handle:
            iterator = library.upy_list_object_versions(handle, name, c_options)
        # A page per call where the library has it (this project's, since the version pages came).
        paged = _native.has_function("upy_object_version_iterator_next_page")
        functions = IteratorFunctions(
            "object version", library.upy_object_version_iterator_next, library.upy_object_version_iterator_item,
            library.upy_object_version_iterator_err, library.upy_free_object_version_iterator,
            library.upy_free_versioned_object,
            library.upy_object_version_iterator_next_page if paged else None,
            library.upy_free_object_version_page if paged else None)
        versions: LazyIterator[Object] = LazyIterator(iterator, functions, _convert.versioned_object_from_c,
                                                      keep_alive=(self, c_options))
        self._adopt(versions)  # closing the project frees it
        return versions

    def set_object_retention(self, bucket_name: str, storj_path: str, retention: Optional[Retention], *,
                             version: Version = None, bypass_governance: bool = False) -> None:
        """Sets the retention of a version (the latest by default); None removes it. Compliance retention
        can only be extended; governance can be shortened or removed only with ``bypass_governance``."""
        library, args = self._args_of(bucket_name, storj_path, version)
        c_retention = _convert.retention_to_c(retention, "retention")
        bypass = _args.flag(bypass_governance, "bypass_governance")
        with self._call() as handle:
            check(library.upy_set_object_retention(handle, *args, c_retention, bypass))

    def get_object_retention(self, bucket_name: str, storj_path: str, *, version: Version = None) -> Retention:
        """The retention of a version; ``RetentionNotFoundError`` when it has none."""
        library, args = self._args_of(bucket_name, storj_path, version)
        with self._call() as handle:
            return consume(library.upy_get_object_retention(handle, *args), lib().upy_free_retention_result,
                           lambda r: Retention(RetentionMode(r.retention.mode), int(r.retention.retain_until)))

    def set_object_legal_hold(self, bucket_name: str, storj_path: str, enabled: bool, *,
                              version: Version = None) -> None:
        """Places (``enabled``) or lifts the legal hold of a version: while held it cannot be deleted."""
        library, args = self._args_of(bucket_name, storj_path, version)
        flag = _args.flag(enabled, "enabled")
        with self._call() as handle:
            check(library.upy_set_object_legal_hold(handle, *args, flag))

    def get_object_legal_hold(self, bucket_name: str, storj_path: str, *, version: Version = None) -> bool:
        """Whether a version is under legal hold."""
        library, args = self._args_of(bucket_name, storj_path, version)
        with self._call() as handle:
            return consume(library.upy_get_object_legal_hold(handle, *args), lib().upy_free_int_result,
                           lambda r: bool(r.value))

    def get_bucket_object_lock_configuration(self, bucket_name: str) -> ObjectLockConfiguration:
        """The Object Lock configuration (default retention) of a bucket created with Object Lock."""
        name = _args.text(bucket_name, "bucket_name")
        library = require()
        with self._call() as handle:
            return consume(library.upy_get_bucket_object_lock_configuration(handle, name),
                           lib().upy_free_object_lock_configuration_result, lambda r: _convert.object_lock_configuration_from_c(r.configuration))

    def set_bucket_object_lock_configuration(self, bucket_name: str, configuration: ObjectLockConfiguration) -> None:
        """Sets (or, with ``default_retention`` None, clears) the default retention of an Object Lock bucket."""
        name = _args.text(bucket_name, "bucket_name")
        c_configuration = _convert.object_lock_configuration_to_c(configuration)
        library = require()
        with self._call() as handle:
            check(library.upy_set_bucket_object_lock_configuration(handle, name, c_configuration))

    def delete_objects(self, bucket_name: str, items: Iterable[DeleteItem], *, bypass_governance: bool = False,
                       quiet: bool = False) -> list[DeleteObjectsResult]:
        """Deletes many keys (str: the latest version) or ``(key, version)`` pairs of one bucket in one request
        (at most 1,000). Returns one result per distinct item, by key; ``quiet`` leaves the successes out."""
        name = _args.text(bucket_name, "bucket_name")
        c_items = _convert.delete_items_to_c(items)
        bypass = _args.flag(bypass_governance, "bypass_governance")
        quiet_flag = _args.flag(quiet, "quiet")
        library = require()
        with self._call() as handle:
            return consume(library.upy_delete_objects(handle, name, c_items, len(c_items), bypass, quiet_flag),
                           lib().upy_free_delete_objects_result, _convert.delete_results_from_c)


__all__ = ["VersioningMethods", "available", "require", "upload_info", "needs_extension"]
