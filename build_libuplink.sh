#!/usr/bin/env bash
# Builds libuplinkc.so (and copies its header) from the Go module storj.io/uplink-c, at the version
# pinned in libuplinkc/go.mod, into uplink_python/ where the package loads it. Safe to run again:
# it does nothing when that version is already built. LIBUPLINKC_DEBUG=1 keeps debug information.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
module_dir="$root/libuplinkc"
target="$root/uplink_python"
stamp="$target/.libuplinkc-version"

if ! command -v go >/dev/null 2>&1; then
    echo "build_libuplink.sh: Go is not installed; libuplinkc is built from Go source (Go >= 1.25)." >&2
    exit 1
fi

version=$(awk '$1 == "require" && $2 == "storj.io/uplink-c" {print $3}' "$module_dir/go.mod")
if [ -f "$target/libuplinkc.so" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
    echo "libuplinkc $version is already built: $target/libuplinkc.so"
    exit 0
fi

cd "$module_dir"
# -mod=mod records the module checksums in go.sum on the first build (commit that go.sum).
export GOFLAGS="${GOFLAGS:-} -mod=mod"
if ! fetch_log=$(go mod download storj.io/uplink-c 2>&1); then
    echo "build_libuplink.sh: cannot fetch storj.io/uplink-c $version from the Go module proxy ($(go env GOPROXY)):" >&2
    echo "$fetch_log" >&2
    exit 1
fi
source_dir=$(go list -m -f '{{.Dir}}' storj.io/uplink-c)

ldflags="-s -w"
[ -n "${LIBUPLINKC_DEBUG:-}" ] && ldflags=""
echo "building libuplinkc $version (go build -buildmode=c-shared)..."
go build -trimpath -buildmode=c-shared -ldflags="$ldflags" -o "$target/libuplinkc.so.tmp" storj.io/uplink-c
mv "$target/libuplinkc.so.tmp" "$target/libuplinkc.so"
mv "$target/libuplinkc.so.h" "$target/libuplinkc.h" 2>/dev/null || true
cp "$source_dir/uplink_definitions.h" "$source_dir/uplink_compat.h" "$target/"
chmod u+w "$target/uplink_definitions.h" "$target/uplink_compat.h"
echo "$version" > "$stamp"
echo "built $target/libuplinkc.so"
