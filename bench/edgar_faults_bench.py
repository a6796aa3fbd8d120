"""EDGAR fault bench: the fault matrix of the test suite, with more filings and repeated trials.

Every scenario of ``tests/integration/crawler/fault_matrix.py`` (block pages, 429 with
Retry-After, 5xx bursts, resets and stalls mid-body, truncated bodies and submissions, wrong
Content-Length both ways, corrupt gzip, indexes rebuilt or published late, permanent faults)
runs ``--trials`` times against a fresh fake EDGAR listing ``--filings`` synthetic filings,
each trial breaking a different random share of them, and is judged by the same independent
checker as the tests (``fault_runs.check``). One case per scenario, area "edgar":

    faults injected, requests, filings listed / stored / recorded failed / lost / duplicated,
    requests during a block window, the peak number of requests in any one second, passes.

A case passes when every trial did: nothing lost or stored twice, permanent faults recorded
with their reason, no request during a block, no busy loop, clean exits.

    .venv/bin/python -m bench.edgar_faults_bench [--filings 60] [--trials 3] [--parallel 2]
        [--only NAME ...] [--json]
"""

from __future__ import annotations

import argparse
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.cases import Case, print_cases
from tests.fake_edgar import locate_samples
from tests.integration.crawler.fault_matrix import SCENARIOS, Scenario
from tests.integration.crawler.fault_runs import Verdict, check, run_scenario

_SUMMED = ("faults", "requests", "listed", "stored", "failed", "lost", "duplicated")
_SUMMED += ("during_block", "in_flight", "blocks", "seconds")
_MAXED = ("peak_per_second", "max_per_path", "passes")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filings", type=int, default=60, help="filings listed per trial")
    parser.add_argument("--trials", type=int, default=3, help="trials per scenario")
    parser.add_argument("--parallel", type=int, default=2, help="trials running at once")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these scenarios")
    parser.add_argument("--json", action="store_true", help="print the cases as JSON")
    args = parser.parse_args()
    known = {scenario.name: scenario for scenario in SCENARIOS}
    unknown = sorted(set(args.only or ()) - set(known))
    if unknown:
        parser.error(f"unknown scenario(s) {unknown}; known: {sorted(known)}")
    chosen = [known[name] for name in args.only] if args.only else list(SCENARIOS)
    samples = locate_samples(None)
    runs = [(scenario, trial) for scenario in chosen for trial in range(args.trials)]

    def trial(run: tuple[Scenario, int]) -> Verdict:
        scenario, seed = run
        with tempfile.TemporaryDirectory(prefix="corresp-faults-") as data_dir:
            observation = run_scenario(
                scenario, samples, Path(data_dir), filings=args.filings, seed=seed
            )
            return check(observation)

    with ThreadPoolExecutor(max_workers=args.parallel) as pool:
        verdicts = list(pool.map(trial, runs))
    cases = [
        _case(scenario, [v for (s, _), v in zip(runs, verdicts, strict=True) if s is scenario])
        for scenario in chosen
    ]
    return print_cases(cases, as_json=args.json)


def _case(scenario: Scenario, verdicts: list[Verdict]) -> Case:
    totals = {key: sum(v.figures.get(key, 0) for v in verdicts) for key in _SUMMED}
    totals |= {key: max(v.figures.get(key, 0) for v in verdicts) for key in _MAXED}
    totals["seconds"] = round(totals["seconds"], 1)
    failures = [failure for v in verdicts for failure in v.failures]
    figures = (
        f"{totals['faults']:g} faults, {totals['requests']:g} requests; filings "
        f"{totals['listed']:g} listed / {totals['stored']:g} stored / {totals['failed']:g} "
        f"recorded failed / {totals['lost']:g} lost / {totals['duplicated']:g} duplicated; "
        f"{totals['during_block']:g} requests during {totals['blocks']:g} block(s); "
        f"max {totals['peak_per_second']:g} req/s; {totals['passes']:g} pass(es); "
        f"{totals['seconds']:g} s"
    )
    if failures:
        figures += f"; FAILURES: {failures[0]}" + (
            f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""
        )
    name = f"{scenario.name}, {len(verdicts)} trials"
    data = {**totals, "fault": scenario.fault, "trials": len(verdicts), "failures": failures[:20]}
    return Case("edgar", name, passed=not failures, figures=figures, data=data)


if __name__ == "__main__":
    raise SystemExit(main())
