"""No repr or str shows a secret beyond a short prefix."""

from __future__ import annotations

from uplink_python import EdgeCredentials
from uplink_python.module_classes import redact

SECRET = "sk-this-is-the-whole-secret-key"
KEY_ID = "jw-this-is-the-whole-access-key-id"


def test_edge_credentials_show_only_key_prefixes() -> None:
    credentials = EdgeCredentials(access_key_id=KEY_ID, secret_key=SECRET, endpoint="https://gateway.example")
    for shown in (repr(credentials), str(credentials), f"{credentials}", repr([credentials])):
        assert SECRET not in shown and KEY_ID not in shown
        assert "sk-t…" in shown and "jw-t…" in shown and "https://gateway.example" in shown
    assert credentials.secret_key == SECRET  # the value itself is intact
    assert credentials.get_dict()["secret_key"] == SECRET


def test_redact() -> None:
    assert redact("") == "" and redact("abc") == "abc…" and redact(SECRET) == "sk-t…"
