#!/usr/bin/env bash
# Runs coturn's turnserver as a plain STUN server on loopback, in the foreground,
# with the same minimal flags the interop tests use (Tests/StunProbeTests).
#
#   scripts/interop/coturn.sh [PORT]      (default 3479, so it never clashes with
#                                          `stun-probe --serve` on 3478)
# then, in another terminal:
#   swift run stun-probe 127.0.0.1:3479
#
# No TLS/DTLS listeners, no admin CLI, logs to stdout; Ctrl-C stops it.
set -euo pipefail
PORT="${1:-3479}"
command -v turnserver >/dev/null || { echo "turnserver is missing: run scripts/setup.sh" >&2; exit 1; }
echo "coturn: STUN on 127.0.0.1:${PORT} (udp); Ctrl-C to stop" >&2
exec turnserver -n --no-cli --listening-ip=127.0.0.1 --listening-port="${PORT}" \
    --no-tls --no-dtls --log-file=stdout --simple-log --pidfile="${TMPDIR:-/tmp}/coturn-${PORT}.pid"
