"""What the async objects share: closing in ``async with``, and opening calls usable both ways."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any, Coroutine, Generator, Generic, Optional, Protocol, TypeVar

if TYPE_CHECKING:
    from ._runner import CallRunner

_R = TypeVar("_R", bound="AsyncResource")


class _Closable(Protocol):
    @property
    def closed(self) -> bool: ...


_S = TypeVar("_S", bound=_Closable)


class AsyncResource:
    """An object released by ``await close()``; ``async with`` closes it at the end of the block.

    Its blocking calls run in ``runner``.
    """

    def __init__(self, runner: CallRunner) -> None:
        self._runner = runner

    @property
    def runner(self) -> CallRunner:
        """The runner this object (and what is opened from it) runs its calls in."""
        return self._runner

    @property
    def closed(self) -> bool:
        """True once closed."""
        raise NotImplementedError

    async def close(self) -> None:
        """Releases the object. Idempotent."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {'closed' if self.closed else 'open'}>"

    async def __aenter__(self: _R) -> _R:
        return self

    async def __aexit__(self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException],
                        traceback: Optional[TracebackType]) -> None:
        await self.close()


class SyncWrapper(AsyncResource, Generic[_S]):
    """An async face of one sync object (an access, an upload, a download), closed when it is."""

    def __init__(self, sync: _S, runner: CallRunner) -> None:
        super().__init__(runner)
        self._sync = sync

    @property
    def sync(self) -> _S:
        """The sync object this wraps (its calls block: use them from a thread, not from the loop)."""
        return self._sync

    @property
    def closed(self) -> bool:
        """True once closed (committed or aborted, and closed, for an upload)."""
        return self._sync.closed


class Opening(Generic[_R]):
    """What an opening call (``open_project``, ``upload_object``, ``download_object``...) returns.

    ``await`` it for the object, or use it directly in ``async with``, which awaits it and closes (for an
    upload: commits or aborts) the object at the end of the block::

        upload = await project.upload_object(bucket, key)
        async with project.upload_object(bucket, key) as upload:
            ...
    """

    __slots__ = ("_coroutine", "_resource")

    def __init__(self, coroutine: Coroutine[Any, Any, _R]) -> None:
        self._coroutine = coroutine
        self._resource: Optional[_R] = None

    def __await__(self) -> Generator[Any, None, _R]:
        return self._coroutine.__await__()

    async def __aenter__(self) -> _R:
        self._resource = await self._coroutine
        return await self._resource.__aenter__()

    async def __aexit__(self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException],
                        traceback: Optional[TracebackType]) -> None:
        assert self._resource is not None
        await self._resource.__aexit__(exc_type, exc, traceback)


__all__ = ["AsyncResource", "Opening", "SyncWrapper"]
