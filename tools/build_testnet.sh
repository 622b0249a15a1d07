#!/usr/bin/env bash
# Builds the local Storj network's command (testnet/cmd/testnet) as one static executable, and the licence
# texts of everything linked into it (tools/collect_licenses.py), into OUT_DIR:
#
#   tools/build_testnet.sh OUT_DIR [ARCH]      ARCH: x86_64 or aarch64 (default: this machine's)
#
# OUT_DIR/testnet and OUT_DIR/testnet-LICENSES.txt. The network is pure Go, so CGO_ENABLED=0 with GOOS and
# GOARCH cross-builds it with no C toolchain: the executable needs no libc at all, which is what lets the
# wheel carrying it be tagged manylinux2014 (and run on any glibc or musl Linux of that architecture).
# Needs Go and python3 (PYTHON overrides). Go's build cache makes a repeated build quick.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ $# -ge 1 ] || { echo "usage: tools/build_testnet.sh OUT_DIR [x86_64|aarch64]" >&2; exit 2; }
out=$(mkdir -p "$1" && cd "$1" && pwd)
arch="${2:-$(uname -m)}"
python="${PYTHON:-python3}"
case "$arch" in
    x86_64) goarch=amd64 ;;
    aarch64 | arm64) arch=aarch64 goarch=arm64 ;;
    *) echo "build_testnet.sh: architecture $arch is not x86_64 or aarch64" >&2; exit 1 ;;
esac
command -v go >/dev/null 2>&1 || { echo "build_testnet.sh: Go >= 1.25 is needed to build testnet/" >&2; exit 1; }

cd "$root/testnet"
# From testnet/go.mod and go.sum alone, not the checkout's go.work: the wheel's executable is the module's.
export GOWORK=off
# Into a temporary file first: an interrupted build never leaves a half-written executable.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
CGO_ENABLED=0 GOOS=linux GOARCH="$goarch" go build -trimpath -ldflags="-s -w" -o "$work/testnet" ./cmd/testnet
"$python" "$root/tools/collect_licenses.py" --library "$work/testnet" --output "$work/testnet-LICENSES.txt" \
    --project-license "$root/LICENSE" --component "the local Storj network" >/dev/null
mv "$work/testnet-LICENSES.txt" "$out/"
mv "$work/testnet" "$out/testnet"
echo "built $out/testnet ($arch, $(stat -c %s "$out/testnet") bytes)"
