import pickle
import re
from pathlib import Path

import pytest

from uplink_python import errors
from uplink_python._c.results import check

REPO = Path(__file__).resolve().parents[2]

# Every error code of uplink_definitions.h v1.14 and the documented class it must raise.
CODES = {
    0x02: errors.InternalError, 0x03: errors.CancelledError, 0x04: errors.InvalidHandleError,
    0x05: errors.TooManyRequestsError, 0x06: errors.BandwidthLimitExceededError,
    0x07: errors.StorageLimitExceededError, 0x08: errors.SegmentsLimitExceededError,
    0x09: errors.PermissionDeniedError, 0x10: errors.BucketNameInvalidError,
    0x11: errors.BucketAlreadyExistError, 0x12: errors.BucketNotEmptyError, 0x13: errors.BucketNotFoundError,
    0x20: errors.ObjectKeyInvalidError, 0x21: errors.ObjectNotFoundError, 0x22: errors.UploadDoneError,
    0x30: errors.EdgeAuthDialFailedError, 0x31: errors.EdgeRegisterAccessFailedError,
    # uplink_python_ext.h: our libuplinkc's extensions
    0x50: errors.ObjectProtectedError, 0x51: errors.ObjectLockNotEnabledError, 0x52: errors.PreconditionFailedError,
    0x53: errors.RetentionNotFoundError, 0x54: errors.MethodNotAllowedError,
}


@pytest.mark.parametrize("code,cls", sorted(CODES.items()))
def test_each_code_raises_its_class_with_the_library_message(fake, code, cls):
    with pytest.raises(cls) as caught:
        check(fake.error(code, b"detail from go"))
    assert type(caught.value) is cls
    assert caught.value.code == code
    assert caught.value.details == "detail from go"
    assert str(caught.value) == f"{caught.value.message}: detail from go"
    fake.uplink_free_error.assert_called_once()


def _header_codes() -> dict[str, int]:
    """Every error #define of the two headers, by the name errors.py gives it (prefix UPLINK_/UPY_ dropped)."""
    found = {}
    for header in ("uplink_definitions.h", "uplink_python_ext.h"):
        text = (REPO / "libuplinkc" / header).read_text()
        for name, value in re.findall(r"^#define\s+((?:UPLINK_|UPY_)?(?:EDGE_)?ERROR_\w+)\s+(0x[0-9a-fA-F]+|\d+)\b", text, re.M):
            found[re.sub(r"^(UPLINK_|UPY_)", "", name)] = int(value, 0)
    return found


def test_every_code_of_the_headers_has_its_constant_and_class_and_no_other():
    header = _header_codes()
    python = {name: getattr(errors, name) for name in errors.__all__
              if re.fullmatch(r"(EDGE_)?ERROR_\w+", name) and name != "ERROR_EOF"}
    assert header == python, "errors.py and the headers disagree"
    assert set(errors.ERRORS_BY_CODE) == set(header.values()) == set(CODES)


def test_a_second_class_cannot_take_over_a_code():
    with pytest.raises(TypeError, match="already raises ObjectNotFoundError"):
        class Again(errors.StorjException, code=errors.ERROR_OBJECT_NOT_FOUND):
            pass


def test_unknown_code_is_still_a_storj_exception(fake):
    with pytest.raises(errors.StorjException) as caught:
        check(fake.error(0x7F, b"new in a later version"))
    assert type(caught.value) is errors.StorjException
    assert caught.value.code == 0x7F and "new in a later version" in str(caught.value)


def test_null_error_is_success_and_frees_nothing(fake):
    check(None)
    fake.uplink_free_error.assert_not_called()


def test_error_with_null_message(fake):
    with pytest.raises(errors.InternalError) as caught:
        check(fake.error(0x02, None))
    assert caught.value.details == ""


@pytest.mark.parametrize("cls,builtin", [
    (errors.ObjectNotFoundError, FileNotFoundError), (errors.BucketNotFoundError, FileNotFoundError),
    (errors.BucketAlreadyExistError, FileExistsError), (errors.PermissionDeniedError, PermissionError),
    (errors.ObjectKeyInvalidError, ValueError), (errors.BucketNameInvalidError, ValueError),
    (errors.ClosedError, ValueError), (errors.ObjectProtectedError, PermissionError),
    (errors.ObjectLockNotEnabledError, ValueError), (errors.PreconditionFailedError, FileExistsError),
    (errors.RetentionNotFoundError, LookupError), (errors.ExtensionUnavailableError, NotImplementedError),
])
def test_errors_are_also_the_matching_builtin(cls, builtin):
    assert issubclass(cls, builtin) and issubclass(cls, errors.StorjException)


def test_documented_constructor_and_pickling_keep_all_fields():
    original = errors.BucketNotEmptyError("bucket not empty", 0x12, "my-bucket")
    copy = pickle.loads(pickle.dumps(original))
    assert (type(copy), copy.message, copy.code, copy.details) == (
        errors.BucketNotEmptyError, "bucket not empty", 0x12, "my-bucket")
