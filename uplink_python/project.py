"""Project: buckets and objects of one project, opened from an Access."""

from __future__ import annotations

import ctypes
import io
from typing import TYPE_CHECKING, Any, Callable, Iterator, Literal, Optional, Union, overload

from ._c import structs as d
from . import fileobj, listing, transfer, versioning
from ._c import args as _args, convert as _convert
from ._c.handle import IteratorFunctions, LazyIterator, Owned
from ._c.native import lib
from ._c.results import check, consume, own
from ._c.steps import CCall, Steps, run
from .download import Download
from .module_classes import (
    Bucket, CommitUploadOptions, CopyObjectOptions, CustomMetadata, DownloadOptions, ListBucketsOptions,
    ListObjectsOptions, ListUploadPartsOptions, ListUploadsOptions, MoveObjectOptions, Object, Part, UploadInfo,
    UploadObjectMetadataOptions, UploadOptions,
)
from .multipart import PartUpload
from .upload import Upload

if TYPE_CHECKING:
    from .access import Access


def _bucket(result: Any) -> Optional[Bucket]:
    return consume(result, lib().uplink_free_bucket_result,
                   lambda r: _convert.bucket_from_c(r.bucket.contents) if r.bucket else None)


def _object(result: Any) -> Optional[Object]:
    return consume(result, lib().uplink_free_object_result,
                   lambda r: _convert.object_from_c(r.object.contents) if r.object else None)


class Project(versioning.VersioningMethods, Owned, kind="Project", handle_field="project",
              free=lambda library: library.uplink_free_project_result,
              close=lambda library: library.uplink_close_project, concurrent=True):
    """An open project. Close it (or use ``with``) to release its connections.

    Its calls may run from many threads at once (a project is safe for concurrent use; an upload or a
    download is used by one thread at a time). Closing a project first closes the uploads (aborting
    uncommitted ones) and downloads opened from it, then waits for the calls in flight.
    Versioning, Object Lock, conditional writes and batch deletes: ``uplink_python.versioning``.
    """

    @property
    def project(self) -> "ctypes._Pointer[d._UplinkProject]":
        """Legacy, read-only: the ctypes pointer to the C ``UplinkProject`` handle struct, as the old
        package exposed it (``.contents._handle``). Raises ``ClosedError`` after close."""
        pointer: "ctypes._Pointer[d._UplinkProject]" = self._legacy_handle()
        return pointer

    # buckets

    def _bucket_call(self, function: Callable[[Any, bytes], d._UplinkBucketResult],
                     bucket_name: str) -> Optional[Bucket]:
        return run(self._bucket_steps(function, bucket_name))

    def _bucket_steps(self, function: Callable[[Any, bytes], d._UplinkBucketResult],
                      bucket_name: str) -> Steps[Optional[Bucket]]:
        name = _args.text(bucket_name, "bucket_name")
        with self._call() as handle:
            result = yield CCall(function, handle, name)
        return _bucket(result)

    def stat_bucket(self, bucket_name: str) -> Bucket:
        """The bucket's information; ``BucketNotFoundError`` when it does not exist."""
        return self._bucket_call(lib().uplink_stat_bucket, bucket_name)  # type: ignore[return-value]

    def create_bucket(self, bucket_name: str, *, object_lock: bool = False) -> Bucket:
        """Creates a bucket; ``BucketAlreadyExistError`` when it exists. ``object_lock`` creates it with
        Object Lock (and so with versioning enabled, for good)."""
        if _args.flag(object_lock, "object_lock"):
            return self._create_locked_bucket(bucket_name)
        return self._bucket_call(lib().uplink_create_bucket, bucket_name)  # type: ignore[return-value]

    def ensure_bucket(self, bucket_name: str) -> Bucket:
        """Creates a bucket, or returns it when it already exists."""
        return self._bucket_call(lib().uplink_ensure_bucket, bucket_name)  # type: ignore[return-value]

    def delete_bucket(self, bucket_name: str) -> Bucket:
        """Deletes an empty bucket; ``BucketNotEmptyError`` when it holds objects."""
        return self._bucket_call(lib().uplink_delete_bucket, bucket_name)  # type: ignore[return-value]

    def delete_bucket_with_objects(self, bucket_name: str) -> Bucket:
        """Deletes a bucket and every object in it."""
        return self._bucket_call(lib().uplink_delete_bucket_with_objects, bucket_name)  # type: ignore[return-value]

    def list_buckets(self, list_bucket_options: Optional[ListBucketsOptions] = None) -> list[Bucket]:
        """All buckets (after ``cursor``, when given). Raises if the listing fails part-way."""
        return list(self.iter_buckets(list_bucket_options))

    # objects

    def _object_args(self, bucket_name: str, storj_path: str) -> tuple[bytes, bytes]:
        return _args.text(bucket_name, "bucket_name"), _args.text(storj_path, "storj_path")

    def stat_object(self, bucket_name: str, storj_path: str, *, version: Optional[bytes] = None) -> Object:
        """The object's metadata (of ``version``, else the latest); ``ObjectNotFoundError`` when it does not
        exist, ``MethodNotAllowedError`` for a delete marker's version."""
        return run(self._stat_object_steps(bucket_name, storj_path, version))

    def _stat_object_steps(self, bucket_name: str, storj_path: str, version: Optional[bytes]) -> Steps[Object]:
        if version is not None or versioning.available():
            return (yield from self._stat_version_steps(bucket_name, storj_path, version))
        args = self._object_args(bucket_name, storj_path)
        with self._call() as handle:
            result = yield CCall(lib().uplink_stat_object, handle, *args)
        return _object(result)  # type: ignore[return-value]

    def delete_object(self, bucket_name: str, storj_path: str, *, version: Optional[bytes] = None,
                      bypass_governance: bool = False) -> Optional[Object]:
        """Deletes an object; returns what was deleted (None when there was nothing at that key).

        In a versioned bucket this writes a delete marker (returned, ``is_delete_marker``) and keeps the
        versions; ``version`` deletes that version itself, unless Object Lock protects it
        (``ObjectProtectedError``; ``bypass_governance`` lifts governance retention).
        """
        return run(self._delete_object_steps(bucket_name, storj_path, version, bypass_governance))

    def _delete_object_steps(self, bucket_name: str, storj_path: str, version: Optional[bytes],
                             bypass_governance: bool) -> Steps[Optional[Object]]:
        if version is not None or bypass_governance or versioning.available():
            return (yield from self._delete_version_steps(bucket_name, storj_path, version, bypass_governance))
        args = self._object_args(bucket_name, storj_path)
        with self._call() as handle:
            result = yield CCall(lib().uplink_delete_object, handle, *args)
        return _object(result)

    def list_objects(self, bucket_name: str, list_object_options: Optional[ListObjectsOptions] = None) -> list[Object]:
        """Objects of a bucket, by prefix and cursor; recursive or one level with prefixes.

        Raises if the listing fails part-way: a shorter list is never returned.
        """
        return list(self.iter_objects(bucket_name, list_object_options))

    def upload_object(self, bucket_name: str, storj_path: str,
                      upload_options: Optional[UploadOptions] = None) -> Upload:
        """Starts an upload to ``storj_path``; nothing is visible until ``Upload.commit``."""
        return run(self._upload_object_steps(bucket_name, storj_path, upload_options))

    def _upload_object_steps(self, bucket_name: str, storj_path: str,
                             upload_options: Optional[UploadOptions]) -> Steps[Upload]:
        if versioning.needs_extension(upload_options):
            return (yield from self._upload_with_options_steps(
                bucket_name, storj_path, upload_options))  # type: ignore[arg-type]
        args = self._object_args(bucket_name, storj_path)
        options = _convert.upload_options_to_c(upload_options)
        with self._call() as handle:
            result = yield CCall(lib().uplink_upload_object, handle, *args, options)
        return self._adopt(Upload(own(result, lib().uplink_free_upload_result, "upload")))

    def download_object(self, bucket_name: str, storj_path: str,
                        download_options: Optional[DownloadOptions] = None, *,
                        version: Optional[bytes] = None) -> Download:
        """Starts a download of ``storj_path`` (a byte range of it with ``download_options``; of
        ``version``, else the latest)."""
        return run(self._download_object_steps(bucket_name, storj_path, download_options, version))

    def _download_object_steps(self, bucket_name: str, storj_path: str, download_options: Optional[DownloadOptions],
                               version: Optional[bytes]) -> Steps[Download]:
        if version is not None:
            return (yield from self._download_version_steps(bucket_name, storj_path, version, download_options))
        args = self._object_args(bucket_name, storj_path)
        options = _convert.download_options_to_c(download_options)
        with self._call() as handle:
            result = yield CCall(lib().uplink_download_object, handle, *args, options)
        requested = (options.offset, options.length) if options is not None else (0, -1)
        return self._adopt(Download(own(result, lib().uplink_free_download_result, "download"), requested))

    # copy, move, metadata, revocation

    def copy_object(self, old_bucket_name: str, old_object_key: str, new_bucket_name: str, new_object_key: str,
                    copy_object_options: Optional[CopyObjectOptions] = None) -> Object:
        """Copies an object (data and metadata) to a new key, within or across buckets; returns the copy."""
        _args.instance(copy_object_options, CopyObjectOptions, "copy_object_options")
        args = self._move_args(old_bucket_name, old_object_key, new_bucket_name, new_object_key)
        with self._call() as handle:
            return _object(lib().uplink_copy_object(handle, *args, None))  # type: ignore[return-value]

    def move_object(self, old_bucket_name: str, old_object_key: str, new_bucket_name: str, new_object_key: str,
                    move_object_options: Optional[MoveObjectOptions] = None) -> None:
        """Moves an object to a new key, within or across buckets; the old key is gone afterwards."""
        _args.instance(move_object_options, MoveObjectOptions, "move_object_options")
        args = self._move_args(old_bucket_name, old_object_key, new_bucket_name, new_object_key)
        with self._call() as handle:
            check(lib().uplink_move_object(handle, *args, None))

    @staticmethod
    def _move_args(old_bucket: str, old_key: str, new_bucket: str, new_key: str) -> tuple[bytes, bytes, bytes, bytes]:
        return (_args.text(old_bucket, "old_bucket_name"), _args.text(old_key, "old_object_key"),
                _args.text(new_bucket, "new_bucket_name"), _args.text(new_key, "new_object_key"))

    def update_object_metadata(self, bucket_name: str, storj_path: str, new_metadata: CustomMetadata,
                               options: Optional[UploadObjectMetadataOptions] = None) -> None:
        """Replaces the custom metadata of a committed object."""
        _args.instance(options, UploadObjectMetadataOptions, "options")
        args = self._object_args(bucket_name, storj_path)
        metadata_c = _convert.custom_metadata_to_c(new_metadata)
        with self._call() as handle:
            check(lib().uplink_update_object_metadata(handle, *args, metadata_c, None))

    def revoke_access(self, access: "Access") -> None:
        """Revokes ``access`` (a share made from this project's access) and everything shared from it."""
        with self._call() as handle, access._call() as access_handle:
            check(lib().uplink_revoke_access(handle, access_handle))

    # multipart uploads

    def _upload_args(self, bucket_name: str, object_key: str, upload_id: str) -> tuple[bytes, bytes, bytes]:
        return (_args.text(bucket_name, "bucket_name"), _args.text(object_key, "object_key"),
                _args.text(upload_id, "upload_id"))

    def begin_upload(self, bucket_name: str, object_key: str,
                     upload_options: Optional[UploadOptions] = None) -> UploadInfo:
        """Starts a multipart upload; its ``upload_id`` names it in the calls that follow."""
        args = (_args.text(bucket_name, "bucket_name"), _args.text(object_key, "object_key"))
        options = _convert.upload_options_to_c(upload_options)
        with self._call() as handle:
            return consume(lib().uplink_begin_upload(handle, *args, options), lib().uplink_free_upload_info_result,
                           lambda r: _convert.upload_info_from_c(r.info.contents))

    def upload_part(self, bucket_name: str, object_key: str, upload_id: str, part_number: int) -> PartUpload:
        """Starts the upload of part ``part_number`` (parts may come in any order, also in parallel)."""
        args = self._upload_args(bucket_name, object_key, upload_id)
        number = _convert.part_number_to_c(part_number)
        with self._call() as handle:
            result = lib().uplink_upload_part(handle, *args, number)
        return self._adopt(PartUpload(own(result, lib().uplink_free_part_upload_result, "part_upload")))

    def commit_upload(self, bucket_name: str, object_key: str, upload_id: str,
                      commit_upload_options: Optional[CommitUploadOptions] = None) -> Object:
        """Makes the committed parts, in part-number order, the object; returns it."""
        args = self._upload_args(bucket_name, object_key, upload_id)
        options = _convert.commit_upload_options_to_c(commit_upload_options)
        with self._call() as handle:
            return consume(lib().uplink_commit_upload(handle, *args, options), lib().uplink_free_commit_upload_result,
                           lambda r: _convert.object_from_c(r.object.contents))

    def abort_upload(self, bucket_name: str, object_key: str, upload_id: str) -> None:
        """Drops a multipart upload and its parts."""
        args = self._upload_args(bucket_name, object_key, upload_id)
        with self._call() as handle:
            check(lib().uplink_abort_upload(handle, *args))

    def list_uploads(self, bucket_name: str,
                     list_uploads_options: Optional[ListUploadsOptions] = None) -> Iterator[UploadInfo]:
        """Pending multipart uploads, yielded as the satellite's pages arrive; raises if it fails part-way."""
        name = _args.text(bucket_name, "bucket_name")
        options = _convert.list_uploads_options_to_c(list_uploads_options)
        with self._call() as handle:
            iterator = lib().uplink_list_uploads(handle, name, options)
        library = lib()
        functions = IteratorFunctions("upload", library.uplink_upload_iterator_next,
                                      library.uplink_upload_iterator_item, library.uplink_upload_iterator_err,
                                      library.uplink_free_upload_iterator, library.uplink_free_upload_info)
        return self._adopt(LazyIterator(iterator, functions, _convert.upload_info_from_c, keep_alive=self))

    def list_upload_parts(self, bucket_name: str, object_key: str, upload_id: str,
                          list_upload_parts_options: Optional[ListUploadPartsOptions] = None) -> Iterator[Part]:
        """The uploaded parts of a pending multipart upload, lazily; raises if it fails part-way."""
        args = self._upload_args(bucket_name, object_key, upload_id)
        options = _convert.list_upload_parts_options_to_c(list_upload_parts_options)
        with self._call() as handle:
            iterator = lib().uplink_list_upload_parts(handle, *args, options)
        library = lib()
        functions = IteratorFunctions("part", library.uplink_part_iterator_next, library.uplink_part_iterator_item,
                                      library.uplink_part_iterator_err, library.uplink_free_part_iterator,
                                      library.uplink_free_part)
        return self._adopt(LazyIterator(iterator, functions, _convert.part_from_c, keep_alive=self))

    # Python habits: file objects, lazy listings, file transfers (uplink_python.fileobj, listing, transfer)

    @overload
    def open(self, bucket_name: str, storj_path: str, mode: Literal["rb"] = ..., *,
             buffer_size: int = ..., encoding: Optional[str] = ..., errors: Optional[str] = ...,
             newline: Optional[str] = ..., upload_options: Optional[UploadOptions] = ...,
             custom_metadata: fileobj.Metadata = ...) -> fileobj.StorjReader: ...

    @overload
    def open(self, bucket_name: str, storj_path: str, mode: Literal["wb"], *,
             buffer_size: int = ..., encoding: Optional[str] = ..., errors: Optional[str] = ...,
             newline: Optional[str] = ..., upload_options: Optional[UploadOptions] = ...,
             custom_metadata: fileobj.Metadata = ...) -> fileobj.StorjWriter: ...

    @overload
    def open(self, bucket_name: str, storj_path: str, mode: Literal["r", "rt"], *,
             buffer_size: int = ..., encoding: Optional[str] = ..., errors: Optional[str] = ...,
             newline: Optional[str] = ..., upload_options: Optional[UploadOptions] = ...,
             custom_metadata: fileobj.Metadata = ...) -> io.TextIOWrapper: ...

    @overload
    def open(self, bucket_name: str, storj_path: str, mode: Literal["w", "wt"], *,
             buffer_size: int = ..., encoding: Optional[str] = ..., errors: Optional[str] = ...,
             newline: Optional[str] = ..., upload_options: Optional[UploadOptions] = ...,
             custom_metadata: fileobj.Metadata = ...) -> fileobj.StorjTextWriter: ...

    @overload
    def open(self, bucket_name: str, storj_path: str, mode: str, *,
             buffer_size: int = ..., encoding: Optional[str] = ..., errors: Optional[str] = ...,
             newline: Optional[str] = ..., upload_options: Optional[UploadOptions] = ...,
             custom_metadata: fileobj.Metadata = ...
             ) -> Union[fileobj.StorjReader, fileobj.StorjWriter, io.TextIOWrapper]: ...

    def open(self, bucket_name: str, storj_path: str, mode: str = "rb", *,
             buffer_size: int = fileobj.DEFAULT_BUFFER_SIZE, encoding: Optional[str] = None,
             errors: Optional[str] = None, newline: Optional[str] = None,
             upload_options: Optional[UploadOptions] = None,
             custom_metadata: fileobj.Metadata = None) -> Union[fileobj.StorjReader, fileobj.StorjWriter, io.TextIOWrapper]:
        """The object as a file: ``"rb"`` a buffered, seekable reader (``size``, ``readinto``, ranged reads on
        ``seek``); ``"wb"`` a writer whose ``close()`` commits and which aborts when its ``with`` block raises;
        ``"r"``/``"w"`` the same as text (``io.TextIOWrapper``)."""
        return fileobj.open_object(self, bucket_name, storj_path, mode, buffer_size=buffer_size, encoding=encoding,
                                   errors=errors, newline=newline, upload_options=upload_options,
                                   custom_metadata=custom_metadata)

    def iter_objects(self, bucket_name: str,
                     list_object_options: Optional[ListObjectsOptions] = None) -> Iterator[Object]:
        """As ``list_objects``, lazily: objects are yielded as the satellite's pages arrive (constant memory);
        a failure part-way raises. ``close()`` the iterator to stop early."""
        return listing.iter_objects(self, bucket_name, list_object_options)

    def iter_buckets(self, list_bucket_options: Optional[ListBucketsOptions] = None) -> Iterator[Bucket]:
        """As ``list_buckets``, lazily."""
        return listing.iter_buckets(self, list_bucket_options)

    def upload_file(self, source: transfer.PathOrFile, bucket_name: str, storj_path: str, *,
                    custom_metadata: fileobj.Metadata = None, upload_options: Optional[UploadOptions] = None,
                    progress: Optional[transfer.ProgressCallback] = None, part_size: int = transfer.DEFAULT_PART_SIZE,
                    parallelism: int = transfer.DEFAULT_PARALLELISM,
                    multipart_threshold: Optional[int] = None) -> Object:
        """Uploads a file (a path, or a binary file object from its position); returns the committed object.

        Above ``multipart_threshold`` (default: ``part_size``, 64 MiB) it is a multipart upload of
        ``part_size`` parts, ``parallelism`` at a time. ``progress(bytes_so_far, total)`` is called as bytes
        go out. On any failure or interruption the upload is aborted: nothing is left pending.
        """
        return transfer.upload_file(self, source, bucket_name, storj_path, custom_metadata=custom_metadata,
                                    upload_options=upload_options, progress=progress, part_size=part_size,
                                    parallelism=parallelism, multipart_threshold=multipart_threshold)

    def download_file(self, bucket_name: str, storj_path: str, target: transfer.PathOrFile, *,
                      progress: Optional[transfer.ProgressCallback] = None,
                      part_size: int = transfer.DEFAULT_PART_SIZE, parallelism: int = transfer.DEFAULT_PARALLELISM,
                      multipart_threshold: Optional[int] = None) -> Object:
        """Downloads an object to a path or a binary file object; returns its metadata.

        Above ``multipart_threshold`` the object is fetched as ``parallelism`` parallel ranged downloads.
        A path is written through a temporary file beside it, renamed into place only when complete.
        """
        return transfer.download_file(self, bucket_name, storj_path, target, progress=progress, part_size=part_size,
                                      parallelism=parallelism, multipart_threshold=multipart_threshold)


__all__ = ["Project"]
