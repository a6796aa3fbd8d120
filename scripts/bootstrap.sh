#!/usr/bin/env bash
# Create .venv and install the project with its pinned dependency versions (constraints.txt).
# Idempotent and quick when nothing changed. Installs Java and Maven (the managed
# Elasticsearch needs both), Tesseract (OCR of scanned letters) and chromium (browser tests)
# from Debian's packages when they are missing and we are root.
set -euo pipefail
cd "$(dirname "$0")/.."

python=""
for candidate in python3.13 python3.12 python3.11 python3; do
  # A pyenv shim exists for every version pyenv knows and fails loudly for one not selected.
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    python=$candidate; break
  fi
done
[ -n "$python" ] || { echo "error: Python >= 3.11 is required" >&2; exit 1; }

missing=()
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || missing+=(maven)
# The browser journeys (tests/browser) drive Debian's chromium through Playwright.
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || missing+=(chromium)
# Scanned letters are read by OCR (crawler.ocr).
command -v tesseract >/dev/null || missing+=(tesseract-ocr)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing ${missing[*]} (for the managed Elasticsearch node, OCR and the browser tests)"
    apt_log=$(mktemp)
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >"$apt_log" 2>&1; then
      cat "$apt_log" >&2; rm -f "$apt_log"
      echo "error: apt-get could not install ${missing[*]}" >&2; exit 1
    fi
    rm -f "$apt_log"
  else
    echo "warning: ${missing[*]} not installed; \`corresp es up\` needs Java >= 17 and Maven, OCR needs tesseract-ocr, the browser tests need chromium" >&2
  fi
fi

stamp=.venv/.installed
digest=$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ] && [ -x .venv/bin/corresp ]; then
  exit 0
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
# setuptools explains every editable install in a banner ("Editable installation. Please be
# careful with folders …"); it is informational, so it is filtered out by its message.
PYTHONWARNINGS="ignore:Editable installation" \
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
echo "$digest" > "$stamp"
echo "Installed corresp into .venv ($(.venv/bin/python --version))"
