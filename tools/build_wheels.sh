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
# With qemu-<arch>-static (or qemu-<arch>) on PATH, the network of another CPU's wheel is started under it.
# Needs Go and a Python with pip (PYTHON, default python3).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ $# -ge 1 ] || { echo "usage: tools/build_wheels.sh OUT_DIR [x86_64|aarch64 ...]" >&2; exit 2; }
out=$(mkdir -p "$1" && cd "$1" && pwd)
python="${PYTHON:-python3}"
arches=("${@:2}")
[ ${#arches[@]} -gt 0 ] || arches=(x86_64 aarch64)

# The executable of a wheel for another CPU, started under qemu user emulation (static: no root needed):
# it must write its JSON file, i.e. serve, within a minute.
start_under_qemu() {  # wheel, qemu command, architecture
    local work status=0
    work=$(mktemp -d)
    "$python" -m zipfile -e "$1" "$work/wheel"
    chmod +x "$work/wheel/uplink_python_testnet/testnet"
    "$2" "$work/wheel/uplink_python_testnet/testnet" --data-dir "$work/net" --config-out "$work/net.json" \
        --nodes 1 >"$work/log" 2>&1 &
    local pid=$! waited=0
    while [ ! -f "$work/net.json" ] && kill -0 "$pid" 2>/dev/null && [ $waited -lt 600 ]; do
        sleep 0.1; waited=$((waited + 1))
    done
    if [ -f "$work/net.json" ]; then
        echo "   $(basename "$2"): the $3 network served (its JSON written) in $((waited / 10)).$((waited % 10)) s"
    else
        echo "build_wheels.sh: under $2 the network did not start:" >&2; tail -5 "$work/log" >&2; status=1
    fi
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
    rm -rf "$work"
    return $status
}

bash "$root/tools/release_wheels.sh" "$out" "${arches[@]}"
for arch in "${arches[@]}"; do
    start=$SECONDS
    UPLINK_PYTHON_TARGET=manylinux2014_$arch "$python" -m pip wheel -q --disable-pip-version-check --no-deps \
        -w "$out" "$root/tools/testnet_wheel" >&2
    wheel=$(ls -t "$out"/uplink_python_testnet-*-py3-none-*_"$arch".whl | head -1)
    echo "== $(basename "$wheel"): $(stat -c %s "$wheel") bytes; $((SECONDS - start)) s"
    if [ "$arch" != "$(uname -m)" ] && qemu=$(command -v "qemu-$arch-static" || command -v "qemu-$arch"); then
        start_under_qemu "$wheel" "$qemu" "$arch"
    fi
done
