# Two commands for a newcomer: `make run` (the main job) and `make test` (the whole suite).
.PHONY: install run test reliability lint lock clean

install:
	@scripts/bootstrap.sh

run: install
	@scripts/run.sh

test: install
	@scripts/test.sh

# The reliability and security suite with its long runs (about 25 minutes on 2 cores); prints the report.
reliability: install
	@scripts/reliability.sh

lint: install
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy && .venv/bin/lint-imports

# Re-pin every dependency to the newest version allowed by pyproject.toml.
lock:
	rm -rf .venv-lock && python3 -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --upgrade pip && .venv-lock/bin/pip install --quiet '.[dev]'
	.venv-lock/bin/pip freeze --exclude corresp | sed '1i # Pinned versions for a reproducible install: `make lock` regenerates.' > constraints.txt
	rm -rf .venv-lock

# Stop the managed node and remove what this checkout made: the node's files (indices, logs,
# config; wherever they live, see `corresp es status`), the demo's data, the virtual environment
# and caches. A real crawl's raw store and ledger (data/raw, data/crawl-state.sqlite3) stay:
# `corresp reindex` rebuilds the indices from them. The shared distribution cache stays too.
clean:
	-.venv/bin/corresp es down --purge
	rm -rf data/demo .venv .pytest_cache .ruff_cache .import_linter_cache test-output
