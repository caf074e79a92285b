#!/usr/bin/env bash
# Soak runs (issue 13, §4; docs/RELIABILITY.md): the suite's soak tests at full size.
#
#   scripts/soak.sh [MESSAGES [CYCLES]]
#     MESSAGES (default 100000): reliable ordered and unordered streams, MESSAGES each,
#       under 20 % loss, 5 % duplication and 10 % reordering, in memory over usrsctp;
#     CYCLES (default 1000): connect, exchange and close two PeerConnections on loopback,
#       CYCLES times in one process; open descriptors and VmRSS before and after.
#   Prints the figures. Everything stays in memory or on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
messages="${1:-100000}"
cycles="${2:-1000}"
for value in "$messages" "$cycles"; do
    [[ "$value" =~ ^[0-9]+$ ]] || { echo "soak: MESSAGES and CYCLES must be whole numbers, got '$value'" >&2; exit 2; }
done
swift build --build-tests
# Two runs: the cycles measure the whole process's descriptors and memory, so nothing
# else may run beside them.
log=.build/soak.log
status=0
SOAK_MESSAGES="$messages" swift test --skip-build --filter "SoakTests" > "$log" 2>&1 || status=$?
SOAK_CYCLES="$cycles" swift test --skip-build --filter "ConnectionCycleTests" >> "$log" 2>&1 || status=$?
grep -E "^soak |^connection cycles|✘|Test run" "$log" || true
[[ $status -eq 0 ]] || echo "soak: FAILED (exit $status); the whole output is in $log" >&2
exit "$status"
