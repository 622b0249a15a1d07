"""The ctypes structs against the real uplink_definitions.h that build_libuplink.sh copies from the module."""

from pathlib import Path

import uplink_python

from ..layout import layout_from_ctypes, layout_from_gcc


def test_structs_match_the_real_header_byte_for_byte(tmp_path):
    header = Path(uplink_python.__file__).parent / "uplink_definitions.h"
    assert header.is_file(), f"{header} is missing: run build_libuplink.sh"
    assert layout_from_gcc(header, tmp_path) == layout_from_ctypes()
