"""The header build_libuplink.sh installs in the package is ours, and matches the ctypes structs."""

import re
from pathlib import Path

import uplink_python

from ..layout import REPO_HEADER, layout_from_ctypes, layout_from_gcc


def test_installed_header_is_ours_and_matches_byte_for_byte(tmp_path):
    header = Path(uplink_python.__file__).parent / "uplink_definitions.h"
    assert header.is_file(), f"{header} is missing: run build_libuplink.sh"
    assert header.read_bytes() == REPO_HEADER.read_bytes(), "stale header: run build_libuplink.sh"
    assert layout_from_gcc(header, tmp_path) == layout_from_ctypes()


def test_installed_header_documents_every_exported_function():
    header = (Path(uplink_python.__file__).parent / "libuplinkc.h").read_text()
    exports = header.partition("End of boilerplate cgo prologue.")[2]
    prototypes = re.findall(r"^((?://.*\n)*)extern [^\n]*?\b(\w+)\(", exports, re.M)
    assert len(prototypes) >= 86
    undocumented = [name for doc, name in prototypes if not doc.startswith(f"// {name} ")]
    assert not undocumented, f"prototypes without a doc comment: {undocumented}"
