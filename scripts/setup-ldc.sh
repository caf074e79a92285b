#!/usr/bin/env bash
# Creates .venv-ldc at the repository root with a CPython >= 3.12 and installs the
# pinned aiolibdatachannel (libdatachannel's PyPI wrapper: wheels exist for cp312+
# only), which scripts/interop/ldc_echo.py runs on. Idempotent and quiet. Looks for
# the interpreter on PATH (python3.13, python3.12, python3) and in pyenv's versions;
# fails loudly when there is none: the libdatachannel peer is never silently skipped.
set -euo pipefail

AIOLIBDATACHANNEL_VERSION=2026.10.15

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=$root/.venv-ldc

# shellcheck source=python312-venv.sh
source "$root/scripts/python312-venv.sh"
ensure_venv312 setup-ldc "$venv" "aiolibdatachannel has no wheel for older Pythons"

installed=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("aiolibdatachannel"))' 2>/dev/null || true)
if [[ $installed != "$AIOLIBDATACHANNEL_VERSION" ]]; then
    echo "setup-ldc: installing aiolibdatachannel==$AIOLIBDATACHANNEL_VERSION into .venv-ldc" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "aiolibdatachannel==$AIOLIBDATACHANNEL_VERSION" ||
        { echo "setup-ldc: pip could not install aiolibdatachannel" >&2; exit 1; }
fi

"$venv/bin/python" -c 'import aiolibdatachannel' ||
    { echo "setup-ldc: aiolibdatachannel does not import from .venv-ldc" >&2; exit 1; }
