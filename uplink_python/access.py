"""Access: a serializable grant to one project on one satellite, and what can be derived from it."""

from __future__ import annotations

import ctypes
from typing import Optional, Union

from ._c import structs as d
from ._c import args as _args, convert as _convert
from ._c.buffers import pinned
from ._c.handle import Owned
from ._c.native import lib
from ._c.results import check, consume, own
from .module_classes import Config, Permission, SharePrefix
from .project import Project


def _string_result(result: d._UplinkStringResult) -> str:
    return consume(result, lib().uplink_free_string_result, lambda r: _convert.text(r.string))


class EncryptionKey(Owned, kind="EncryptionKey", handle_field="encryption_key",
                    free=lambda library: library.uplink_free_encryption_key_result):
    """A salted encryption key from ``Access.derive_encryption_key``, for ``override_encryption_key``."""

    @classmethod
    def derive(cls, passphrase: str, salt: Union[str, bytes]) -> "EncryptionKey":
        passphrase_c = _args.text(passphrase, "passphrase")
        if isinstance(salt, str):
            salt = salt.encode("utf-8")
        with pinned(salt, "salt") as (address, size):
            result = lib().uplink_derive_encryption_key(passphrase_c, address or None, size)
        return cls(own(result, lib().uplink_free_encryption_key_result, "encryption_key"))


class Access(Owned, kind="Access", handle_field="access", free=lambda library: library.uplink_free_access_result):
    """An access grant: API key, encryption secrets and the satellite address, for one project."""

    @property
    def access(self) -> "ctypes._Pointer[d._UplinkAccess]":
        """Legacy, read-only: the ctypes pointer to the C ``UplinkAccess`` handle struct, as the old
        package exposed it (``.contents._handle``). Raises ``ClosedError`` after close."""
        pointer: "ctypes._Pointer[d._UplinkAccess]" = self._legacy_handle()
        return pointer

    def serialize(self) -> str:
        """The access grant as a string, for ``Uplink.parse_access``."""
        with self._call() as handle:
            return _string_result(lib().uplink_access_serialize(handle))

    def satellite_address(self) -> str:
        """The address of the satellite this access belongs to."""
        with self._call() as handle:
            return _string_result(lib().uplink_access_satellite_address(handle))

    def share(self, permissions: Optional[Permission] = None, shared_prefix: Optional[list[SharePrefix]] = None,
              *, permission: Optional[Permission] = None) -> "Access":
        """A new access restricted to ``permissions`` and, when given, to the listed bucket prefixes.

        ``permission=`` is accepted as another spelling of ``permissions``.
        """
        if permission is not None and permissions is not None:
            raise TypeError("share() takes permissions or permission, not both")
        chosen = permissions if permissions is not None else permission
        permission_c = _convert.permission_to_c(chosen if chosen is not None else Permission())
        prefixes_c = _convert.share_prefixes_to_c(shared_prefix)
        with self._call() as handle:
            result = lib().uplink_access_share(handle, permission_c, prefixes_c, len(prefixes_c or ()))
        return Access(own(result, lib().uplink_free_access_result, "access"))

    def derive_encryption_key(self, passphrase: str, salt: Union[str, bytes]) -> EncryptionKey:
        """A salted key for ``passphrase`` (one tenant per salt in a multitenant bucket)."""
        self._ensure_open()
        return EncryptionKey.derive(passphrase, salt)

    def override_encryption_key(self, bucket_name: str, prefix: str, encryption_key: EncryptionKey) -> "Access":
        """Uses ``encryption_key`` for keys under ``prefix`` in ``bucket_name``; returns this access."""
        bucket_c, prefix_c = _args.text(bucket_name, "bucket_name"), _args.text(prefix, "prefix")
        _args.instance(encryption_key, EncryptionKey, "encryption_key", optional=False)
        with self._call() as handle, encryption_key._call() as key:
            check(lib().uplink_access_override_encryption_key(handle, bucket_c, prefix_c, key))
        return self

    def open_project(self) -> Project:
        """Opens the project this access belongs to."""
        with self._call() as handle:
            result = lib().uplink_open_project(handle)
        return Project(own(result, lib().uplink_free_project_result, "project"))

    def config_open_project(self, config: Config) -> Project:
        """Opens the project with dial timeout, user agent and temp directory from ``config``."""
        config_c = _convert.config_to_c(config)
        with self._call() as handle:
            result = lib().uplink_config_open_project(config_c, handle)
        return Project(own(result, lib().uplink_free_project_result, "project"))



__all__ = ["Access", "EncryptionKey"]
