"""Secrets (serialized access grants, API keys, passphrases) never show in reprs, strs or error messages."""

from __future__ import annotations

import pytest

from uplink_python import Access, Project, StorjException, Uplink
from uplink_python.fs import StorjFileSystem

from ..localnet import LocalNetwork


def test_wrappers_and_file_systems_show_no_secret(network: LocalNetwork, credentials: dict[str, str],
                                                  access: Access, project: Project, bucket: str) -> None:
    serialized = access.serialize()
    secrets = [serialized, credentials["api_key"], credentials["access_grant"], network.passphrase * 3]
    upload = project.upload_object(bucket, "k")
    fs = StorjFileSystem(serialized, skip_instance_cache=True)
    try:
        shown = [repr(x) + str(x) for x in (access, project, upload, fs)]
        for secret in secrets:
            assert not any(secret in text for text in shown)
    finally:
        upload.abort()
        upload.close()
        fs.close()


def test_errors_about_credentials_do_not_echo_them(network: LocalNetwork) -> None:
    api_key = "13YqeGFpvtzbUp1QAfpvy2E5ZqLUFFNhEkv7153UDGDVnSmTuYYa7tKUnENGgvFXCCSFP7zNhKw6fPnPRHq4h2VKJd1NN"
    for call in (lambda: Uplink().parse_access(api_key),
                 lambda: Uplink().request_access_with_passphrase(network.satellite_url, api_key, "the-passphrase")):
        with pytest.raises(StorjException) as raised:
            call()
        assert api_key[:20] not in str(raised.value) + repr(raised.value)
        assert "the-passphrase" not in str(raised.value) + repr(raised.value)
