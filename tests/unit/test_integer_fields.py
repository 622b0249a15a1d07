"""Defect 4: every integer that goes into a C struct is range-checked against its C type, field named."""

from typing import Any, Callable

import pytest

from uplink_python._c import convert as _convert
from uplink_python.module_classes import Config, DownloadOptions, Permission, UploadOptions

from .helpers import open_access, uplink_over

INT32_MAX, INT64_MAX = 2**31 - 1, 2**63 - 1

# (converter, data class built with the field set to a value, the field's name in the message, that C max)
FIELDS: list[tuple[Callable[[Any], Any], Callable[[int], Any], str, int]] = [
    (_convert.config_to_c, lambda v: Config(dial_timeout_milliseconds=v), "config.dial_timeout_milliseconds",
     INT32_MAX),
    (_convert.permission_to_c, lambda v: Permission(not_before=v), "permission.not_before", INT64_MAX),
    (_convert.permission_to_c, lambda v: Permission(not_after=v), "permission.not_after", INT64_MAX),
    (_convert.upload_options_to_c, lambda v: UploadOptions(expires=v), "upload_options.expires", INT64_MAX),
    (_convert.download_options_to_c, lambda v: DownloadOptions(offset=v), "download_options.offset", INT64_MAX),
    (_convert.download_options_to_c, lambda v: DownloadOptions(length=v), "download_options.length", INT64_MAX),
]


@pytest.mark.parametrize("convert,build,name,maximum", FIELDS, ids=[f[2] for f in FIELDS])
def test_integer_field_beyond_its_c_type_is_refused_with_its_name(convert, build, name, maximum):
    field = name.split(".")[1]
    assert getattr(convert(build(maximum)), field) == maximum  # the largest value passes unchanged
    for value in (maximum + 1, 2 * maximum + 3, 2**64 + 1):  # would wrap to negative / small positive in C
        with pytest.raises(ValueError, match=rf"{name} is {value}, outside") as caught:
            convert(build(value))
        assert isinstance(caught.value, OverflowError)


def test_dial_timeout_of_2_to_the_31_is_refused_before_c(fake):
    """The reported case: 2**31 ms became negative, 2**32 + 1 ms became 1 ms in the C struct."""
    uplink = uplink_over(fake)
    for value in (2**31, 2**32 + 1):
        with pytest.raises(OverflowError, match="config.dial_timeout_milliseconds"):
            uplink.config_request_access_with_passphrase(Config(dial_timeout_milliseconds=value), "s", "k", "p")
        with open_access(fake) as access, pytest.raises(ValueError, match="int32_t"):
            access.config_open_project(Config(dial_timeout_milliseconds=value))
    fake.uplink_config_request_access_with_passphrase.assert_not_called()
    fake.uplink_config_open_project.assert_not_called()


def test_negative_values_where_c_wants_none_are_refused():
    with pytest.raises(ValueError, match="config.dial_timeout_milliseconds must be >= 0"):
        _convert.config_to_c(Config(dial_timeout_milliseconds=-1))
    with pytest.raises(ValueError, match=r"download_options.offset is -9223372036854775809"):
        _convert.download_options_to_c(DownloadOptions(offset=-(2**63) - 1))
