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

# Tesseract OCR with Russian, Uzbek (Cyrillic) and Kazakh data, from
# Debian's packages: contest.imaging.words finds a child's name written on
# the drawing with it, and its tests need it (they fail without it).
# English data comes with tesseract-ocr itself.
if ! command -v tesseract >/dev/null 2>&1 \
   || ! tesseract --list-langs 2>/dev/null | grep -qx rus \
   || ! tesseract --list-langs 2>/dev/null | grep -qx uzb_cyrl \
   || ! tesseract --list-langs 2>/dev/null | grep -qx kaz; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq tesseract-ocr tesseract-ocr-rus tesseract-ocr-uzb-cyrl tesseract-ocr-kaz
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
echo "Chromium: $(command -v chromium)  axe-core: $AXE_VERSION  tesseract: $(command -v tesseract)"
