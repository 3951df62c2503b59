#!/usr/bin/env bash
# Runs the Python package's tests against a real Keyhold (scripts/fixture-server.ts, needs the root's `npm ci`): a venv in
# packages/python/.venv (KEYHOLD_PY_VENV overrides) with the package and its test extra from pip's configured index;
# when pip cannot install them, Debian's python3-httpx and python3-pytest (apt-get, as root) with the sources on
# PYTHONPATH. Extra arguments go to pytest. Exits with pytest's status (0 with a notice when python3 is absent, unless CI
# is set).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

if [ ! -e "$root/node_modules/tsx" ]; then
  echo "run-tests.sh: $root/node_modules has no tsx: run \`npm ci\` at the repository root first" >&2
  exit 2
fi
python="${PYTHON:-$(command -v python3 || true)}"
if [ -z "$python" ]; then
  # `npm test` runs these when python3 is present; CI installs it, so there a missing python3 is a failure.
  if [ -n "${CI:-}" ]; then
    echo "run-tests.sh: python3 not found (CI is set: install python3)" >&2
    exit 2
  fi
  echo "run-tests.sh: python3 not found: Python package tests skipped"
  exit 0
fi

venv="${KEYHOLD_PY_VENV:-$here/.venv}"
# A mirror-only machine cannot resolve pypi.org: fail over to the configured local index quickly (the variable also
# reaches the pip that installs the build backend).
export PIP_RETRIES="${PIP_RETRIES:-1}"
if { [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"; } &&
  "$venv/bin/python" -m pip install --quiet "$here[test]"; then
  echo "== pytest ($("$venv/bin/python" --version), $venv)"
  exec "$venv/bin/python" -m pytest "$@"
fi

echo "run-tests.sh: pip could not install the test dependencies; falling back to Debian's python3-httpx and python3-pytest" >&2
system=/usr/bin/python3
if ! "$system" -c "import httpx, pytest" 2>/dev/null; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "run-tests.sh: as root, run: apt-get install python3-httpx python3-pytest" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3-httpx python3-pytest >/dev/null
  apt-get install -y -qq --no-install-recommends python3-starlette >/dev/null 2>&1 || true
fi
echo "== pytest ($("$system" --version), Debian packages)"
PYTHONPATH="$here/src${PYTHONPATH:+:$PYTHONPATH}" exec "$system" -m pytest -p no:cacheprovider "$@"
