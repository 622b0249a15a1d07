#!/usr/bin/env bash
# Builds libuplinkc (our Go module libuplinkc/: the C API of uplink-c v1.14 over storj.io/uplink)
# into uplink_python/: libuplinkc.so, the header cgo generates (libuplinkc.h), our
# uplink_definitions.h and the header of our own extensions (uplink_python_ext.h). Does nothing
# when the sources and the Go version are those of the last build. LIBUPLINKC_DEBUG=1 keeps
# symbols and debug information.
#
# Every build also writes the licence texts of what is linked into the library (our LICENSE, Go's,
# and every Go module listed by `go version -m libuplinkc.so`) with tools/collect_licenses.py.
#
# Release builds for older Linux: UPLINK_PYTHON_TARGET=manylinux2014_x86_64 (or manylinux2014_aarch64,
# or manylinux_2_<minor>_<arch>) cross-compiles cgo's C parts with `zig cc -target <arch>-linux-gnu.2.<minor>`
# so the library needs no newer glibc than the tag says, and builds into .build/libuplinkc/<target>/
# (never over the library in uplink_python/ that the tests use). zig is $ZIG, `zig` on PATH, or the
# `ziglang` package of $PYTHON (pip install ziglang). LIBUPLINKC_CC replaces zig with another C compiler
# command for the target. LIBUPLINKC_OUT overrides the output folder.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
module_dir="$root/libuplinkc"
# The library is built from libuplinkc/go.mod and go.sum alone (what the stamp hashes and the sdist
# carries), never from the checkout's go.work: the same build in the checkout as from an sdist.
export GOWORK=off
python="${PYTHON:-python3}"
platform="${UPLINK_PYTHON_TARGET:-}"

# The release number of the package, from its one place (uplink_python/__init__.py); the library reports it.
package_version=$(sed -n 's/^__version__ = "\([^"]*\)"$/\1/p' "$root/uplink_python/__init__.py")
[ -n "$package_version" ] || { echo "build_libuplink.sh: no __version__ line in uplink_python/__init__.py" >&2; exit 1; }

missing=()
command -v go >/dev/null 2>&1 || missing+=("Go >= 1.25 (the 'go' command, https://go.dev/dl/)")
goarch=""
cc_command=""
if [ -z "$platform" ]; then
    target="${LIBUPLINKC_OUT:-$root/uplink_python}"
    notices_dir="$root/.build/libuplinkc/host"
    command -v "${CC:-gcc}" >/dev/null 2>&1 || command -v cc >/dev/null 2>&1 \
        || missing+=("a C compiler for cgo (gcc or cc; set CC to use another)")
else
    if [[ "$platform" =~ ^manylinux2014_(x86_64|aarch64)$ ]]; then
        arch="${BASH_REMATCH[1]}" glibc="2.17"
    elif [[ "$platform" =~ ^manylinux_2_([0-9]+)_(x86_64|aarch64)$ ]]; then
        arch="${BASH_REMATCH[2]}" glibc="2.${BASH_REMATCH[1]}"
    else
        echo "build_libuplink.sh: UPLINK_PYTHON_TARGET=$platform is not one of manylinux2014_x86_64," \
            "manylinux2014_aarch64, manylinux_2_<minor>_x86_64, manylinux_2_<minor>_aarch64." >&2
        exit 1
    fi
    case "$arch" in x86_64) goarch=amd64 ;; aarch64) goarch=arm64 ;; esac
    target="${LIBUPLINKC_OUT:-$root/.build/libuplinkc/$platform}"
    notices_dir="$target"
    if [ -n "${LIBUPLINKC_CC:-}" ]; then
        cc_command="$LIBUPLINKC_CC"
    elif [ -n "${ZIG:-}" ] && [ -x "$ZIG" ]; then
        cc_command="$ZIG cc -target $arch-linux-gnu.$glibc"
    elif command -v zig >/dev/null 2>&1; then
        cc_command="$(command -v zig) cc -target $arch-linux-gnu.$glibc"
    elif zig=$("$python" -c 'import os, ziglang; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))' \
        2>/dev/null) && [ -x "$zig" ]; then
        cc_command="$zig cc -target $arch-linux-gnu.$glibc"
    else
        missing+=("zig for the $platform C toolchain (pip install ziglang, or set ZIG or LIBUPLINKC_CC)")
    fi
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "build_libuplink.sh: cannot build libuplinkc.so, missing: ${missing[*]}." >&2
    echo "Install them, or set UPLINK_PYTHON_LIBUPLINKC to a libuplinkc.so built elsewhere." >&2
    exit 1
fi
library="$target/libuplinkc.so"
stamp="$target/.libuplinkc-version"
notices="$notices_dir/LICENSES.txt"
mkdir -p "$target" "$notices_dir"

# The stamp: every source file of the module, its go.mod/go.sum, the Go version, the build mode, the
# version the library reports and, for a target build, the target and its C compiler.
debug="${LIBUPLINKC_DEBUG:-}"
toolchain=""
# (zig by its version, not its path: pip's isolated build environments put it somewhere new each time.)
if [ -n "$platform" ]; then
    if [ -n "${LIBUPLINKC_CC:-}" ]; then toolchain="target=$platform cc=$LIBUPLINKC_CC"
    else toolchain="target=$platform zig $("${cc_command%% cc *}" version) ${cc_command##* cc }"; fi
fi
version=$(
    cd "$module_dir"
    { sha256sum ./*.go ./*.h ./internal/*/*.go go.mod go.sum; go version; echo "debug=$debug"; echo "version=$package_version"
      [ -n "$toolchain" ] && echo "$toolchain"; true; } | sha256sum | cut -d' ' -f1
)
size() { echo "$(du -h "$library" | cut -f1) ($(stat -c %s "$library") bytes)"; }
collect_licenses() {  # library, output file
    local extra=()
    local zig_licence="${cc_command%% cc *}"
    zig_licence="$(dirname "$zig_licence")/LICENSE"
    [ -n "$platform" ] && [ -z "${LIBUPLINKC_CC:-}" ] && [ -f "$zig_licence" ] \
        && extra=(--extra "zig (compiler-rt and C start-up code linked by zig cc)=$zig_licence")
    (cd "$module_dir" && "$python" "$root/tools/collect_licenses.py" --library "$1" --output "$2" \
        --project-license "$root/LICENSE" "${extra[@]}")
}

if [ -f "$library" ] && [ -f "$target/libuplinkc.h" ] && [ -f "$target/uplink_definitions.h" ] \
    && [ -f "$target/uplink_python_ext.h" ] \
    && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
    [ -f "$notices" ] || collect_licenses "$library" "$notices"
    echo "libuplinkc is up to date: $library, $(size)"
    exit 0
fi

ldflags="-s -w"
[ -n "$debug" ] && ldflags=""
ldflags="$ldflags -X main.version=$package_version"
cd "$module_dir"
# Build into a temporary directory so an interrupted build never leaves a half-written library.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$platform" ]; then
    echo "building libuplinkc ($(go version | cut -d' ' -f3), go build -buildmode=c-shared)..."
    CGO_ENABLED=1 go build -trimpath -buildmode=c-shared -ldflags="$ldflags" -o "$work/libuplinkc.so" .
else
    echo "building libuplinkc for $platform ($(go version | cut -d' ' -f3), GOARCH=$goarch, CC=$cc_command," \
        "go build -buildmode=c-shared)..."
    CGO_ENABLED=1 GOOS=linux GOARCH="$goarch" CC="$cc_command" \
        go build -trimpath -buildmode=c-shared -ldflags="$ldflags" -o "$work/libuplinkc.so" .
fi
# cgo no longer copies doc comments into the header it generates: put each export's there.
go run ./internal/headerdoc -package . -header "$work/libuplinkc.h"
cp "$module_dir/uplink_definitions.h" "$module_dir/uplink_python_ext.h" "$work/"
collect_licenses "$work/libuplinkc.so" "$work/LICENSES.txt"
mv "$work/libuplinkc.h" "$work/uplink_definitions.h" "$work/uplink_python_ext.h" "$target/"
mv "$work/LICENSES.txt" "$notices"
mv "$work/libuplinkc.so" "$library"
echo "$version" > "$stamp"
echo "built $library, $(size)"
