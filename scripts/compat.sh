#!/usr/bin/env bash
# The Python-version promise, checked: on 3.12 the durable engine works; on 3.13+ the
# package installs without durable-rules, judges with the reference engine, and asking
# for durable gives a clear message. Runs each interpreter that this machine has.
set -euo pipefail
cd "$(dirname "$0")/.."
example=examples/acuut-eerder-gemeld.yaml
find_python() {
  command -v "python$1" >/dev/null 2>&1 && "python$1" -c '' >/dev/null 2>&1 && { command -v "python$1"; return; }
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$1".*/bin/"python$1"; do
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
}
checked=0
for version in 3.12 3.13; do
  python=$(find_python "$version" || true)
  if [ -z "$python" ]; then
    echo "compat: Python $version not on this machine, not checked"
    continue
  fi
  venv=".venv-py${version/./}"
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet -e . >/dev/null
  melden=$("$venv/bin/meldcode-rules" evaluate "$example" --format json | "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["melden"])')
  [ "$melden" = "ja" ] || { echo "compat: Python $version gave melden=$melden for $example"; exit 1; }
  if [ "$version" = "3.12" ]; then
    engine=$("$venv/bin/meldcode-rules" evaluate "$example" --format json --engine durable | "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["engine"])')
    [ "$engine" = "durable" ] || { echo "compat: Python 3.12 did not use the durable engine"; exit 1; }
  else
    if out=$("$venv/bin/meldcode-rules" evaluate "$example" --engine durable 2>&1); then
      echo "compat: Python $version accepted --engine durable"; exit 1
    fi
    grep -q "niet beschikbaar" <<<"$out" || { echo "compat: unclear message on $version: $out"; exit 1; }
  fi
  echo "compat: Python $version ok"
  checked=$((checked + 1))
done
echo "compat: $checked Python version(s) checked"
