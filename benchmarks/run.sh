#!/usr/bin/env bash
# The benchmark's one command: uplink_python against native Go on one local Storj network.
#   bash benchmarks/run.sh           full run (~25 min on 2 cores)
#   bash benchmarks/run.sh --quick   smoke run: fewer repetitions, smaller sizes
# Needs Go and Python 3 (as the tests do). Sets up benchmarks/.venv (matplotlib), builds libuplinkc,
# the local network and go/uplinkbench, and writes benchmarks/results/.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"
command -v go >/dev/null || { echo "benchmarks/run.sh: Go is required" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check matplotlib
mkdir -p results
# A partial run (--only) logs beside its results in .work/, never over the full run's log.
log=results/run.log
case " $* " in *" --only"*) mkdir -p .work; log=.work/run.log ;; esac
.venv/bin/python -u run.py "$@" 2>&1 | tee "$log"
exit "${PIPESTATUS[0]}"
