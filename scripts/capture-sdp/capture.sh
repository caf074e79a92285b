#!/bin/sh
# Captures real SDP fixtures from headless Chromium and aiortc inside a private
# network namespace: only loopback and a veth pair whose both ends live in that
# namespace (d0 holds documentation addresses RFC 5737 192.0.2.10 and RFC 3849
# 2001:db8::10; this kernel has no dummy links), so ICE gathering and mDNS
# announcements cannot leave this machine.
# Needs root (unshare), `chromium` (apt) and aiortc in .venv (pip install aiortc).
# Usage: scripts/capture-sdp/capture.sh [OUTPUT_DIR]   (default: a temporary directory)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$(mktemp -d)}
mkdir -p "$out"
python=$root/.venv/bin/python
command -v chromium >/dev/null || { echo "chromium missing: apt-get install -y chromium" >&2; exit 1; }
[ -x "$python" ] || { echo "aiortc missing: python3 -m venv .venv && .venv/bin/pip install aiortc" >&2; exit 1; }
unshare --net sh -c "
  set -e
  ip link set lo up
  ip link add d0 type veth peer name d1
  ip addr add 192.0.2.10/24 dev d0
  ip -6 addr add 2001:db8::10/64 dev d0 nodad
  ip link set d1 up
  ip link set d0 up
  # Chromium without camera permission gathers only on the interface of the
  # default route (found by connect(), which sends nothing); the route points
  # into the veth pair, which ends inside this namespace.
  ip route add default dev d0
  ip -6 route add default dev d0
  exec '$python' '$here/capture.py' '$out'
"
echo "fixtures in $out"
