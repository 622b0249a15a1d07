"""AsyncUplink: the entry point of the asyncio API."""

from __future__ import annotations

from typing import Optional

from ..access import Access
from ..module_classes import Config
from ..uplink import Uplink
from ._access import AsyncAccess
from ._runner import CallRunner, default_runner


class AsyncUplink:
    """``Uplink`` for asyncio: ``access = await AsyncUplink().parse_access(serialized)``.

    Every library call made through it (and through the accesses, projects, uploads... it leads to) runs
    in a ``CallRunner``'s threads, never on the event loop. ``max_concurrency`` gives this uplink a runner
    of its own with that many threads; ``runner`` shares one; by default a process-wide runner of
    ``DEFAULT_MAX_CONCURRENCY`` threads is used. Creating one loads libuplinkc (once per process).
    """

    def __init__(self, library_path: Optional[str] = None, *, max_concurrency: Optional[int] = None,
                 runner: Optional[CallRunner] = None) -> None:
        if max_concurrency is not None and runner is not None:
            raise TypeError("AsyncUplink() takes max_concurrency or runner, not both")
        self._uplink = Uplink(library_path)
        if runner is not None:
            if not isinstance(runner, CallRunner):
                raise TypeError(f"runner must be a CallRunner, not {type(runner).__name__}")
            self._runner = runner
        else:
            self._runner = CallRunner(max_concurrency) if max_concurrency is not None else default_runner()

    @property
    def runner(self) -> CallRunner:
        """The runner this uplink's calls run in."""
        return self._runner

    @property
    def sync(self) -> Uplink:
        """The sync ``Uplink`` this wraps."""
        return self._uplink

    async def _access(self, function: str, *args: object) -> AsyncAccess:
        access = await self._runner.call(getattr(self._uplink, function), *args, undo_result=Access.close)
        return AsyncAccess(access, self._runner, self._uplink)

    async def request_access_with_passphrase(self, satellite: str, api_key: str, passphrase: str) -> AsyncAccess:
        """Asks the satellite for a new access grant from an API key and an encryption passphrase."""
        return await self._access("request_access_with_passphrase", satellite, api_key, passphrase)

    async def config_request_access_with_passphrase(self, config: Config, satellite: str, api_key: str,
                                                    passphrase: str) -> AsyncAccess:
        """As ``request_access_with_passphrase``, with dial timeout and user agent from ``config``."""
        return await self._access("config_request_access_with_passphrase", config, satellite, api_key, passphrase)

    async def parse_access(self, serialized_access: str) -> AsyncAccess:
        """An access from the string ``AsyncAccess.serialize`` (or ``Access.serialize``) returned."""
        return await self._access("parse_access", serialized_access)

    async def internal_universe_is_empty(self) -> bool:
        """True when libuplinkc holds no handle at all: every access, project, upload... was freed."""
        return await self._runner.call(Uplink.internal_universe_is_empty)


__all__ = ["AsyncUplink"]
