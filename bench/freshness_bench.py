"""Freshness: seconds from a letter's publication on EDGAR to searchable and to the webhook POST.

Runs ``tests/es/freshness.py``: ``corresp schedule`` on the default feed cadence (a poll of
the current-filings feed every minute; the filing-hours window dropped so the bench runs at
any hour) against a fake EDGAR in this process, one watchlist posting to a receiver on
loopback. Each trial waits a random part of a minute, publishes one sample letter on the
feed and times the moment the API serves the letter and the moment its alert's POST
arrives. Prints p50 / p95 / max of both and the p95's ratio to the 90 s target; passes when
both p95 are within it, every trial ended, and every alert arrived in exactly one signed POST.

    .venv/bin/python -m bench.freshness_bench [--trials 20] [--seed N] [--json]
"""

from __future__ import annotations

import argparse

from bench.cases import Case, print_cases
from bench.scratch import scratch_run
from tests.es.freshness import FreshnessResult, run_freshness_trials

TARGET_SECONDS = 90.0


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} s"


def freshness_cases(result: FreshnessResult) -> list[Case]:
    cases = []
    for name, what in (("searchable", "searchable"), ("webhook", "webhook POST received")):
        p50, p95 = result.percentile(name, 0.5), result.percentile(name, 0.95)
        worst = result.percentile(name, 1.0)
        ratio = None if p95 is None else round(p95 / TARGET_SECONDS, 2)
        cases.append(
            Case(
                area="alerts",
                name=f"publication to {what}, {len(result.trials)} letters",
                passed=p95 is not None and p95 <= TARGET_SECONDS and not result.problems,
                figures=(
                    f"p50 {_figure(p50)}, p95 {_figure(p95)} ({ratio} of the "
                    f"{TARGET_SECONDS:.0f} s target), max {_figure(worst)}"
                ),
                data={"p50": p50, "p95": p95, "max": worst, "ratio": ratio},
            )
        )
    cases.append(
        Case(
            area="alerts",
            name="each alert in exactly one signed POST; Atom feed and /watch show it",
            passed=not result.problems and result.alerts >= len(result.trials),
            figures=(
                f"{result.alerts} alerts, {result.posts} POSTs; {result.feed_requests} feed "
                f"requests, {result.feed_not_modified} answered 304; "
                f"{len(result.problems)} problems; {result.seconds} s"
            ),
            data={
                "alerts": result.alerts,
                "posts": result.posts,
                "feed_requests": result.feed_requests,
                "feed_not_modified": result.feed_not_modified,
                "trials": [vars(trial) for trial in result.trials],
                "problems": result.problems[:20],
            },
        )
    )
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--json", action="store_true", help="Print the cases as JSON.")
    args = parser.parse_args()
    with scratch_run("freshness") as run:
        result = run_freshness_trials(
            es_url=run.es_url,
            samples_dir=run.samples_dir,
            work=run.work_dir,
            trials=args.trials,
            seed=args.seed,
            prefix=run.prefix,
        )
    return print_cases(freshness_cases(result), as_json=args.json)


if __name__ == "__main__":
    raise SystemExit(main())
