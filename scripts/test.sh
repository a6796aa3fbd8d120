#!/usr/bin/env bash
# The whole test suite: lint, formatting, architecture contracts, then pytest against a real
# Elasticsearch node. Uses $ELASTICSEARCH_URL when set; otherwise starts the managed node
# (and stops it afterwards if this script started it). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

echo "== ruff"; ruff check . && ruff format --check .
echo "== import contracts"; lint-imports

es_json() { corresp es status --json 2>/dev/null; }
field() { python -c "import json, sys; print(json.load(sys.stdin).get('$1') or '')"; }
if [ -z "${ELASTICSEARCH_URL:-}" ]; then
  if ! es_json >/dev/null; then
    echo "== starting the managed Elasticsearch node"
    corresp es up >/dev/null
    trap 'corresp es down >/dev/null 2>&1 || true' EXIT
  fi
  ELASTICSEARCH_URL=$(es_json | field url)
  export ELASTICSEARCH_URL
fi
if [ -z "${ES_DISTRIBUTION_CACHE:-}" ]; then
  ES_DISTRIBUTION_CACHE=$(es_json | field distribution_cache || true)
  export ES_DISTRIBUTION_CACHE
fi

echo "== pytest (Elasticsearch at $ELASTICSEARCH_URL)"
pytest "$@"
