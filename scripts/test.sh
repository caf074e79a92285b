#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine with only Swift:
# installs what is missing, builds every target (tools, exercises, solutions),
# then runs every test target (unit, simulation, interop, lessons, lab).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests

if (($#)); then
    exec swift test "$@"
fi

# One build, several runs (scripts/test-runs.sh says which and why).
source scripts/test-runs.sh
status=0
run_test_runs swift test --skip-build || status=$?
exit "$status"
