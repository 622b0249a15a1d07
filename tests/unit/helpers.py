"""Builders for the fake libraries (the mock's handles, and stub shared objects built with gcc), so tests
read as the call they make."""

import shutil
import subprocess
from pathlib import Path

from uplink_python._c import structs as d
from uplink_python.access import Access
from uplink_python.project import Project
from uplink_python.uplink import Uplink


def uplink_over(fake) -> Uplink:
    """An Uplink whose library is the fake (without loading anything)."""
    uplink = Uplink.__new__(Uplink)
    uplink.m_libuplink = fake
    return uplink


def open_access(fake, value: int = 1) -> Access:
    fake.uplink_parse_access.return_value = fake.result(
        d._UplinkAccessResult, access=fake.handle(d._UplinkAccess, value))
    return uplink_over(fake).parse_access("serialized")


def open_project(fake) -> Project:
    with open_access(fake) as access:
        fake.uplink_open_project.return_value = fake.result(
            d._UplinkProjectResult, project=fake.handle(d._UplinkProject, 2))
        return access.open_project()


def build_stub(directory: Path, names, more_source: str = "") -> Path:
    """A shared object exporting ``names`` as do-nothing functions, and whatever ``more_source`` defines."""
    source = directory / "stub.c"
    source.write_text("".join(f"void {name}(void) {{}}\n" for name in names) + more_source)
    library = directory / "libstub.so"
    subprocess.run([shutil.which("gcc") or "cc", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    return library
