#!/usr/bin/env bash
# The README's test command. On a fresh machine with Go, Python 3 and gcc it sets up everything itself:
# a .venv with pytest, the Go modules, libuplinkc (build_libuplink.sh) and the local Storj network
# (built and started by the integration tests' fixture). Extra arguments go to pytest.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

phase() { printf '\n== %s (%s)\n' "$1" "$(date +%T)"; }
timed() { local start=$SECONDS; "$@"; echo "-- $((SECONDS - start)) s: $*"; }

command -v go >/dev/null || { echo "tests/run.sh: Go is required (libuplinkc and the local network are Go)" >&2; exit 1; }
command -v gcc >/dev/null || { apt-get update -qq && apt-get install -y -qq gcc; }

phase "python environment"
timed python3 -m venv .venv
timed .venv/bin/python -m pip install -q --disable-pip-version-check pytest pytest-mock fsspec pandas pyarrow mypy "dask[distributed,dataframe]" mkdocs "mkdocstrings[python]" mkdocs-material

phase "go modules"
timed bash -c 'cd libuplinkc && go mod download'
timed bash -c 'cd testnet && go mod download'

phase "libuplinkc"
timed bash build_libuplink.sh

phase "go vet and go tests"
timed bash -c 'cd libuplinkc && go vet ./... && go test -count=1 ./...'
timed bash -c 'cd testnet && go vet ./... && go test -count=1 -timeout 20m ./...'

phase "mypy --strict (the package, and typical user code against it)"
timed .venv/bin/python -m mypy --strict uplink_python tests/typing/user_code.py

phase "docs site (warnings are errors)"
timed env PYTHONPATH=. NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --quiet

phase "python unit and integration tests"
timed .venv/bin/python -m pytest tests/unit tests/integration "$@"
