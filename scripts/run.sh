#!/usr/bin/env bash
# The main job: crawl, index and serve SEC comment letters.
#
# Where sec.gov is reachable and edgar.user_agent is set, `corresp run` crawls live EDGAR
# (the daily indexes of the last crawler.first_crawl_days days to begin with, then on the
# schedule of config.yaml) and serves the REST API; it starts the managed Elasticsearch node
# and stops it again on Ctrl-C.
# Where it is not (as on this project's own machines), it says so and runs on the real
# sample letters instead: they are served over loopback in EDGAR's layout by the project's
# fake EDGAR (one full submission per filing, as EDGAR serves them), crawled through the same
# crawler into a separate demo data folder (data/demo), indexed and served; the scheduler
# keeps polling the loopback EDGAR.
# Ctrl-C stops everything this script started: the API, the scheduler, the demo EDGAR and the
# managed node (a node that was already running before stays running).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
edgar_wait_seconds=${DEMO_EDGAR_WAIT_SECONDS:-30}

json_field() { python -c "import json, sys; print(json.load(sys.stdin).get('$1') or '')"; }

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

demo_dir="$PWD/data/demo"
mkdir -p "$demo_dir"
edgar_log="$demo_dir/edgar.log"
edgar_pid=""
node_started=""
stop_all() {
  status=$?
  trap - EXIT INT TERM
  if [ -n "$edgar_pid" ]; then
    kill "$edgar_pid" 2>/dev/null || true
    wait "$edgar_pid" 2>/dev/null || true
  fi
  if [ -n "$node_started" ]; then
    corresp es down || true
  fi
  exit "$status"
}
trap stop_all EXIT
# Ctrl-C reaches every process of the group; the foreground command stops cleanly, then this
# script ends too, and stop_all stops the rest.
trap 'exit 130' INT
trap 'exit 143' TERM

port=$(python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
python -m tests.fake_edgar --port "$port" --samples "$samples" --list-samples --full-submissions \
  > "$edgar_log" 2>&1 &
edgar_pid=$!
answered=""
for _ in $(seq 1 $((edgar_wait_seconds * 5))); do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then answered=1; break; fi
  kill -0 "$edgar_pid" 2>/dev/null || break
  sleep 0.2
done
if [ -z "$answered" ]; then
  echo "error: the demo EDGAR did not answer on 127.0.0.1:$port within ${edgar_wait_seconds} s; see $edgar_log:" >&2
  tail -n 5 "$edgar_log" >&2 || true
  exit 1
fi
echo "Demo EDGAR at http://127.0.0.1:$port (log: $edgar_log)"

if ! corresp es status >/dev/null 2>&1; then
  node_started=1
fi
corresp es up
node_url=$(corresp es status --json | json_field url)

# The demo's settings apply to the demo's commands only (stop_all manages the node as set up).
demo=(
  "CORRESP__STORAGE__DATA_DIR=$demo_dir"
  "CORRESP__ELASTICSEARCH__URL=$node_url"
  "CORRESP__ELASTICSEARCH__INDEX_PREFIX=demo-"
  "CORRESP__EDGAR__USER_AGENT=${user_agent:-corresp offline demo demo@example.org}"
  "CORRESP__EDGAR__MAX_REQUESTS_PER_SECOND=10"
  "CORRESP__CRAWLER__START_DATE=2016-01-01"
)
for host in WWW DATA EFTS; do demo+=("CORRESP__EDGAR__BASE_URLS__$host=http://127.0.0.1:$port"); done

env "${demo[@]}" corresp backfill --from 2016-01-01 --to 2025-12-31
env "${demo[@]}" corresp run
