#!/usr/bin/env bash
# Set up .venv and judge a shipped example case (acute onveiligheid, al eerder gemeld door een ander).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet -e .
.venv/bin/meldcode-rules evaluate examples/acuut-eerder-gemeld.yaml "$@"
