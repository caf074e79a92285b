#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the full-stack demo:
# every layer built so far, bottom up, each on loopback with its own tool:
# STUN (stun-probe against an embedded server), ICE (two agents connecting with
# ice-check), DTLS (a mutually authenticated handshake and an echoed message
# with dtls-handshake), SCTP over DTLS (the four delivery modes under induced
# loss with sctp-streams), DataChannels end to end (datachannel-chat echo:
# our echo server and client, six channel types, every message kind), and last
# the system they add up to: a mesh of agents (datachannel-chat demo: a signaling
# registry with JWTs and 5 agents forming a full mesh, the ten setup steps timed
# for every pair, drawn to .demo/mesh-timeline.svg).
#
#   scripts/demo.sh                 all layers, one after the other, then the mesh
#   scripts/demo.sh mesh [OPTIONS]  the mesh demo alone (e.g. scripts/demo.sh mesh --agents 10)
#   scripts/demo.sh stun|ice|dtls|sctp|datachannel [TOOL OPTIONS...]   one layer, options passed on
#                                   (e.g. scripts/demo.sh dtls --loss 0.3 --seed 5,
#                                    scripts/demo.sh datachannel echo --serve --listen 127.0.0.1:8080)
set -euo pipefail
cd "$(dirname "$0")/.."

layer="${1:-all}"
case "$layer" in
    all|stun|ice|dtls|sctp|datachannel|mesh) ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown layer '$layer' (expected stun, ice, dtls, sctp, datachannel or mesh; --help for usage)" >&2; exit 2 ;;
esac
[[ $# -gt 0 ]] && shift

bash scripts/setup.sh
swift build --product stun-probe
swift build --product ice-check
swift build --product dtls-handshake
swift build --product sctp-streams
swift build --product datachannel-chat
bin=.build/debug

banner() { printf '\n==================== %s ====================\n\n' "$1"; }
case "$layer" in
    stun) exec "$bin/stun-probe" "$@" ;;
    ice) exec "$bin/ice-check" "$@" ;;
    dtls) exec "$bin/dtls-handshake" "$@" ;;
    sctp) exec "$bin/sctp-streams" "$@" ;;
    datachannel) exec "$bin/datachannel-chat" "$@" ;;
    mesh)
        if [[ $# -eq 0 ]]; then mkdir -p .demo; set -- --timeline .demo/mesh-timeline.svg; fi
        exec "$bin/datachannel-chat" demo "$@" ;;
esac
banner "STUN (RFC 8489): stun-probe"
"$bin/stun-probe"
banner "ICE (RFC 8445): ice-check"
"$bin/ice-check"
banner "DTLS 1.2 (RFC 6347): dtls-handshake"
"$bin/dtls-handshake"
banner "SCTP over DTLS (RFC 8261, RFC 8831): sctp-streams"
"$bin/sctp-streams"
banner "DataChannels (RFC 8831, RFC 8832): datachannel-chat echo, server and client"
# The server answers on a port the kernel picks and says which on its first line.
server_out=$(mktemp)
"$bin/datachannel-chat" echo --serve --listen 127.0.0.1:0 >"$server_out" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$server_out"' EXIT
for _ in $(seq 1 100); do grep -q listening "$server_out" && break; sleep 0.1; done
listening=$(sed -n 's/.*"listening":"\([^"]*\)".*/\1/p' "$server_out")
[[ -n $listening ]] || { echo "demo: the echo server did not start" >&2; exit 1; }
echo "echo server listening on $listening"
"$bin/datachannel-chat" echo "http://$listening/offer"
kill "$server" 2>/dev/null || true
banner "The mesh (chatixia-mesh's design): datachannel-chat demo, a registry and 5 agents"
mkdir -p .demo
"$bin/datachannel-chat" demo --timeline .demo/mesh-timeline.svg
