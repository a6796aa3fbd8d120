#!/usr/bin/env bash
# The whole test suite: lint, formatting, types, architecture contracts, then pytest against a real
# Elasticsearch node. Uses $ELASTICSEARCH_URL when set; otherwise starts the managed node
# (and stops it afterwards if this script started it). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

echo "== ruff"; ruff check . && ruff format --check .
echo "== types (mypy --strict)"; mypy
echo "== import contracts"; lint-imports

# shellcheck source=scripts/es-env.sh
. scripts/es-env.sh

echo "== pytest (Elasticsearch at $ELASTICSEARCH_URL)"
pytest "$@"
