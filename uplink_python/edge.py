"""Edge services: S3-style credentials from an auth service, and link-share URLs.

    credentials = edge.register_access(EdgeConfig(auth_service_address="auth.example:7777"), access)
    url = edge.join_share_url("https://link.example", credentials.access_key_id, "bucket", "key")
"""

from __future__ import annotations

from typing import Optional

from ._c import args as _args, convert as _convert
from ._c.native import lib
from ._c.results import consume
from .access import Access
from .module_classes import EdgeConfig, EdgeCredentials, EdgeRegisterAccessOptions, EdgeShareURLOptions


def register_access(config: EdgeConfig, access: Access,
                    options: Optional[EdgeRegisterAccessOptions] = None) -> EdgeCredentials:
    """Registers ``access`` with the auth service of ``config``; returns its S3 credentials.

    ``EdgeAuthDialFailedError`` when the service cannot be reached, ``EdgeRegisterAccessFailedError``
    when it refuses the access.
    """
    config_c = _convert.edge_config_to_c(config)
    options_c = _convert.edge_register_options_to_c(options)
    with access._call() as handle:
        return consume(lib().edge_register_access(config_c, handle, options_c), lib().edge_free_credentials_result,
                       lambda r: _convert.edge_credentials_from_c(r.credentials.contents))


def join_share_url(base_url: str, access_key_id: str, bucket: str = "", key: str = "",
                   options: Optional[EdgeShareURLOptions] = None) -> str:
    """A link-share URL for a bucket, a prefix (key ending in "/") or an object; ``raw`` links the bytes."""
    options_c = _convert.edge_share_url_options_to_c(options)
    return consume(
        lib().edge_join_share_url(_args.text(base_url, "base_url"), _args.text(access_key_id, "access_key_id"),
                                  _args.text(bucket, "bucket"), _args.text(key, "key"), options_c),
        lib().uplink_free_string_result, lambda r: _convert.text(r.string))


__all__ = ["register_access", "join_share_url"]
