#!/usr/bin/env bash
# Load runs (issue 13, §4; docs/RELIABILITY.md): the registry and the echo server at full size.
#
#   scripts/load.sh [CLIENTS [ECHO_CLIENTS]]
#     CLIENTS (default 500; the suite runs 100): WebSocket clients with valid tokens register
#       with one in-process registry, each relays REGISTRY_LOAD_OFFERS (default 10) offers to
#       other clients, every offer is checked at its target, then all leave; the hub's
#       sessions and VmRSS before, at the peak and after; REGISTRY_LOAD_ROUNDS (default 2)
#       rounds on one registry. About a minute a round at 500 on a loaded 2-core machine.
#     ECHO_CLIENTS (default 50, as in the suite): RTCPeerConnections POST their offers to one
#       in-process echo server at once, each sends ECHO_LOAD_MESSAGES (default 100 here, 20 in
#       the suite) messages and checks every echo byte for byte; the server's live
#       connections after they close.
#   Prints the figures. Everything stays on loopback. SCRATCH_PATH=DIR builds in DIR instead
#   of .build.
set -euo pipefail
cd "$(dirname "$0")/.."
clients="${1:-500}"
echo_clients="${2:-50}"
for value in "$clients" "$echo_clients" "${REGISTRY_LOAD_OFFERS:-10}" "${REGISTRY_LOAD_ROUNDS:-2}" "${ECHO_LOAD_MESSAGES:-100}"; do
    [[ "$value" =~ ^[0-9]+$ ]] || { echo "load: the counts must be whole numbers, got '$value'" >&2; exit 2; }
done
scratch=()
[[ -n "${SCRATCH_PATH:-}" ]] && scratch=(--scratch-path "$SCRATCH_PATH")
swift build "${scratch[@]}" --build-tests
log="${SCRATCH_PATH:-.build}/load.log"
# Two runs: the registry's figures are the whole process's memory, so nothing else may run
# beside it.
status=0
REGISTRY_LOAD_CLIENTS="$clients" swift test "${scratch[@]}" --skip-build --filter "RegistryLoadTests" > "$log" 2>&1 || status=$?
ECHO_LOAD_CLIENTS="$echo_clients" ECHO_LOAD_MESSAGES="${ECHO_LOAD_MESSAGES:-100}" swift test "${scratch[@]}" --skip-build --filter "EchoServerLoadTests" >> "$log" 2>&1 || status=$?
grep -E "registry load:|^echo load:|✘|Test run" "$log" || true
[[ $status -eq 0 ]] || echo "load: FAILED (exit $status); the whole output is in $log" >&2
exit "$status"
