#!/usr/bin/env bash
# Set up a fresh virtual environment in .venv and run every check: ruff, mypy, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet -e '.[test]'
# The screenshot test (tests/test_screenshot.py) needs a headless browser. Install the Debian
# package once when it is missing and we are root (CI containers); idempotent and quiet.
# The PHP client example (tests/test_clients.py) runs where php is; the same way for php-cli.
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v php >/dev/null 2>&1 || missing="$missing php-cli"
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  apt-get install -y -qq $missing >/dev/null
fi
# The docs site bundles Mermaid from the npm registry at build time (docs/mermaid_bundle.py,
# cached after the first build): the npm client is needed once. Same rule as for Chromium.
if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq npm >/dev/null
fi
.venv/bin/ruff check src tests benchmarks scripts docs
.venv/bin/ruff format --check --quiet src tests benchmarks scripts
# The type hints of the package are checked ([tool.mypy] in pyproject.toml).
.venv/bin/mypy
bash scripts/compat.sh
# pytest last: its closing line is the suite's verdict. One worker process per core
# (pytest-xdist; the tests start their own servers and clusters on free loopback ports);
# PYTEST_WORKERS=0 runs it in this process.
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-auto}" "$@"
