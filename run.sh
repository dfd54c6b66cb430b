#!/usr/bin/env bash
# Set-up and the main jobs in one place. On a fresh machine:
#
#   ./run.sh report     install (first time), then the comparison report on the embedded defaults
#   ./run.sh test       install (first time), then the whole test suite
#   ./run.sh docs       install (first time), then the documentation site, offline, into site/
#
# Other sub-commands: install, quick (the report on a tiny budget), shell (a shell in the venv).
# Settings: VENV (default .venv), PYTHON (default python3), TORCH_SPEC (the torch to install when
# none is present; default torch==2.13.0; a CPU build where your pip finds one), REPORT_DIR.
set -euo pipefail
cd "$(dirname "$0")"

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
TORCH_SPEC=${TORCH_SPEC:-torch==2.13.0}
REPORT_DIR=${REPORT_DIR:-results}

install() {
    if [ ! -x "$VENV/bin/python" ]; then
        echo "run.sh: creating the virtual environment $VENV" >&2
        "$PYTHON" -m venv "$VENV"
    fi
    # torch first, and only where none is present: a bare torch requirement would pull a
    # multi-GB CUDA build; pyproject.toml keeps a range (torch>=2.2) that this satisfies.
    if ! "$VENV/bin/python" -c "import torch" >/dev/null 2>&1; then
        echo "run.sh: installing $TORCH_SPEC" >&2
        "$VENV/bin/pip" install --quiet "$TORCH_SPEC"
    fi
    local stamp="$VENV/.learning-paradigms-installed"
    local want
    want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "run.sh: installing learning-paradigms and its dependencies" >&2
        "$VENV/bin/pip" install --quiet -e ".[dev]"
        echo "$want" > "$stamp"
    fi
}

cmd=${1:-help}
shift || true
case "$cmd" in
    install) install ;;
    report)  install; exec "$VENV/bin/paradigms" compare --out "$REPORT_DIR" "$@" ;;
    quick)   install; exec "$VENV/bin/paradigms" compare --quick --out "$REPORT_DIR" "$@" ;;
    test)    install; exec "$VENV/bin/python" -m pytest "$@" ;;
    docs)    install; NO_MKDOCS_2_WARNING=1 exec "$VENV/bin/mkdocs" build --strict --site-dir site "$@" ;;
    shell)   install; exec bash --rcfile <(echo "source $VENV/bin/activate") ;;
    *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; [ "$cmd" = help ] || exit 2 ;;
esac
