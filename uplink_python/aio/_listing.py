"""Listings as async iterators: the sync lazy listing, consumed a batch of items per thread hop."""

from __future__ import annotations

import itertools
from collections import deque
from typing import Any, Awaitable, Callable, Generic, Iterator, Optional, TypeVar

from ._base import AsyncResource
from ._runner import CallRunner

T = TypeVar("T")

# Items taken from the sync iterator per trip to a thread: few trips for a long listing, while the
# first items still come after one satellite page.
BATCH_SIZE = 256


def close_iterator(iterator: Iterator[Any]) -> None:
    """Frees a sync listing now (they all have ``close()``)."""
    close: Optional[Callable[[], None]] = getattr(iterator, "close", None)
    if close is not None:
        close()


def _take(iterator: Iterator[T], count: int) -> list[T]:
    return list(itertools.islice(iterator, count))


class AsyncListing(AsyncResource, Generic[T]):
    """Items of a listing (objects, buckets, pending uploads, parts), as the satellite's pages arrive.

    ``async for item in listing``; a failure part-way raises (after the items already yielded). Stop
    early with ``await listing.close()`` or ``async with``; a cancelled fetch frees the listing.
    """

    def __init__(self, runner: CallRunner, start: Callable[[], Awaitable[Iterator[T]]],
                 batch_size: int = BATCH_SIZE) -> None:
        super().__init__(runner)
        self._start: Optional[Callable[[], Awaitable[Iterator[T]]]] = start
        self._iterator: Optional[Iterator[T]] = None
        self._batch_size = batch_size
        self._ready: deque[T] = deque()
        self._exhausted = False

    @property
    def closed(self) -> bool:
        """True once the listing ended: all items fetched, a failure, or ``close()``."""
        return self._exhausted and not self._ready

    def __aiter__(self) -> "AsyncListing[T]":
        return self

    async def __anext__(self) -> T:
        if not self._ready and not self._exhausted:
            await self._fetch()
        if not self._ready:
            raise StopAsyncIteration
        return self._ready.popleft()

    async def _fetch(self) -> None:
        if self._iterator is None:
            if self._start is None:  # closed before the listing started
                self._exhausted = True
                return
            start, self._start = self._start, None
            self._iterator = await start()
        iterator = self._iterator
        try:
            batch = await self._runner.call(_take, iterator, self._batch_size, undo=lambda: close_iterator(iterator))
        except BaseException:
            self._exhausted = True
            raise
        self._ready.extend(batch)
        if len(batch) < self._batch_size:
            self._exhausted = True

    async def close(self) -> None:
        """Stops the listing and frees it. Idempotent."""
        self._exhausted, self._start = True, None
        self._ready.clear()
        if self._iterator is not None:
            await self._runner.call(close_iterator, self._iterator)


__all__ = ["AsyncListing", "BATCH_SIZE", "close_iterator"]
