#!/usr/bin/env bash
# Installs everything the lab needs on a fresh Debian 12 machine that has only
# the Swift toolchain. Idempotent: packages already present are not touched,
# and apt is only consulted when something is missing.
set -euo pipefail

# System packages: OpenSSL and usrsctp (DTLS/SCTP layers, linked from day one),
# pkg-config (how SwiftPM finds them), and the real peers the interop tests
# run against: coturn (STUN/TURN server), stun-client (Debian's `stun`),
# openssl (the `openssl s_server/s_client -dtls1_2` DTLS peers), tshark (proof
# that our bytes dissect cleanly), and the WebRTC DataChannel echo peers of
# scripts/interop/README.md: Go + Debian's Pion v3 (built offline by
# scripts/interop/pion/build.sh), headless chromium (run by chromium_echo.py in a
# loopback-only network namespace: unshare from util-linux, ip from iproute2),
# and curl (the echo server's tests post raw bodies with it).
PACKAGES=(pkg-config libssl-dev libusrsctp-dev coturn stun-client openssl tshark
          golang-go golang-github-pion-webrtc.v3-dev chromium util-linux iproute2 curl bubblewrap)

missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    SUDO=""
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
        SUDO="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq -o DPkg::Lock::Timeout=600
    $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}" >/dev/null
fi

# A peer that did not install is a hard failure, never a silently skipped test.
for tool in turnserver stun openssl tshark pkg-config go chromium unshare ip curl bwrap prlimit setpriv; do
    command -v "$tool" >/dev/null || { echo "setup: '$tool' is still missing after install" >&2; exit 1; }
done

# UDP socket buffers: SCTP over DTLS sends bursts of hundreds of datagrams, and a
# stock kernel caps SO_RCVBUF at 208 KiB, so loopback drops them at speed. The tools
# ask for 4 MiB (root gets it anyway through SO_RCVBUFFORCE); raise the cap for
# everyone else, best effort (a container may not allow it: then only root gets 4 MiB).
for limit in net.core.rmem_max net.core.wmem_max; do
    current=$(sysctl -n "$limit" 2>/dev/null || echo 0)
    if ((current < 4194304)); then
        if [[ $(id -u) -eq 0 ]]; then sysctl -q -w "$limit=4194304" 2>/dev/null || true
        elif command -v sudo >/dev/null; then sudo -n sysctl -q -w "$limit=4194304" 2>/dev/null || true; fi
        (( $(sysctl -n "$limit" 2>/dev/null || echo 0) >= 4194304 )) ||
            echo "setup: note: $limit is $current; UDP buffers above it need root (SO_RCVBUFFORCE)" >&2
    fi
done

# Python peers (aioice) for the ICE interop tests, in the project's own .venv.
bash "$(dirname "$0")/setup-python.sh"

# DataChannel echo peers: libdatachannel (aiolibdatachannel needs CPython >= 3.12,
# so it has a venv of its own, .venv-ldc) and Pion (built into .build-interop/).
bash "$(dirname "$0")/setup-ldc.sh"
bash "$(dirname "$0")/interop/pion/build.sh" >/dev/null

# chatixia-mesh's own Python client (PyPI chatixia, which also needs CPython >= 3.12),
# in .venv-chatixia: the sidecar's wire-compatibility tests drive ours with it.
bash "$(dirname "$0")/setup-chatixia.sh"
