"""What the async objects share: closing in ``async with``, and opening calls usable both ways."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Coroutine, Generator, Generic, Optional, TypeVar

_R = TypeVar("_R", bound="AsyncResource")


class AsyncResource:
    """An object released by ``await close()``; ``async with`` closes it at the end of the block."""

    async def close(self) -> None:
        """Releases the object. Idempotent."""
        raise NotImplementedError

    async def __aenter__(self: _R) -> _R:
        return self

    async def __aexit__(self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException],
                        traceback: Optional[TracebackType]) -> None:
        await self.close()


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


__all__ = ["AsyncResource", "Opening"]
