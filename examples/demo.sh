#!/usr/bin/env bash
# The README's demo command: builds libuplinkc and the local Storj network, starts the network, runs
# examples/hello_storj.py against it and stops it. With STORJ_SATELLITE (nodeid@host:port) and
# STORJ_API_KEY set, it runs the example against that satellite instead.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

bash build_libuplink.sh
export PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}"
if [ -n "${STORJ_SATELLITE:-}" ] && [ -n "${STORJ_API_KEY:-}" ]; then
    exec python3 examples/hello_storj.py
fi
data_dir=$(mktemp -d -t uplink-python-demo.XXXXXX)
trap 'rm -rf "$data_dir"' EXIT
python3 tests/localnet.py "$data_dir" -- python3 examples/hello_storj.py
