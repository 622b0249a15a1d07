"""The build steps pyproject.toml cannot declare (the metadata is in pyproject.toml).

build_py runs build_libuplink.sh (a no-op when libuplinkc is up to date) and puts the library, its
headers and the licence texts of what it links into the package; bdist_wheel tags the wheel
py3-none-<manylinux tag read from the library's glibc symbol versions>: there is no Python extension
module, so one wheel serves every Python 3. UPLINK_PYTHON_TARGET=manylinux2014_x86_64 (or _aarch64)
builds the release library with zig cc for glibc 2.17 instead of the machine's (see build_libuplink.sh).
"""

import shutil
import sys
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1: the wheel package's, if installed (else no wheels: egg_info etc. only)
    try:
        from wheel.bdist_wheel import bdist_wheel
    except ImportError:
        bdist_wheel = None

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))
import libuplinkc_build  # noqa: E402


class BuildWithLibuplinkc(build_py):
    def run(self) -> None:
        folder = libuplinkc_build.build_library()
        super().run()
        package = Path(self.build_lib) / "uplink_python"
        package.mkdir(parents=True, exist_ok=True)
        # Always copied (not "if newer"): build/ may hold another target's library from an earlier build.
        for name in (libuplinkc_build.LIBRARY, *libuplinkc_build.HEADERS):
            shutil.copyfile(folder / name, package / name)
        (package / libuplinkc_build.LIBRARY).chmod(0o755)
        shutil.copyfile(libuplinkc_build.licenses_file(), package / libuplinkc_build.PACKAGED_LICENSES)

    def get_outputs(self, include_bytecode: bool = True) -> list:
        extra = [libuplinkc_build.LIBRARY, *libuplinkc_build.HEADERS, libuplinkc_build.PACKAGED_LICENSES]
        return super().get_outputs(include_bytecode) + [str(Path(self.build_lib) / "uplink_python" / n) for n in extra]


class NativeDistribution(Distribution):
    def has_ext_modules(self) -> bool:
        return True  # it carries a native library: install into platlib, a platform wheel


commands = {"build_py": BuildWithLibuplinkc}
if bdist_wheel is not None:
    class PlatformWheel(bdist_wheel):
        def get_tag(self) -> tuple:
            library = Path(self.get_finalized_command("build_py").build_lib) / "uplink_python" / "libuplinkc.so"
            if not library.is_file():  # an editable wheel is named before anything is built
                library = libuplinkc_build.library_dir() / libuplinkc_build.LIBRARY
            return "py3", "none", libuplinkc_build.platform_tag(library)

    commands["bdist_wheel"] = PlatformWheel

# The extras are here, not in pyproject.toml, because `testnet` pins the network's distribution (built by
# tools/build_wheels.sh from tools/testnet_wheel/) to this very version, whose one place is __init__.py.
extras = {"fsspec": ["fsspec"], "test": ["pytest", "pytest-mock"],
          "testnet": [f"uplink_python_testnet=={libuplinkc_build.package_version()}"]}
setup(distclass=NativeDistribution, cmdclass=commands, extras_require=extras)
