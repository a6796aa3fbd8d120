"""Crash trials, the long run: SIGKILL the crawler many times at chosen moments.

Runs ``tests/es/crash.py`` (the CI test does 20 kills): a reference crawl, then ``--kills``
limited crawls each killed with SIGKILL in turn during an index download, in the middle of
a filing's body, between storing a filing and recording it in the ledger, during a bulk
request to Elasticsearch, and at a random time; then one run to completion. Passes when the
final raw store, ledger and indices equal the reference run's.

    .venv/bin/python -m bench.crash_bench [--kills 40] [--filings 200] [--seed N] [--json]
"""

from __future__ import annotations

import argparse

from bench.cases import Case, print_cases
from bench.scratch import scratch_run
from tests.es.crash import PHASES, CrashResult, run_crash_trials

_MOMENTS = {
    "index": "during an index download",
    "body": "mid-body of a filing",
    "ledger": "between store and ledger write",
    "bulk": "during a bulk request to Elasticsearch",
    "random": "at a random moment",
}


def crash_cases(result: CrashResult) -> list[Case]:
    """One case per kind of moment, and the final comparison with the reference run."""
    cases = []
    for phase in PHASES:
        hit, missed = result.kills[phase], result.kills[f"missed:{phase}"]
        cases.append(
            Case(
                area="crash",
                name=f"SIGKILL {_MOMENTS[phase]}",
                passed=hit > 0 and result.passed,
                figures=f"{hit} kills at that moment ({missed} runs where it never came)",
                data={"kills": hit, "missed": missed},
            )
        )
    differences = len(result.differences) + len(result.store_problems)
    cases.append(
        Case(
            area="crash",
            name=f"{result.total_kills} kills, then equal to an uninterrupted run",
            passed=result.passed,
            figures=(
                f"{result.stored}/{result.filings} stored, indexed {result.indexed}; "
                f"{differences} differences from the reference, "
                f"{result.temporaries_left} temporary files left, "
                f"{result.downloads} downloads for {result.filings} filings; {result.seconds} s"
            ),
            data={
                "kills": result.total_kills,
                "filings": result.filings,
                "stored": result.stored,
                "indexed": result.indexed,
                "differences": result.differences[:20],
                "downloads": result.downloads,
                "seconds": result.seconds,
            },
        )
    )
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--filings", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--json", action="store_true", help="Print the cases as JSON.")
    args = parser.parse_args()
    with scratch_run("crash") as run:
        result = run_crash_trials(
            es_url=run.es_url,
            prefix=run.prefix,
            samples_dir=run.samples_dir,
            work_dir=run.work_dir,
            kills=args.kills,
            filings=args.filings,
            seed=args.seed,
        )
    return print_cases(crash_cases(result), as_json=args.json)


if __name__ == "__main__":
    raise SystemExit(main())
