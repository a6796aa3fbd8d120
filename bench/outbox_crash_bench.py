"""Outbox crash trials, the long run: SIGKILL ``corresp import`` during ingest and delivery.

Runs ``tests/es/outbox_crash.py`` (the CI test does 8 kills): a reference import, then
``--kills`` imports of a watched company each killed with SIGKILL in turn while its letters
are indexed, while the receiver holds a webhook POST unanswered, right after the receiver
answered (before the outcome is recorded), and at a random time; each is recovered by the
same import and ``corresp alerts send``. Passes when every alert of the reference run exists,
is delivered, reached the receiver at least once, and arrived more than once only under its
own ``X-Corresp-Delivery`` id.

    .venv/bin/python -m bench.outbox_crash_bench [--kills 24] [--seed N] [--json]
"""

from __future__ import annotations

import argparse

from elasticsearch import Elasticsearch

from bench.cases import Case, print_cases
from bench.scratch import scratch_run
from tests.es.outbox_crash import PHASES, OutboxCrashResult, run_outbox_trials

_MOMENTS = {
    "ingest": "while the letters are indexed",
    "post": "while the receiver holds the POST",
    "answer": "after the answer, before it is recorded",
    "random": "at a random moment",
}


def outbox_cases(result: OutboxCrashResult) -> list[Case]:
    cases = [
        Case(
            area="alerts",
            name=f"SIGKILL {_MOMENTS[phase]}",
            passed=result.kills[phase] > 0 and result.passed,
            figures=f"{result.kills[phase]} kills at that moment "
            f"({result.kills[f'missed:{phase}']} runs where it never came)",
            data={"kills": result.kills[phase]},
        )
        for phase in PHASES
    ]
    per_alert = dict(sorted(result.deliveries_per_alert.items()))
    cases.append(
        Case(
            area="alerts",
            name=f"{result.trials} kills: every alert delivered at least once, repeats by id",
            passed=result.passed,
            figures=(
                f"{result.alerts} alerts per trial, {result.posts} POSTs; deliveries per "
                f"alert {per_alert} ({result.duplicated} repeats, each under its own delivery "
                f"id); {len(result.problems)} problems; {result.seconds} s"
            ),
            data={
                "trials": result.trials,
                "alerts": result.alerts,
                "posts": result.posts,
                "deliveries_per_alert": per_alert,
                "problems": result.problems[:20],
            },
        )
    )
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=24)
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--json", action="store_true", help="Print the cases as JSON.")
    args = parser.parse_args()
    with scratch_run("outbox") as run:
        es = Elasticsearch(run.es_url)
        try:
            result = run_outbox_trials(
                es=es,
                es_url=run.es_url,
                samples_dir=run.samples_dir,
                work=run.work_dir,
                kills=args.kills,
                seed=args.seed,
            )
        finally:
            es.close()
    return print_cases(outbox_cases(result), as_json=args.json)


if __name__ == "__main__":
    raise SystemExit(main())
