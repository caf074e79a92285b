#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine with only Swift:
# installs what is missing, builds every target (tools, exercises, solutions),
# then runs every test target (unit, simulation, interop, lessons, lab).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build
swift test "$@"
