"""asyncio API of uplink_python: the same objects, with awaited calls that never block the event loop.

    from uplink_python.aio import AsyncUplink

    access = await AsyncUplink().parse_access(serialized)
    async with access.open_project() as project:
        async with project.upload_object("bucket", "key") as upload:
            await upload.write(b"data")          # committed at the end of the block
        async with project.download_object("bucket", "key") as download:
            data, _ = await download.read(1024)
        async for obj in project.iter_objects("bucket"):
            print(obj.key)

With this project's libuplinkc, object and bucket calls, uploads' writes and commits and downloads' reads
start straight from the loop and finish through the library's completion queue, which the loop watches;
every other call (and every call with an upstream library) runs in a thread of a bounded ``CallRunner``
(ctypes releases the GIL during the C call). Either way the loop keeps serving other tasks. Errors are the sync API's exceptions (``ObjectNotFoundError``
...). Cancelling a task stops the work it started: its upload is aborted, its download closed, a
transfer stopped at its next chunk; a C call already running is let return first, then undone, so
nothing is left pending and no handle leaks.
"""

from ._access import AsyncAccess
from ._base import AsyncResource, Opening
from ._listing import AsyncListing
from ._project import AsyncProject
from ._runner import DEFAULT_MAX_CONCURRENCY, CallRunner
from ._streams import AsyncDownload, AsyncPartUpload, AsyncUpload
from ._uplink import AsyncUplink

__all__ = ["AsyncUplink", "AsyncAccess", "AsyncProject", "AsyncUpload", "AsyncPartUpload", "AsyncDownload",
           "AsyncListing", "AsyncResource", "Opening", "CallRunner", "DEFAULT_MAX_CONCURRENCY"]
