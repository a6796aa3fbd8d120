#!/usr/bin/env bash
# The main job: crawl, index and serve SEC comment letters.
#
# Where sec.gov is reachable and edgar.user_agent is set, `corresp run` crawls live EDGAR
# (the daily indexes of the last crawler.first_crawl_days days to begin with, then on the
# schedule of config.yaml) and serves the REST API.
# Where it is not (as on this project's own machines), it says so and runs on the real
# sample letters instead: they are served over loopback in EDGAR's layout by the project's
# fake EDGAR, crawled through the same crawler into a separate demo data directory, indexed
# and served; the scheduler keeps polling the loopback EDGAR. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

corresp es up
user_agent=$(corresp config show --json | python -c "import json, sys; print(json.load(sys.stdin)['edgar']['user_agent'])")
if [ -n "$user_agent" ] && curl -sS -o /dev/null --max-time 8 -A "$user_agent" https://www.sec.gov/robots.txt 2>/dev/null; then
  echo "sec.gov is reachable: crawling live EDGAR as \"$user_agent\""
  exec corresp run
fi
if [ -z "$user_agent" ]; then
  echo "edgar.user_agent is not set (SEC requires your name and e-mail), so live EDGAR is not crawled."
else
  echo "sec.gov is not reachable from this machine, so live EDGAR is not crawled."
fi
samples="${EDGAR_SAMPLES:-$PWD/../shared/edgar-samples}"
[ -f "$samples/MANIFEST.tsv" ] || { echo "error: no EDGAR samples at $samples (set EDGAR_SAMPLES)" >&2; exit 1; }
echo "Running on the real sample letters in $samples instead, served over loopback in EDGAR's layout."

node_url=$(corresp es status --json | python -c "import json, sys; print(json.load(sys.stdin)['url'])")
port=$(python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
python -m tests.fake_edgar --port "$port" --samples "$samples" --list-samples > data/demo-edgar.log 2>&1 &
edgar_pid=$!
trap 'kill "$edgar_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done

export CORRESP__STORAGE__DATA_DIR="$PWD/data/demo"
export CORRESP__ELASTICSEARCH__URL="$node_url"
export CORRESP__ELASTICSEARCH__INDEX_PREFIX="demo-"
export CORRESP__EDGAR__USER_AGENT="${user_agent:-corresp offline demo demo@example.org}"
export CORRESP__EDGAR__MAX_REQUESTS_PER_SECOND=10
for host in WWW DATA EFTS; do export "CORRESP__EDGAR__BASE_URLS__$host=http://127.0.0.1:$port"; done
export CORRESP__CRAWLER__START_DATE=2016-01-01
export CORRESP__CRAWLER__SCHEDULE__CURRENT_FEED=""

corresp backfill --from 2016-01-01 --to 2025-12-31
corresp run
