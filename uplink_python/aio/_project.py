"""AsyncProject: the sync Project's calls, awaited, with many of them in flight at once."""

from __future__ import annotations

import asyncio
import functools
import threading
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, AsyncIterator, Callable, Iterator, Optional, TypeVar, Union, cast

from ..access import Access
from ..fileobj import Metadata
from ..errors import ClosedError, StorjException
from ..module_classes import (
    Bucket, CommitUploadOptions, CopyObjectOptions, CustomMetadata, DownloadOptions, ListBucketsOptions,
    ListObjectsOptions, ListUploadPartsOptions, ListUploadsOptions, MoveObjectOptions, Object, Part, UploadInfo,
    UploadObjectMetadataOptions, UploadOptions,
)
from ..download import Download
from ..project import Project
from ..upload import Upload
from ..transfer import DEFAULT_PARALLELISM, DEFAULT_PART_SIZE, PathOrFile, ProgressCallback
from ._base import AsyncResource, Opening
from ._listing import AsyncListing, close_iterator
from ._native import Completions, drive, twins
from ._runner import CallRunner, check_limit, uninterruptible
from .._c.native import lib
from .._c.handle import FunctionOf
from .._c.steps import Steps
from ._streams import AsyncDownload, AsyncPartUpload, AsyncUpload, Interrupted

if TYPE_CHECKING:
    from ._access import AsyncAccess

T = TypeVar("T")


class _Connections:
    """The sync projects behind one AsyncProject, each lent to one call at a time.

    A sync Project could serve every call at once, but storj.io/uplink keeps only a few idle connections
    per satellite in a project's pool: with many calls in flight on one project, most of them dial (and
    TLS-handshake) a new connection each time. So concurrent calls each borrow a project of their own,
    with its own pool, opened on demand from a private copy of the access, up to ``limit``.
    """

    def __init__(self, runner: CallRunner, access: Access, first: Project, limit: int) -> None:
        self._runner = runner
        self._access = access  # owned: closed with the projects
        self._idle = [first]
        self._all = [first]
        self.slots = asyncio.Semaphore(limit)  # shared with the streams' calls
        self._lock = threading.Lock()  # close_all runs in a thread
        self.closed = False

    @asynccontextmanager
    async def borrow(self) -> AsyncIterator[Project]:
        async with self.slots:
            if self.closed:
                raise ClosedError("AsyncProject is closed")
            project = self._idle.pop() if self._idle else await self._open()
            try:
                yield project
            finally:
                if not self.closed:
                    self._idle.append(project)

    async def _open(self) -> Project:
        project = await self._runner.call(self._access.open_project, undo_result=Project.close)
        with self._lock:
            if not self.closed:
                self._all.append(project)
                return project
        await self._runner.call(project.close)
        raise ClosedError("AsyncProject is closed")

    def close_all(self) -> None:
        """Closes every project (waiting for its call in flight), then the access; raises the first failure."""
        with self._lock:
            self.closed = True
            projects, self._all, self._idle = self._all, [], []
        failures: list[StorjException] = []
        for project in projects:
            try:
                project.close()
            except StorjException as failure:
                failures.append(failure)
        self._access.close()
        if failures:
            raise failures[0]


class AsyncProject(AsyncResource):
    """An open project, for asyncio (``await AsyncAccess.open_project()``, or ``async with`` it).

    Its methods are those of ``Project``, awaited; they run in the runner's threads, up to
    ``max_concurrency`` of them at once for this project. ``await close()`` (or the end of ``async with``)
    closes it and what was opened from it, aborting uncommitted uploads.
    """

    def __init__(self, runner: CallRunner, access: Access, project: Project, max_concurrency: int) -> None:
        """Used by ``AsyncAccess.open_project``: ``access`` is a private copy the project owns and closes."""
        super().__init__(runner)
        self._max_concurrency = check_limit(max_concurrency, "max_concurrency")
        self._connections = _Connections(runner, access, project, self._max_concurrency)
        self._completions: Optional[Completions] = None  # made in the loop of the first call (see _native)
        self._native_possible = True

    @property
    def max_concurrency(self) -> int:
        """The most calls of this project in flight at once."""
        return self._max_concurrency

    @property
    def closed(self) -> bool:
        """True once ``close()`` began."""
        return self._connections.closed

    async def close(self) -> None:
        """Closes the project and everything opened from it. Idempotent; raises if closing failed."""
        if self._connections.closed:
            return
        self._connections.closed = True  # no new call from now on
        closing = asyncio.ensure_future(self._close_all())
        try:
            await asyncio.shield(closing)
        except asyncio.CancelledError:
            await uninterruptible(closing)  # closed all the same before the cancellation is raised
            raise

    async def _close_all(self) -> None:
        completions = self._completions
        if completions is not None:
            await completions.idle()  # the library reads the handles and buffers of calls in flight
        try:
            await self._runner.call(self._connections.close_all)
        finally:
            if completions is not None:
                await completions.idle()
                completions.close()

    def _native(self) -> Optional[Completions]:
        """The completion queue of this project's calls, made on first use; None with a library that has
        no asynchronous twins (an upstream uplink-c): then every call runs in the runner's threads."""
        if self._completions is None and self._native_possible:
            self._native_possible = bool(twins())
            if self._native_possible:
                try:
                    self._completions = Completions(asyncio.get_running_loop())
                except NotImplementedError:
                    self._native_possible = False
        return self._completions

    async def _steps(self, steps_of: Callable[..., Steps[T]], *args: Any,
                     undo_value: Optional[Callable[[T], None]] = None) -> T:
        """The steps ``steps_of(project, *args)`` of a borrowed sync project, driven from the loop."""
        async with self._connections.borrow() as project:
            return await drive(steps_of(project, *args), self._native(), self._runner, undo_value)

    async def _bucket_call(self, function: FunctionOf, bucket_name: str) -> Bucket:
        """A sync bucket call's steps (``function`` picks the C function out of the library), driven."""
        bucket = await self._steps(lambda project: project._bucket_steps(function(lib()), bucket_name))
        return cast(Bucket, bucket)  # a bucket call that succeeds returns its bucket

    async def _run(self, function: Callable[..., T], *args: Any,
                   interrupt: Optional[Callable[[], None]] = None,
                   undo_result: Optional[Callable[[Project, T], None]] = None) -> T:
        """``function(project, *args)`` on a borrowed sync project, in a thread."""
        async with self._connections.borrow() as project:
            undo = functools.partial(undo_result, project) if undo_result is not None else None
            return await self._runner.call(function, project, *args, interrupt=interrupt, undo_result=undo)

    # buckets

    async def stat_bucket(self, bucket_name: str) -> Bucket:
        """The bucket's information; ``BucketNotFoundError`` when it does not exist."""
        return await self._bucket_call(lambda library: library.uplink_stat_bucket, bucket_name)

    async def create_bucket(self, bucket_name: str) -> Bucket:
        """Creates a bucket; ``BucketAlreadyExistError`` when it exists."""
        return await self._bucket_call(lambda library: library.uplink_create_bucket, bucket_name)

    async def ensure_bucket(self, bucket_name: str) -> Bucket:
        """Creates a bucket, or returns it when it already exists."""
        return await self._bucket_call(lambda library: library.uplink_ensure_bucket, bucket_name)

    async def delete_bucket(self, bucket_name: str) -> Bucket:
        """Deletes an empty bucket; ``BucketNotEmptyError`` when it holds objects."""
        return await self._bucket_call(lambda library: library.uplink_delete_bucket, bucket_name)

    async def delete_bucket_with_objects(self, bucket_name: str) -> Bucket:
        """Deletes a bucket and every object in it."""
        return await self._run(Project.delete_bucket_with_objects, bucket_name)

    def iter_buckets(self, list_bucket_options: Optional[ListBucketsOptions] = None) -> AsyncListing[Bucket]:
        """The project's buckets as an async iterator (``async for bucket in project.iter_buckets()``)."""
        return AsyncListing(self._runner, lambda: self._listing(Project.iter_buckets, list_bucket_options))

    async def list_buckets(self, list_bucket_options: Optional[ListBucketsOptions] = None) -> list[Bucket]:
        """All buckets (after ``cursor``, when given). Raises if the listing fails part-way."""
        async with self.iter_buckets(list_bucket_options) as buckets:
            return [bucket async for bucket in buckets]

    # objects

    async def stat_object(self, bucket_name: str, storj_path: str) -> Object:
        """The object's metadata; ``ObjectNotFoundError`` when it does not exist."""
        return await self._steps(Project._stat_object_steps, bucket_name, storj_path, None)

    async def delete_object(self, bucket_name: str, storj_path: str) -> Optional[Object]:
        """Deletes an object; returns what was deleted (None when there was nothing at that key)."""
        return await self._steps(Project._delete_object_steps, bucket_name, storj_path, None, False)

    def iter_objects(self, bucket_name: str,
                     list_object_options: Optional[ListObjectsOptions] = None) -> AsyncListing[Object]:
        """Objects of a bucket as an async iterator, yielded as the satellite's pages arrive."""
        return AsyncListing(self._runner,
                            lambda: self._listing(Project.iter_objects, bucket_name, list_object_options))

    async def list_objects(self, bucket_name: str,
                           list_object_options: Optional[ListObjectsOptions] = None) -> list[Object]:
        """Objects of a bucket, by prefix and cursor. Raises if the listing fails part-way."""
        async with self.iter_objects(bucket_name, list_object_options) as objects:
            return [obj async for obj in objects]

    async def _listing(self, function: Callable[..., Iterator[T]], *args: Any) -> Iterator[T]:
        return await self._run(function, *args, undo_result=lambda _, iterator: close_iterator(iterator))

    def upload_object(self, bucket_name: str, storj_path: str,
                      upload_options: Optional[UploadOptions] = None) -> Opening[AsyncUpload]:
        """Starts an upload; ``await`` it, or ``async with`` it to commit at the end (abort on error)."""
        return Opening(self._upload_object(bucket_name, storj_path, upload_options))

    async def _upload_object(self, bucket_name: str, storj_path: str,
                             upload_options: Optional[UploadOptions]) -> AsyncUpload:
        upload = await self._steps(Project._upload_object_steps, bucket_name, storj_path, upload_options,
                                   undo_value=Upload.close)
        return AsyncUpload(upload, self._runner, self._native(), self._connections.slots)

    def download_object(self, bucket_name: str, storj_path: str,
                        download_options: Optional[DownloadOptions] = None) -> Opening[AsyncDownload]:
        """Starts a download (of a byte range with ``download_options``); ``await`` or ``async with`` it."""
        return Opening(self._download_object(bucket_name, storj_path, download_options))

    async def _download_object(self, bucket_name: str, storj_path: str,
                               download_options: Optional[DownloadOptions]) -> AsyncDownload:
        download = await self._steps(Project._download_object_steps, bucket_name, storj_path, download_options,
                                     None, undo_value=Download.close)
        return AsyncDownload(download, self._runner, self._native(), self._connections.slots)

    # copy, move, metadata, revocation

    async def copy_object(self, old_bucket_name: str, old_object_key: str, new_bucket_name: str,
                          new_object_key: str, copy_object_options: Optional[CopyObjectOptions] = None) -> Object:
        """Copies an object to a new key, within or across buckets; returns the copy."""
        return await self._run(Project.copy_object, old_bucket_name, old_object_key, new_bucket_name,
                               new_object_key, copy_object_options)

    async def move_object(self, old_bucket_name: str, old_object_key: str, new_bucket_name: str,
                          new_object_key: str, move_object_options: Optional[MoveObjectOptions] = None) -> None:
        """Moves an object to a new key, within or across buckets."""
        await self._run(Project.move_object, old_bucket_name, old_object_key, new_bucket_name, new_object_key,
                        move_object_options)

    async def update_object_metadata(self, bucket_name: str, storj_path: str, new_metadata: CustomMetadata,
                                     options: Optional[UploadObjectMetadataOptions] = None) -> None:
        """Replaces the custom metadata of a committed object."""
        await self._run(Project.update_object_metadata, bucket_name, storj_path, new_metadata, options)

    async def revoke_access(self, access: Union[Access, "AsyncAccess"]) -> None:
        """Revokes ``access`` (an ``AsyncAccess`` or ``Access`` shared from this project's access)."""
        sync = access if isinstance(access, Access) else access.sync
        await self._run(Project.revoke_access, sync)

    # multipart uploads

    async def begin_upload(self, bucket_name: str, object_key: str,
                           upload_options: Optional[UploadOptions] = None) -> UploadInfo:
        """Starts a multipart upload; a cancelled ``begin_upload`` aborts what it began."""
        return await self._run(Project.begin_upload, bucket_name, object_key, upload_options,
                               undo_result=lambda project, info: project.abort_upload(bucket_name, object_key,
                                                                                      info.upload_id))

    def upload_part(self, bucket_name: str, object_key: str, upload_id: str,
                    part_number: int) -> Opening[AsyncPartUpload]:
        """Starts the upload of one part; ``await`` it, or ``async with`` it to commit the part at the end."""
        return Opening(self._upload_part(bucket_name, object_key, upload_id, part_number))

    async def _upload_part(self, bucket_name: str, object_key: str, upload_id: str,
                           part_number: int) -> AsyncPartUpload:
        part = await self._run(Project.upload_part, bucket_name, object_key, upload_id, part_number,
                               undo_result=lambda _, part: part.close())
        return AsyncPartUpload(part, self._runner, self._native(), self._connections.slots)

    async def commit_upload(self, bucket_name: str, object_key: str, upload_id: str,
                            commit_upload_options: Optional[CommitUploadOptions] = None) -> Object:
        """Makes the committed parts, in part-number order, the object; returns it."""
        return await self._run(Project.commit_upload, bucket_name, object_key, upload_id, commit_upload_options)

    async def abort_upload(self, bucket_name: str, object_key: str, upload_id: str) -> None:
        """Drops a multipart upload and its parts."""
        await self._run(Project.abort_upload, bucket_name, object_key, upload_id)

    def list_uploads(self, bucket_name: str,
                     list_uploads_options: Optional[ListUploadsOptions] = None) -> AsyncListing[UploadInfo]:
        """Pending multipart uploads, as an async iterator."""
        return AsyncListing(self._runner,
                            lambda: self._listing(Project.list_uploads, bucket_name, list_uploads_options))

    def list_upload_parts(self, bucket_name: str, object_key: str, upload_id: str,
                          list_upload_parts_options: Optional[ListUploadPartsOptions] = None) -> AsyncListing[Part]:
        """The uploaded parts of a pending multipart upload, as an async iterator."""
        return AsyncListing(self._runner, lambda: self._listing(
            Project.list_upload_parts, bucket_name, object_key, upload_id, list_upload_parts_options))

    # file transfers

    async def upload_file(self, source: PathOrFile, bucket_name: str, storj_path: str, *,
                          custom_metadata: Metadata = None, upload_options: Optional[UploadOptions] = None,
                          progress: Optional[ProgressCallback] = None, part_size: int = DEFAULT_PART_SIZE,
                          parallelism: int = DEFAULT_PARALLELISM,
                          multipart_threshold: Optional[int] = None) -> Object:
        """``Project.upload_file``, awaited: returns the committed object.

        ``progress(bytes_so_far, total)`` is called on the event loop's thread. Cancelled, the transfer
        stops at its next chunk and the upload is aborted before the cancellation is raised.
        """
        stop = threading.Event()
        hook = _progress_hook(progress, stop)

        def transfer(project: Project) -> Object:
            return project.upload_file(source, bucket_name, storj_path, custom_metadata=custom_metadata,
                                       upload_options=upload_options, progress=hook, part_size=part_size,
                                       parallelism=parallelism, multipart_threshold=multipart_threshold)
        return await self._run(transfer, interrupt=stop.set)

    async def download_file(self, bucket_name: str, storj_path: str, target: PathOrFile, *,
                            progress: Optional[ProgressCallback] = None, part_size: int = DEFAULT_PART_SIZE,
                            parallelism: int = DEFAULT_PARALLELISM,
                            multipart_threshold: Optional[int] = None) -> Object:
        """``Project.download_file``, awaited: returns the object's metadata.

        ``progress(bytes_so_far, total)`` is called on the event loop's thread. Cancelled, the transfer
        stops at its next chunk; a download to a path leaves no file behind.
        """
        stop = threading.Event()
        hook = _progress_hook(progress, stop)

        def transfer(project: Project) -> Object:
            return project.download_file(bucket_name, storj_path, target, progress=hook, part_size=part_size,
                                         parallelism=parallelism, multipart_threshold=multipart_threshold)
        return await self._run(transfer, interrupt=stop.set)


def _progress_hook(progress: Optional[ProgressCallback], stop: threading.Event) -> ProgressCallback:
    """The callback a sync transfer gets: stops it once ``stop`` is set, forwards counts to the loop."""
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be callable, not {type(progress).__name__}")
    loop = asyncio.get_running_loop()

    def hook(done: int, total: Optional[int]) -> None:
        if stop.is_set():
            raise Interrupted()
        if progress is not None:
            loop.call_soon_threadsafe(progress, done, total)  # in order, before the transfer's result
    return hook


__all__ = ["AsyncProject"]
