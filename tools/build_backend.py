"""The in-tree PEP 517 backend: setuptools' own, plus two things setuptools cannot know.

- Before anything is built, a wheel (or an editable install) of a tree that has no libuplinkc.so and no
  Go stops with a one-line explanation, instead of failing deep inside the build.
- A release build for an older glibc (UPLINK_PYTHON_TARGET=manylinux2014_x86_64 ...) gets ziglang (zig cc
  as cgo's C compiler) in the build environment when no zig or LIBUPLINKC_CC is given.

An sdist needs neither: it carries the Go sources and builds the library where it is installed.
"""

from __future__ import annotations

from typing import Any, Optional

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F401,F403 - every other hook is setuptools' own

import libuplinkc_build


def _zig() -> list[str]:
    return ["ziglang"] if libuplinkc_build.needs_zig() else []


# The check comes first, before setuptools runs setup.py, so that its line is all the user sees.
def get_requires_for_build_wheel(config_settings: Optional[dict[str, Any]] = None) -> list[str]:
    libuplinkc_build.check_can_build()
    return _setuptools.get_requires_for_build_wheel(config_settings) + _zig()


def get_requires_for_build_editable(config_settings: Optional[dict[str, Any]] = None) -> list[str]:
    libuplinkc_build.check_can_build()
    return _setuptools.get_requires_for_build_editable(config_settings) + _zig()
