# Sourced by setup-ldc.sh and setup-chatixia.sh: the peers they install need CPython
# >= 3.12, which Debian 12 (3.11) does not have, so the interpreter is looked for on
# PATH (python3.14, python3.13, python3.12, python3) and in pyenv's versions, newest
# first. No interpreter is a hard failure: those peers' tests are never skipped.

venv312_is_ok() {  # a CPython >= 3.12 with venv
    "$1" -c 'import sys, venv; sys.exit(not (sys.implementation.name == "cpython" and sys.version_info >= (3, 12)))' \
        2>/dev/null
}

venv312_find_python() {
    local candidate
    local pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
    command -v pyenv >/dev/null && pyenv_root=$(pyenv root 2>/dev/null || echo "$pyenv_root")
    # Newest first: PATH, then pyenv's versions (3.13.*, 3.12.*, ... sorted by version), then plain python3.
    for candidate in $(command -v python3.14 python3.13 python3.12 2>/dev/null) \
                     $(ls -d "$pyenv_root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) \
                     $(command -v python3 2>/dev/null); do
        if venv312_is_ok "$candidate"; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

# ensure_venv312 TAG VENV WHY: makes VENV with a CPython >= 3.12 unless it already has
# one; TAG prefixes the messages, WHY says why 3.12 is needed. Exits 1 when it cannot.
ensure_venv312() {
    local tag=$1 venv=$2 why=$3 python
    if [[ -x $venv/bin/python ]] && venv312_is_ok "$venv/bin/python"; then
        return 0
    fi
    python=$(venv312_find_python) || {
        echo "$tag: no CPython >= 3.12 found (looked on PATH and in pyenv's versions);" \
             "$why. Install one (e.g. pyenv install 3.12)." >&2
        exit 1
    }
    echo "$tag: creating $(basename "$venv") with $python ($("$python" -V 2>&1))" >&2
    rm -rf "$venv"
    "$python" -m venv "$venv" || { echo "$tag: '$python -m venv' failed" >&2; exit 1; }
}
