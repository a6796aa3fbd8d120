#!/usr/bin/env bash
# The reliability and security suite: the CI part (pytest) and the long runs in bench/, one
# table of every case with its figures, saved to bench/reliability-report.md. Uses
# $ELASTICSEARCH_URL when set; otherwise the managed node (started and stopped if needed).
# Extra arguments go to bench/reliability.py (e.g. --quick for the CI part only).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
# shellcheck source=scripts/es-env.sh
. scripts/es-env.sh
python -m bench.reliability --write bench/reliability-report.md "$@"
