"""The wheel of the local Storj network: the static testnet executable, tagged manylinux2014 for its CPU.

build_py runs tools/build_testnet.sh (CGO_ENABLED=0, GOARCH of the target: no C toolchain, no libc) and puts
the executable and the licence texts of what it links into the package. The target is uplink_python's own
UPLINK_PYTHON_TARGET (manylinux2014_x86_64 or manylinux2014_aarch64; default this machine's CPU), the tag
is read from the executable's ELF header like libuplinkc's. Built from the repository (tools/build_wheels.sh),
never from an sdist: the Go sources are the repository's testnet/.
"""

import platform
import subprocess
import sys
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import libuplinkc_build  # noqa: E402

VERSION = libuplinkc_build.package_version()
FILES = ("testnet", "testnet-LICENSES.txt")


def target_arch() -> str:
    name = libuplinkc_build.target()
    if name is None:
        return platform.machine()
    libuplinkc_build.target_glibc_minor(name)  # stops with one line on a name it does not know
    return "x86_64" if name.endswith("x86_64") else "aarch64"


class BuildWithTestnet(build_py):
    def run(self) -> None:
        super().run()
        package = Path(self.build_lib) / "uplink_python_testnet"
        package.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(["bash", str(ROOT / "tools" / "build_testnet.sh"), str(package), target_arch()],
                                stdout=sys.stderr)
        if result.returncode != 0:
            raise SystemExit("uplink_python_testnet: tools/build_testnet.sh failed (it needs Go)")
        (package / "testnet").chmod(0o755)

    def get_outputs(self, include_bytecode: bool = True) -> list:
        package = Path(self.build_lib) / "uplink_python_testnet"
        return super().get_outputs(include_bytecode) + [str(package / name) for name in FILES]


class PlatformWheel(bdist_wheel):
    def get_tag(self) -> tuple:
        binary = Path(self.get_finalized_command("build_py").build_lib) / "uplink_python_testnet" / "testnet"
        return "py3", "none", libuplinkc_build.platform_tag(binary)


class NativeDistribution(Distribution):
    def has_ext_modules(self) -> bool:
        return True  # an executable for one CPU: a platform wheel


setup(distclass=NativeDistribution, cmdclass={"build_py": BuildWithTestnet, "bdist_wheel": PlatformWheel},
      version=VERSION, install_requires=[f"uplink_python=={VERSION}"])
