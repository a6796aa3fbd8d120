"""A node of a three-node cluster SIGKILLed under search and write load (the reliability row).

Runs ``tests/es/node_loss.py`` ``--trials`` times: three managed nodes on loopback, one
replica per index, a steady search loop through the API, the node holding the letters
primary killed while the other half of the samples is written, then started again. Passes
when no search failed (a 503 that succeeded on retry is counted, not failed), writes went
on, the cluster came back to green and no letter was lost or duplicated.

    .venv/bin/python -m bench.node_loss_bench [--trials 1] [--json]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.cases import Case, print_cases
from tests.es.node_loss import NodeLossResult, run_node_loss
from tests.fake_edgar import locate_samples


def node_loss_case(result: NodeLossResult) -> Case:
    """The case of one node-loss run, with its figures."""
    passed = (
        not result.failed
        and result.searches["during"] > 0
        and result.letters_during > 0
        and result.health_after == "green"
        and result.lost == 0
        and result.duplicated == 0
        and result.comments_indexed == result.comments_expected
    )
    p95 = result.p95_ms("during")
    return Case(
        area="elasticsearch",
        name="one of 3 nodes SIGKILLed under searches and writes",
        passed=passed,
        figures=(
            f"killed {result.killed}{' (master)' if result.killed_was_master else ''}; "
            f"searches {result.searches['before']}/{result.searches['during']}/"
            f"{result.searches['after']} before/during/after, {len(result.failed)} failed, "
            f"{result.retried} retried 503, p95 during {p95:.0f} ms; "
            f"{result.letters_during} letters written in {result.write_seconds_during:.1f} s "
            f"while it was down; rejoined {result.seconds_to_rejoin:.1f} s and green "
            f"{result.seconds_to_green:.1f} s after restart; {result.letters_indexed} letters, "
            f"{result.lost} lost, {result.duplicated} duplicated"
            if p95 is not None
            else f"no search during the loss; failed: {result.failed[:3]}"
        ),
        data={
            "killed": result.killed,
            "killed_was_master": result.killed_was_master,
            "searches": dict(result.searches),
            "failed": result.failed,
            "retried": result.retried,
            "p95_ms_during": p95,
            "letters_written_during": result.letters_during,
            "write_seconds_during": result.write_seconds_during,
            "seconds_to_rejoin": result.seconds_to_rejoin,
            "seconds_to_green": result.seconds_to_green,
            "letters_indexed": result.letters_indexed,
            "lost": result.lost,
            "duplicated": result.duplicated,
        },
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="Print the cases as JSON.")
    args = parser.parse_args()
    cases = []
    for _ in range(args.trials):
        with tempfile.TemporaryDirectory(prefix="corresp-node-loss-") as folder:
            result = run_node_loss(locate_samples(None), Path(folder) / "data")
        cases.append(node_loss_case(result))
    return print_cases(cases, as_json=args.json)


if __name__ == "__main__":
    raise SystemExit(main())
