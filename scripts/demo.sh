#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the full-stack demo:
# every layer built so far, bottom up, each on loopback with its own tool.
# Until the DataChannel demo exists that is STUN (stun-probe against an embedded
# server), ICE (two agents connecting with ice-check), DTLS (a mutually
# authenticated handshake and an echoed message with dtls-handshake) and SCTP
# over DTLS (the four delivery modes under induced loss with sctp-streams).
#
#   scripts/demo.sh                 all layers, one after the other
#   scripts/demo.sh stun|ice|dtls|sctp [TOOL OPTIONS...]   one layer, options passed on
#                                   (e.g. scripts/demo.sh dtls --loss 0.3 --seed 5)
set -euo pipefail
cd "$(dirname "$0")/.."

layer="${1:-all}"
case "$layer" in
    all|stun|ice|dtls|sctp) ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown layer '$layer' (expected stun, ice, dtls or sctp; --help for usage)" >&2; exit 2 ;;
esac
[[ $# -gt 0 ]] && shift

bash scripts/setup.sh
swift build --product stun-probe
swift build --product ice-check
swift build --product dtls-handshake
swift build --product sctp-streams
bin=.build/debug

banner() { printf '\n==================== %s ====================\n\n' "$1"; }
case "$layer" in
    stun) exec "$bin/stun-probe" "$@" ;;
    ice) exec "$bin/ice-check" "$@" ;;
    dtls) exec "$bin/dtls-handshake" "$@" ;;
    sctp) exec "$bin/sctp-streams" "$@" ;;
esac
banner "STUN (RFC 8489): stun-probe"
"$bin/stun-probe"
banner "ICE (RFC 8445): ice-check"
"$bin/ice-check"
banner "DTLS 1.2 (RFC 6347): dtls-handshake"
"$bin/dtls-handshake"
banner "SCTP over DTLS (RFC 8261, RFC 8831): sctp-streams"
"$bin/sctp-streams"
