#!/usr/bin/env bash
# Set up a fresh virtual environment in .venv and run every check: ruff, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet -e '.[test]'
.venv/bin/ruff check src tests benchmarks
bash scripts/compat.sh
# pytest last: its closing line is the suite's verdict.
.venv/bin/python -m pytest "$@"
