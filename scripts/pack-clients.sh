#!/usr/bin/env bash
# npm run pack:clients [-- OUT_DIR]: the release artifacts of the clients in one folder (default dist-clients/): the
# @keyhold/sdk and @keyhold/cli tarballs (npm pack, each built by its prepack) and the keyhold Python wheel and sdist
# (python -m build in packages/python/.venv, or KEYHOLD_PY_VENV; `build` and hatchling come from pip's configured index).
# Without python3 the Python artifacts are skipped with a notice (an error when CI is set).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:-$root/dist-clients}" && cd "${1:-$root/dist-clients}" && pwd)"
rm -f "$out"/keyhold-*.tgz "$out"/keyhold-*.whl "$out"/keyhold-*.tar.gz
cd "$root"

npm pack --silent --workspace packages/sdk --workspace packages/cli --pack-destination "$out" >/dev/null

python="${PYTHON:-$(command -v python3 || true)}"
if [ -z "$python" ]; then
  if [ -n "${CI:-}" ]; then
    echo "pack-clients: python3 not found (CI is set: install python3)" >&2
    exit 2
  fi
  echo "pack-clients: python3 not found: the Python wheel and sdist were not built" >&2
else
  venv="${KEYHOLD_PY_VENV:-$root/packages/python/.venv}"
  export PIP_RETRIES="${PIP_RETRIES:-1}"
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  "$venv/bin/python" -c "import build" 2>/dev/null || "$venv/bin/python" -m pip install --quiet build
  "$venv/bin/python" -m build --sdist --wheel --outdir "$out" "$root/packages/python" >/dev/null
fi
ls -1 "$out"
