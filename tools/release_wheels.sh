#!/usr/bin/env bash
# Builds the release wheels, manylinux2014 (glibc 2.17) for x86_64 and aarch64, and checks each one.
#
#   tools/release_wheels.sh [OUT_DIR [ARCH...]]     (default: dist/, x86_64 aarch64)
#
# Each is `UPLINK_PYTHON_TARGET=manylinux2014_<arch> pip wheel .`: build_libuplink.sh cross-compiles
# libuplinkc with GOARCH and `zig cc -target <arch>-linux-gnu.2.17` as cgo's C compiler (zig from $ZIG,
# PATH, or the ziglang package pip puts into the isolated build environment). Needs Go and a Python with
# pip (PYTHON, default python3). Checks: readelf (machine, newest GLIBC_ version, NEEDED libraries),
# `auditwheel show` when auditwheel is on PATH, and, when qemu-aarch64 and QEMU_LD_PREFIX (an arm64 root
# with python3, e.g. Debian's python3.11:arm64 unpacked) are there, an import of the installed aarch64 wheel.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(mkdir -p "${1:-$root/dist}" && cd "${1:-$root/dist}" && pwd)
python="${PYTHON:-python3}"
arches=("${@:2}")
[ ${#arches[@]} -gt 0 ] || arches=(x86_64 aarch64)

for arch in "${arches[@]}"; do
    case "$arch" in x86_64 | aarch64) ;; *) echo "release_wheels.sh: $arch is not x86_64 or aarch64" >&2; exit 1 ;; esac
    target=manylinux2014_$arch
    start=$SECONDS
    UPLINK_PYTHON_TARGET=$target "$python" -m pip wheel -q --disable-pip-version-check --no-deps -w "$out" "$root"
    wheel=$(ls -t "$out"/uplink_python-*-py3-none-*_"$arch".whl | head -1)
    library="$root/.build/libuplinkc/$target/libuplinkc.so"
    echo "== $(basename "$wheel"): $(stat -c %s "$wheel") bytes; libuplinkc.so $(stat -c %s "$library") bytes;" \
        "$((SECONDS - start)) s"
    echo "   readelf: $(readelf -h "$library" | sed -n 's/ *Machine: *//p'), needs" \
        "$(readelf -V "$library" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)," \
        "$(readelf -d "$library" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')"
    if command -v auditwheel >/dev/null 2>&1; then
        auditwheel show "$wheel" | tr -s '\n' ' ' | sed 's/^ */   auditwheel: /'
        echo
    fi
    if [ "$arch" = aarch64 ] && command -v qemu-aarch64 >/dev/null 2>&1 && [ -n "${QEMU_LD_PREFIX:-}" ]; then
        site=$(mktemp -d)
        "$python" -m pip install -q --disable-pip-version-check --no-deps --target "$site" \
            --platform "$target" --only-binary=:all: --python-version 3.9 "$wheel"
        (cd "$site" && PYTHONPATH="$site" qemu-aarch64 "$QEMU_LD_PREFIX/usr/bin/python3" -c \
            'import platform, uplink_python; from uplink_python import _native
print("   qemu:", platform.machine(), uplink_python.__version__, "library reports", _native.library_version())')
        rm -rf "$site"
    fi
done
