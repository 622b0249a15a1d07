#!/usr/bin/env bash
# Builds every wheel a user of Linux x86_64 or aarch64 (glibc >= 2.17) needs, into OUT_DIR:
#
#   tools/build_wheels.sh OUT_DIR [ARCH...]      ARCH: x86_64, aarch64 (default: both)
#
# - uplink_python (the library, with libuplinkc cross-built by zig cc for manylinux2014): tools/release_wheels.sh;
# - uplink_python_testnet (the local Storj network's static executable, its licences, and the registration
#   of the pytest plugin): `pip wheel tools/testnet_wheel` per architecture (tools/build_testnet.sh).
#
# Then, in a venv with no Go:  pip install --find-links OUT_DIR 'uplink_python[testnet]'
# Needs Go and a Python with pip (PYTHON, default python3).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ $# -ge 1 ] || { echo "usage: tools/build_wheels.sh OUT_DIR [x86_64|aarch64 ...]" >&2; exit 2; }
out=$(mkdir -p "$1" && cd "$1" && pwd)
python="${PYTHON:-python3}"
arches=("${@:2}")
[ ${#arches[@]} -gt 0 ] || arches=(x86_64 aarch64)

bash "$root/tools/release_wheels.sh" "$out" "${arches[@]}"
for arch in "${arches[@]}"; do
    start=$SECONDS
    UPLINK_PYTHON_TARGET=manylinux2014_$arch "$python" -m pip wheel -q --disable-pip-version-check --no-deps \
        -w "$out" "$root/tools/testnet_wheel" >&2
    wheel=$(ls -t "$out"/uplink_python_testnet-*-py3-none-*_"$arch".whl | head -1)
    echo "== $(basename "$wheel"): $(stat -c %s "$wheel") bytes; $((SECONDS - start)) s"
done
