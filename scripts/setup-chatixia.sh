#!/usr/bin/env bash
# Creates .venv-chatixia at the repository root with a CPython >= 3.12 and installs
# chatixia-mesh's own Python client (PyPI chatixia, pinned), which the sidecar's
# interop tests (Tests/MeshToolTests/Chatixia*Tests.swift, scripts/interop/chatixia_*.py)
# drive our `datachannel-chat sidecar` with. `--no-deps`: chatixia.core.mesh_client uses
# only the standard library, and the package's other dependencies (an LLM agent
# framework) are not needed to talk to a sidecar. Idempotent and quiet; fails loudly
# when there is no suitable Python: the chatixia client test is never silently skipped.
set -euo pipefail

CHATIXIA_VERSION=0.4.3

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=$root/.venv-chatixia

# shellcheck source=python312-venv.sh
source "$root/scripts/python312-venv.sh"
ensure_venv312 setup-chatixia "$venv" "chatixia $CHATIXIA_VERSION requires 3.12"

installed=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("chatixia"))' 2>/dev/null || true)
if [[ $installed != "$CHATIXIA_VERSION" ]]; then
    echo "setup-chatixia: installing chatixia==$CHATIXIA_VERSION (--no-deps) into .venv-chatixia" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
        "chatixia==$CHATIXIA_VERSION" ||
        { echo "setup-chatixia: pip could not install chatixia==$CHATIXIA_VERSION" >&2; exit 1; }
fi

"$venv/bin/python" -c 'from chatixia.core.mesh_client import MeshClient, MeshMessage' ||
    { echo "setup-chatixia: chatixia.core.mesh_client does not import from .venv-chatixia" >&2; exit 1; }
