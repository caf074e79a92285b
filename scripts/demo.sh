#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the full-stack demo:
# every layer built so far, bottom up, each on loopback with its own tool.
# Until the DataChannel demo exists that is STUN (stun-probe against an embedded
# server), ICE (two agents connecting with ice-check) and DTLS (a mutually
# authenticated handshake and an echoed message with dtls-handshake).
#
#   scripts/demo.sh                 all layers, one after the other
#   scripts/demo.sh stun|ice|dtls [TOOL OPTIONS...]   one layer, options passed on
#                                   (e.g. scripts/demo.sh dtls --loss 0.3 --seed 5)
set -euo pipefail
cd "$(dirname "$0")/.."

layer="${1:-all}"
case "$layer" in
    all|stun|ice|dtls) ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown layer '$layer' (expected stun, ice or dtls; --help for usage)" >&2; exit 2 ;;
esac
[[ $# -gt 0 ]] && shift

bash scripts/setup.sh
swift build --product stun-probe
swift build --product ice-check
swift build --product dtls-handshake
bin=.build/debug

banner() { printf '\n==================== %s ====================\n\n' "$1"; }
case "$layer" in
    stun) exec "$bin/stun-probe" "$@" ;;
    ice) exec "$bin/ice-check" "$@" ;;
    dtls) exec "$bin/dtls-handshake" "$@" ;;
esac
banner "STUN (RFC 8489): stun-probe"
"$bin/stun-probe"
banner "ICE (RFC 8445): ice-check"
"$bin/ice-check"
banner "DTLS 1.2 (RFC 6347): dtls-handshake"
"$bin/dtls-handshake"
