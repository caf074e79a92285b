#!/usr/bin/env bash
# Creates .venv at the repository root (if missing) and installs the pinned
# Python peers the interop tests run against: aioice (ICE, Tests/ICEInteropTests
# via scripts/interop/aioice_peer.py) and aiortc (WebRTC DataChannel echo peer,
# scripts/interop/aiortc_echo.py; aiortc 1.16.0 wants aioice >=0.12,<1, so the
# aioice pin holds, and Python >= 3.11). Idempotent and quiet; works on a fresh
# Debian 12 (installs python3-venv with apt when `python3 -m venv` is missing).
set -euo pipefail

AIOICE_VERSION=0.13.0
AIORTC_VERSION=1.16.0

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=$root/.venv

command -v python3 >/dev/null || { echo "setup-python: python3 is missing (apt-get install python3)" >&2; exit 1; }

if [[ ! -x $venv/bin/python ]]; then
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
        # Debian ships venv (and ensurepip) separately.
        rm -rf "$venv"
        echo "setup-python: installing python3-venv" >&2
        SUDO=""
        if [[ $(id -u) -ne 0 ]]; then
            command -v sudo >/dev/null || { echo "setup-python: need root (or sudo) to install python3-venv" >&2; exit 1; }
            SUDO="sudo"
        fi
        export DEBIAN_FRONTEND=noninteractive
        $SUDO apt-get update -qq
        $SUDO apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
        python3 -m venv "$venv"
    fi
fi

installed=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("aioice"), m.version("aiortc"))' 2>/dev/null || true)
if [[ $installed != "$AIOICE_VERSION $AIORTC_VERSION" ]]; then
    echo "setup-python: installing aioice==$AIOICE_VERSION aiortc==$AIORTC_VERSION into .venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "aioice==$AIOICE_VERSION" "aiortc==$AIORTC_VERSION" ||
        { echo "setup-python: pip could not install aioice/aiortc" >&2; exit 1; }
fi

"$venv/bin/python" -c 'import aioice' || { echo "setup-python: aioice does not import from .venv" >&2; exit 1; }
"$venv/bin/python" -c 'import aiortc' || { echo "setup-python: aiortc does not import from .venv" >&2; exit 1; }
