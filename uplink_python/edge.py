"""Edge services: S3-style credentials from an auth service, and link-share URLs.

    credentials = edge.register_access(EdgeConfig(auth_service_address="auth.example:7777"), access)
    url = edge.join_share_url("https://link.example", credentials.access_key_id, "bucket", "key")
"""

from __future__ import annotations

from typing import Optional

from ._c import args as _args
from ._c import structs as d
from ._c.native import lib
from ._c.results import consume
from .access import Access
from .module_classes import EdgeConfig, EdgeCredentials, EdgeRegisterAccessOptions, EdgeShareURLOptions


def _text(raw: Optional[bytes]) -> str:
    return raw.decode("utf-8", "replace") if raw else ""


def register_access(config: EdgeConfig, access: Access,
                    options: Optional[EdgeRegisterAccessOptions] = None) -> EdgeCredentials:
    """Registers ``access`` with the auth service of ``config``; returns its S3 credentials.

    ``EdgeAuthDialFailedError`` when the service cannot be reached, ``EdgeRegisterAccessFailedError``
    when it refuses the access.
    """
    _args.instance(config, EdgeConfig, "config", optional=False)
    config_c = d._EdgeConfig(
        auth_service_address=_args.text(config.auth_service_address, "config.auth_service_address"),
        certificate_pem=_args.text(config.certificate_pem, "config.certificate_pem"),
        insecure_unencrypted_connection=_args.flag(config.insecure_unencrypted_connection,
                                                   "config.insecure_unencrypted_connection"),
    )
    options_c = None
    options = _args.instance(options, EdgeRegisterAccessOptions, "options")
    if options is not None:
        options_c = d._EdgeRegisterAccessOptions(is_public=_args.flag(options.is_public, "options.is_public"))
    with access._call() as handle:
        return consume(lib().edge_register_access(config_c, handle, options_c), lib().edge_free_credentials_result,
                       lambda r: EdgeCredentials(access_key_id=_text(r.credentials.contents.access_key_id),
                                                 secret_key=_text(r.credentials.contents.secret_key),
                                                 endpoint=_text(r.credentials.contents.endpoint)))


def join_share_url(base_url: str, access_key_id: str, bucket: str = "", key: str = "",
                   options: Optional[EdgeShareURLOptions] = None) -> str:
    """A link-share URL for a bucket, a prefix (key ending in "/") or an object; ``raw`` links the bytes."""
    options_c = None
    options = _args.instance(options, EdgeShareURLOptions, "options")
    if options is not None:
        options_c = d._EdgeShareURLOptions(raw=_args.flag(options.raw, "options.raw"))
    return consume(
        lib().edge_join_share_url(_args.text(base_url, "base_url"), _args.text(access_key_id, "access_key_id"),
                                  _args.text(bucket, "bucket"), _args.text(key, "key"), options_c),
        lib().uplink_free_string_result, lambda r: _text(r.string))


__all__ = ["register_access", "join_share_url"]
