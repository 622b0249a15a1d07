"""Packaging for uplink_python. The build step builds libuplinkc (build_libuplink.sh) into the package
when it is not there yet; UPLINK_PYTHON_SKIP_LIBUPLINKC=1 packages the Python code alone."""

import os
import re
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
VERSION = re.search(r'UPLINK_C_VERSION = "([^"]+)"', (ROOT / "uplink_python/__init__.py").read_text()).group(1)


class BuildWithLibuplinkc(build_py):
    def run(self) -> None:
        library = ROOT / "uplink_python" / "libuplinkc.so"
        if not library.exists() and not os.environ.get("UPLINK_PYTHON_SKIP_LIBUPLINKC"):
            result = subprocess.run(["bash", str(ROOT / "build_libuplink.sh")], stderr=subprocess.PIPE, text=True)
            if result.returncode != 0:
                first = (result.stderr.strip().splitlines() or ["build_libuplink.sh failed"])[0]
                sys.exit(f"uplink_python: libuplinkc.so is not built and cannot be built here: {first}")
        super().run()


setup(
    name="uplink_python",
    version=f"{VERSION}.0",
    description="Python bindings for Storj's libuplinkc (storj.io/uplink-c)",
    long_description=(ROOT / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="MIT",
    python_requires=">=3.9",
    packages=["uplink_python"],
    package_data={"uplink_python": ["py.typed", "libuplinkc.so", "libuplinkc.h", "uplink_definitions.h", "uplink_compat.h"]},
    cmdclass={"build_py": BuildWithLibuplinkc},
    extras_require={"test": ["pytest", "pytest-mock"], "fsspec": ["fsspec"]},
    entry_points={"fsspec.specs": ["sj=uplink_python.fs:StorjFileSystem", "storj=uplink_python.fs:StorjFileSystem"]},
    classifiers=["Programming Language :: Python :: 3", "License :: OSI Approved :: MIT License",
                 "Typing :: Typed"],
)
