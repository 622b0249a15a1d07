"""Uplink: the entry point. Loads libuplinkc and turns credentials into an Access."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from ._c import args as _args, convert as _convert, native as _native
from ._c import structs as d
from ._c.native import lib
from ._c.results import own
from .access import Access
from .module_classes import Config


def _access(result: d._UplinkAccessResult) -> Access:
    return Access(own(result, lib().uplink_free_access_result, "access"))


class Uplink:
    """Entry class of the documented API. Creating one loads libuplinkc (once per process)."""

    def __init__(self, library_path: Optional[str] = None) -> None:
        self.m_libuplink = _native.load(Path(library_path) if library_path else None)

    def request_access_with_passphrase(self, satellite: str, api_key: str, passphrase: str) -> Access:
        """Asks the satellite for a new access grant from an API key and an encryption passphrase."""
        args = (_args.text(satellite, "satellite"), _args.text(api_key, "api_key"),
                _args.text(passphrase, "passphrase"))
        return _access(self.m_libuplink.uplink_request_access_with_passphrase(*args))

    def config_request_access_with_passphrase(self, config: Config, satellite: str, api_key: str,
                                              passphrase: str) -> Access:
        """As ``request_access_with_passphrase``, with dial timeout and user agent from ``config``."""
        config_c = _convert.config_to_c(config)
        args = (_args.text(satellite, "satellite"), _args.text(api_key, "api_key"),
                _args.text(passphrase, "passphrase"))
        return _access(self.m_libuplink.uplink_config_request_access_with_passphrase(config_c, *args))

    def parse_access(self, serialized_access: str) -> Access:
        """An Access from the string ``Access.serialize`` returned."""
        return _access(self.m_libuplink.uplink_parse_access(_args.text(serialized_access, "serialized_access")))

    @staticmethod
    def internal_universe_is_empty() -> bool:
        """True when libuplinkc holds no handle at all: every access, project, upload... was freed."""
        return bool(_native.lib().uplink_internal_UniverseIsEmpty())


__all__ = ["Uplink"]
