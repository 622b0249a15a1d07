#!/usr/bin/env bash
# Builds libuplinkc (our Go module libuplinkc/: the C API of uplink-c v1.14 over storj.io/uplink)
# into uplink_python/: libuplinkc.so, the header cgo generates (libuplinkc.h) and our
# uplink_definitions.h. Does nothing when the sources and the Go version are those of the last
# build. LIBUPLINKC_DEBUG=1 keeps symbols and debug information.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
module_dir="$root/libuplinkc"
target="$root/uplink_python"
library="$target/libuplinkc.so"
stamp="$target/.libuplinkc-version"

missing=()
command -v go >/dev/null 2>&1 || missing+=("Go >= 1.25 (the 'go' command, https://go.dev/dl/)")
command -v "${CC:-gcc}" >/dev/null 2>&1 || command -v cc >/dev/null 2>&1 \
    || missing+=("a C compiler for cgo (gcc or cc; set CC to use another)")
if [ ${#missing[@]} -gt 0 ]; then
    echo "build_libuplink.sh: cannot build libuplinkc.so, missing: ${missing[*]}." >&2
    echo "Install them, or set UPLINK_PYTHON_LIBUPLINKC to a libuplinkc.so built elsewhere." >&2
    exit 1
fi

# The stamp: every source file of the module, its go.mod/go.sum, the Go version and the build mode.
debug="${LIBUPLINKC_DEBUG:-}"
version=$(
    cd "$module_dir"
    { sha256sum ./*.go ./*.h go.mod go.sum; go version; echo "debug=$debug"; } | sha256sum | cut -d' ' -f1
)
size() { echo "$(du -h "$library" | cut -f1) ($(stat -c %s "$library") bytes)"; }

if [ -f "$library" ] && [ -f "$target/libuplinkc.h" ] && [ -f "$target/uplink_definitions.h" ] \
    && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
    echo "libuplinkc is up to date: $library, $(size)"
    exit 0
fi

ldflags="-s -w"
[ -n "$debug" ] && ldflags=""
echo "building libuplinkc ($(go version | cut -d' ' -f3), go build -buildmode=c-shared)..."
cd "$module_dir"
# Build into a temporary directory so an interrupted build never leaves a half-written library.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
CGO_ENABLED=1 go build -trimpath -buildmode=c-shared -ldflags="$ldflags" -o "$work/libuplinkc.so" .
cp "$module_dir/uplink_definitions.h" "$work/"
mv "$work/libuplinkc.h" "$work/uplink_definitions.h" "$target/"
mv "$work/libuplinkc.so" "$library"
echo "$version" > "$stamp"
echo "built $library, $(size)"
