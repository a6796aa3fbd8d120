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
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports

# Re-pin every dependency to the newest version allowed by pyproject.toml.
lock:
	rm -rf .venv-lock && python3 -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --upgrade pip && .venv-lock/bin/pip install --quiet '.[dev]'
	.venv-lock/bin/pip freeze --exclude corresp | sed '1i # Pinned versions for a reproducible install: `make lock` regenerates.' > constraints.txt
	rm -rf .venv-lock

clean:
	-.venv/bin/corresp es down
	rm -rf .venv .pytest_cache .ruff_cache
