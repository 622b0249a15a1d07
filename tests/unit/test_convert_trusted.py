"""Data classes built from the library's results skip the public constructors' checks, and equal what
those constructors build; the constructors still check what users pass."""

import pytest

from uplink_python import module_classes
from uplink_python._c import convert
from uplink_python.module_classes import CustomMetadata, CustomMetadataEntry, Object, SystemMetadata

from .fake_library import c_object


def test_an_object_from_c_equals_the_one_the_public_constructors_build():
    built = convert.object_from_c(c_object(b"dir/k\xc3\xa9", {b"a": b"\xc3\xa9t\xc3\xa9", b"b": b""}, 42))
    expected = Object(key="dir/ké", system=SystemMetadata(created=1, expires=2, content_length=42),
                      custom=CustomMetadata([CustomMetadataEntry(key="a", value="été"),
                                             CustomMetadataEntry(key="b", value="")]))
    assert built == expected
    assert built.get_dict() == expected.get_dict()
    assert [(e.key_length, e.value_length) for e in built.custom.entries] == [(1, 5), (1, 0)]


def test_undecodable_bytes_keep_their_byte_lengths():
    built = convert.object_from_c(c_object(b"k", {b"\xff": b"\xfe\xfd"}))
    entry = built.custom.entries[0]
    assert (entry.key_length, entry.value_length) == (1, 2)
    assert CustomMetadataEntry(key=entry.key, value=entry.value) == entry


def test_conversion_from_c_runs_no_constructor_checks(monkeypatch):
    def refuse(self):
        raise AssertionError(f"{type(self).__name__} re-validated")
    monkeypatch.setattr(CustomMetadataEntry, "__post_init__", refuse)
    monkeypatch.setattr(CustomMetadata, "__post_init__", refuse)
    built = convert.object_from_c(c_object(b"k", {b"a": b"1"}))
    assert built.custom.to_mapping() == {"a": "1"}


def test_public_constructors_still_check():
    with pytest.raises(ValueError, match="key_length is 5"):
        CustomMetadataEntry(key="a", key_length=5)
    with pytest.raises(TypeError, match="entries must be a list"):
        CustomMetadata(entries=["a"])  # type: ignore[list-item]
    assert not hasattr(module_classes, "__all__") or "_trusted" not in module_classes.__all__
