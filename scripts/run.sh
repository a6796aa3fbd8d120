#!/usr/bin/env bash
# The main job: start what is needed and show it. (Crawling, indexing and serving join as the
# project grows; see README.)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
corresp es up
