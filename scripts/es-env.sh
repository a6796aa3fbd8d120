# Sourced by test.sh and reliability.sh: export ELASTICSEARCH_URL (and ES_DISTRIBUTION_CACHE),
# starting the managed node if none is named and none is running (stopped again on exit).
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
