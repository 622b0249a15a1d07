"""Builders for the fake library's handles, so tests read as the call they make."""

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
