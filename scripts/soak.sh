#!/usr/bin/env bash
# Soak runs (issue 13, §4; docs/RELIABILITY.md): the suite's soak tests at full size.
#
#   scripts/soak.sh [MESSAGES]   reliable ordered and unordered streams, MESSAGES each
#                                (default 100000), under 20 % loss, 5 % duplication and
#                                10 % reordering, in memory over usrsctp; prints the figures.
#
# Everything stays in memory or on loopback. Builds with the normal scratch path.
set -euo pipefail
cd "$(dirname "$0")/.."
messages="${1:-100000}"
[[ "$messages" =~ ^[0-9]+$ ]] || { echo "soak: MESSAGES must be a whole number, got '$messages'" >&2; exit 2; }
swift build --build-tests
SOAK_MESSAGES="$messages" swift test --skip-build --filter "SoakTests" 2>&1 | grep -E "^soak |✘|✔ Test|Test run"
