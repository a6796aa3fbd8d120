"""Elasticsearch away for a minute in the middle of a crawl (the long run of the outage test).

Runs ``tests/es/outage.py``: the crawl daemon and the API reach the node through a relay
that is cut for ``--seconds`` once downloading starts. Passes when fetching went on, the
API answered only JSON 503s during the outage and 200s after, the backlog was indexed by the
daemon's own retries, and no filing was lost or downloaded twice.

    .venv/bin/python -m bench.outage_bench [--seconds 60] [--filings 60] [--json]
"""

from __future__ import annotations

import argparse

from bench.cases import Case, print_cases
from bench.scratch import scratch_run
from tests.es.outage import OutageResult, run_outage


def outage_case(result: OutageResult) -> Case:
    """The case of one outage run, with its figures."""
    passed = (
        result.daemon_exit == 0
        and result.fetched_during_outage > 0
        and set(result.api_statuses_during) == {503}
        and result.api_error_bodies_ok
        and result.seconds_to_catch_up is not None
        and result.lost == 0
        and result.stored == result.filings
        and result.duplicated_downloads == 0
        and not result.store_problems
    )
    during = ", ".join(f"{s}x{n}" for s, n in sorted(result.api_statuses_during.items()))
    return Case(
        area="elasticsearch",
        name=f"node away {result.outage_seconds:.0f} s during a crawl",
        passed=passed,
        figures=(
            f"{result.fetched_during_outage} fetched during outage; API during: {during}; "
            f"caught up {result.seconds_to_catch_up} s after return; "
            f"{result.indexed}/{result.filings} indexed, {result.lost} lost, "
            f"{result.duplicated_downloads} downloaded twice"
        ),
        data={
            "outage_seconds": result.outage_seconds,
            "filings": result.filings,
            "fetched_during_outage": result.fetched_during_outage,
            "downloads_during_outage": result.downloads_during_outage,
            "api_statuses_during": dict(result.api_statuses_during),
            "api_statuses_after": dict(result.api_statuses_after),
            "seconds_to_catch_up": result.seconds_to_catch_up,
            "indexed": result.indexed,
            "lost": result.lost,
            "duplicated_downloads": result.duplicated_downloads,
        },
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="Outage length.")
    parser.add_argument("--filings", type=int, default=60)
    parser.add_argument("--json", action="store_true", help="Print the cases as JSON.")
    args = parser.parse_args()
    with scratch_run("outage") as run:
        result = run_outage(
            es_url=run.es_url,
            prefix=run.prefix,
            samples_dir=run.samples_dir,
            work_dir=run.work_dir,
            filings=args.filings,
            outage_seconds=args.seconds,
        )
    return print_cases([outage_case(result)], as_json=args.json)


if __name__ == "__main__":
    raise SystemExit(main())
