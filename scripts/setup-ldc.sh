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

is_ok() {  # a CPython >= 3.12 with venv
    "$1" -c 'import sys, venv; sys.exit(not (sys.implementation.name == "cpython" and sys.version_info >= (3, 12)))' \
        2>/dev/null
}

find_python() {
    local candidate
    local pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
    command -v pyenv >/dev/null && pyenv_root=$(pyenv root 2>/dev/null || echo "$pyenv_root")
    # Newest first: PATH, then pyenv's versions (3.13.*, 3.12.*, ... sorted by version).
    for candidate in $(command -v python3.14 python3.13 python3.12 2>/dev/null) \
                     $(ls -d "$pyenv_root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) \
                     $(command -v python3 2>/dev/null); do
        if is_ok "$candidate"; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if [[ ! -x $venv/bin/python ]] || ! is_ok "$venv/bin/python"; then
    python=$(find_python) || {
        echo "setup-ldc: no CPython >= 3.12 found (looked on PATH and in pyenv's versions);" \
             "aiolibdatachannel has no wheel for older Pythons. Install one (e.g. pyenv install 3.12)." >&2
        exit 1
    }
    echo "setup-ldc: creating .venv-ldc with $python ($("$python" -V 2>&1))" >&2
    rm -rf "$venv"
    "$python" -m venv "$venv" || { echo "setup-ldc: '$python -m venv' failed" >&2; exit 1; }
fi

installed=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("aiolibdatachannel"))' 2>/dev/null || true)
if [[ $installed != "$AIOLIBDATACHANNEL_VERSION" ]]; then
    echo "setup-ldc: installing aiolibdatachannel==$AIOLIBDATACHANNEL_VERSION into .venv-ldc" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "aiolibdatachannel==$AIOLIBDATACHANNEL_VERSION" ||
        { echo "setup-ldc: pip could not install aiolibdatachannel" >&2; exit 1; }
fi

"$venv/bin/python" -c 'import aiolibdatachannel' ||
    { echo "setup-ldc: aiolibdatachannel does not import from .venv-ldc" >&2; exit 1; }
