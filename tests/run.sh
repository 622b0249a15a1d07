#!/usr/bin/env bash
# The README's test command: sets up what the tests need on a fresh machine, then runs them.
# Unit tests only: the integration tests need libuplinkc and the local Storj network, which cannot
# be built while the Go module proxy refuses storj.io/uplink-c and storj.io/storj (see README).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

command -v gcc >/dev/null || { apt-get update -qq && apt-get install -y -qq gcc; }  # the loader tests compile stubs
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check pytest pytest-mock
exec .venv/bin/python -m pytest tests/unit "$@"
