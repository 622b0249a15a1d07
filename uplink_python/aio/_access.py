"""AsyncAccess: an access grant whose calls (and opening its project) run off the event loop."""

from __future__ import annotations

from typing import Optional, Union

from ..access import Access, EncryptionKey
from ..module_classes import Config, Permission, SharePrefix
from ..project import Project
from ..uplink import Uplink
from ._base import Opening, SyncWrapper
from ._project import AsyncProject
from ._runner import CallRunner, check_limit


def _open(uplink: Uplink, access: Access, config: Optional[Config]) -> tuple[Access, Project]:
    """A private copy of ``access`` and the first project opened from it.

    The copy lets the AsyncProject open more projects later even after the caller closed ``access``,
    as a sync Project stays open when its access is closed.
    """
    copy = uplink.parse_access(access.serialize())
    try:
        return copy, (copy.open_project() if config is None else copy.config_open_project(config))
    except BaseException:
        copy.close()
        raise


def _close_opened(opened: tuple[Access, Project]) -> None:
    access, project = opened
    try:
        project.close()
    finally:
        access.close()


class AsyncAccess(SyncWrapper[Access]):
    """An access grant for asyncio (from ``AsyncUplink``): ``Access``'s calls, awaited."""

    def __init__(self, access: Access, runner: CallRunner, uplink: Uplink) -> None:
        """Wraps a sync ``access`` (owned from now on: ``close()`` closes it), run by ``runner``."""
        super().__init__(access, runner)
        self._uplink = uplink

    def _wrap(self, access: Access) -> "AsyncAccess":
        return AsyncAccess(access, self._runner, self._uplink)

    async def close(self) -> None:
        """Frees the access grant (projects opened from it stay open). Idempotent."""
        await self._runner.call(self._sync.close)

    async def serialize(self) -> str:
        """The access grant as a string, for ``AsyncUplink.parse_access``."""
        return await self._runner.call(self._sync.serialize)

    async def satellite_address(self) -> str:
        """The address of the satellite this access belongs to."""
        return await self._runner.call(self._sync.satellite_address)

    async def share(self, permissions: Optional[Permission] = None,
                    shared_prefix: Optional[list[SharePrefix]] = None, *,
                    permission: Optional[Permission] = None) -> "AsyncAccess":
        """A new access restricted to ``permissions`` and, when given, to the listed bucket prefixes."""
        shared = await self._runner.call(lambda: self._sync.share(permissions, shared_prefix, permission=permission),
                                         undo_result=Access.close)
        return self._wrap(shared)

    async def derive_encryption_key(self, passphrase: str, salt: Union[str, bytes]) -> EncryptionKey:
        """A salted key for ``passphrase``, for ``override_encryption_key`` (a sync ``EncryptionKey``)."""
        return await self._runner.call(self._sync.derive_encryption_key, passphrase, salt,
                                       undo_result=EncryptionKey.close)

    async def override_encryption_key(self, bucket_name: str, prefix: str,
                                      encryption_key: EncryptionKey) -> "AsyncAccess":
        """Uses ``encryption_key`` for keys under ``prefix`` in ``bucket_name``; returns this access."""
        await self._runner.call(self._sync.override_encryption_key, bucket_name, prefix, encryption_key)
        return self

    def open_project(self, *, max_concurrency: Optional[int] = None) -> Opening[AsyncProject]:
        """Opens the project; ``await`` it, or ``async with`` it to close it at the end of the block.

        ``max_concurrency`` bounds this project's calls in flight at once (default: the runner's).
        """
        return Opening(self._open_project(None, max_concurrency))

    def config_open_project(self, config: Config, *,
                            max_concurrency: Optional[int] = None) -> Opening[AsyncProject]:
        """As ``open_project``, with dial timeout, user agent and temp directory from ``config``."""
        return Opening(self._open_project(config, max_concurrency))

    async def _open_project(self, config: Optional[Config], max_concurrency: Optional[int]) -> AsyncProject:
        limit = check_limit(max_concurrency if max_concurrency is not None else self._runner.max_concurrency,
                            "max_concurrency")
        copy, project = await self._runner.call(_open, self._uplink, self._sync, config, undo_result=_close_opened)
        return AsyncProject(self._runner, copy, project, limit)


__all__ = ["AsyncAccess"]
