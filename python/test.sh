#!/usr/bin/env bash
# Builds the Python package `lucairn` from this checkout into a virtual environment and
# runs its tests with pytest: scanning, offsets, policies, errors, threads, the command
# line, the typing check of a sample program (mypy --strict) and the stub check (mypy's
# stubtest against the native module).
#
# Idempotent and quick on re-runs: the environment (python/.venv, or $LUCAIRN_PY_VENV) is
# kept, tools are installed once, and the package is rebuilt only when a source it is built
# from changed. The Rust build goes to the workspace's target/ directory, like cargo's.
#
#   python/test.sh                 # everything
#   python/test.sh -k offsets      # extra arguments go to pytest
#   PYTHON=python3.12 python/test.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
venv="${LUCAIRN_PY_VENV:-$here/.venv}"
python="${PYTHON:-python3}"
tools="maturin>=1.9.4,<2 pytest>=7 mypy>=1.10"

step() { printf '\n==> %s\n' "$*"; }

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
  echo "python/test.sh: needs CPython >= 3.9 as \$PYTHON (tried: $python)" >&2
  exit 2
fi

# A venv whose interpreter no longer runs (the base Python moved) is made again.
if [ -x "$venv/bin/python" ] && ! "$venv/bin/python" -c '' 2>/dev/null; then
  rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
  step "virtual environment $venv"
  "$python" -m venv "$venv"
fi
export PATH="$venv/bin:$PATH" # maturin, for builds without isolation
export PIP_DISABLE_PIP_VERSION_CHECK=1

if [ "$(cat "$venv/.lucairn-tools" 2>/dev/null)" != "$tools" ]; then
  step "pip install $tools"
  # shellcheck disable=SC2086 # one argument per requirement
  "$venv/bin/python" -m pip install --quiet $tools
  echo "$tools" >"$venv/.lucairn-tools"
fi

# Everything the wheel is built from.
stamp="$(
  cd "$root" &&
    find Cargo.toml Cargo.lock core/Cargo.toml core/src python/Cargo.toml python/pyproject.toml \
      python/README.md python/src python/python -type f ! -name '*.pyc' -print0 |
    sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
)"
if [ "$(cat "$venv/.lucairn-build" 2>/dev/null)" != "$stamp" ] ||
  ! "$venv/bin/python" -c 'import lucairn' 2>/dev/null; then
  step "pip install ./python (maturin, release build)"
  (cd "$root" && "$venv/bin/python" -m pip install --quiet --no-build-isolation --no-deps --force-reinstall ./python)
  echo "$stamp" >"$venv/.lucairn-build"
else
  step "lucairn is up to date in $venv"
fi

step "pytest (with the mypy typing check and the stub check)"
cd "$here"
"$venv/bin/python" -m pytest "$@"
