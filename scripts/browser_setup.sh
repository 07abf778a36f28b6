#!/usr/bin/env bash
# Prepares the browser tests (`pytest -m browser`): Debian's Chromium, and
# axe-core from the npm registry in .browser/ (not committed). Idempotent.
# Playwright drives the system Chromium; it never downloads a browser of
# its own.
set -euo pipefail
cd "$(dirname "$0")/.."
AXE_VERSION=4.14.1

if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium
fi

if [ ! -f .browser/node_modules/axe-core/axe.min.js ] \
   || ! grep -q "\"version\": \"$AXE_VERSION\"" .browser/node_modules/axe-core/package.json; then
  mkdir -p .browser
  npm install --prefix .browser --no-save --no-audit --no-fund --silent "axe-core@$AXE_VERSION"
fi

PY="${PY:-.venv/bin/python}"
if [ -x "$PY" ] && ! "$PY" -c "import playwright" 2>/dev/null; then
  "$PY" -m pip install --quiet -r requirements-dev.txt
fi
echo "Chromium: $(command -v chromium)  axe-core: $AXE_VERSION"
