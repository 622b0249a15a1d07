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


def test_a_page_read_from_its_one_block_equals_the_objects_read_through_ctypes():
    # A block laid out as upy_object_iterator_next_array's: the objects, their entries, then the strings.
    import ctypes
    from uplink_python._c import ext_def, structs as d
    specs = [(b"a/k\xc3\xa9", False, (1, 2, 42), [(b"n", b"1"), (b"\xe5\x90\x8d", b"")]), (b"", True, (0, 0, 0), []),
             (b"b", False, (7, 0, 5), [(b"x", b"y" * 300)])]
    entry_count = sum(len(entries) for *_, entries in specs)
    strings = b"".join(key + b"\0" + b"".join(k + b"\0" + v + b"\0" for k, v in entries) for key, *_, entries in specs)
    objects_size = len(specs) * ctypes.sizeof(d._UplinkObject)
    entries_size = entry_count * ctypes.sizeof(d._UplinkCustomMetadataEntry)
    block = ctypes.create_string_buffer(objects_size + entries_size + len(strings))
    base = ctypes.addressof(block)
    objects = (d._UplinkObject * len(specs)).from_buffer(block)
    entries = (d._UplinkCustomMetadataEntry * entry_count).from_buffer(block, objects_size)
    at, next_entry = objects_size + entries_size, 0

    def put(data: bytes) -> int:
        nonlocal at
        ctypes.memmove(base + at, data, len(data))
        at += len(data) + 1  # the NUL the buffer already holds
        return base + at - len(data) - 1

    for obj, (key, is_prefix, (created, expires, length), pairs) in zip(objects, specs):
        ctypes.cast(ctypes.addressof(obj), ctypes.POINTER(ctypes.c_void_p))[0] = put(key)  # key is a c_char_p
        obj.is_prefix, obj.system = is_prefix, d._UplinkSystemMetadata(created, expires, length)
        if pairs:
            obj.custom.entries = ctypes.pointer(entries[next_entry])
            obj.custom.count = len(pairs)
        for k, v in pairs:
            entry = entries[next_entry]
            entry.key = ctypes.cast(put(k), type(entry.key))
            entry.key_length = len(k)
            entry.value = ctypes.cast(put(v), type(entry.value))
            entry.value_length = len(v)
            next_entry += 1
    page = ext_def._UpyObjectArray(objects=base, count=len(specs), bytes=len(block))
    assert convert.objects_from_c_array(page) == [convert.object_from_c(obj) for obj in objects]
    assert [o.key for o in convert.objects_from_c_array(page)] == ["a/ké", "", "b"]
    assert convert.objects_from_c_array(ext_def._UpyObjectArray(count=0)) == []
