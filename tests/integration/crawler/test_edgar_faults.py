"""EDGAR misbehaving: the fault matrix, one case per misbehaviour, each a real crawl.

Each case runs ``corresp crawl`` in a subprocess (twice where the fault outlasts a pass, as
`fault_matrix.SCENARIOS` says) against a fake EDGAR breaking a share of its answers, then
judges the run independently of the crawler (`fault_runs.check`): the fake's request log and
block windows, the ledger file and the raw store. Nothing lost, nothing stored twice, every
permanent failure recorded with a reason naming it, no request during a block, no busy loop,
a clean exit.

The cases mostly wait (cool-downs, back-off, stalls), so a module fixture runs them a few at
a time in the background and each test collects its own; the matrix takes about a third of
its sequential time.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.integration.crawler.fault_matrix import SCENARIOS, Scenario
from tests.integration.crawler.fault_runs import Observation, check, run_scenario

pytestmark = [pytest.mark.samples, pytest.mark.slow]

PARALLEL = 3
"""Scenarios in flight at once (each is a fake EDGAR and one crawler process at a time)."""


@pytest.fixture(scope="module")
def matrix(
    request: pytest.FixtureRequest, samples_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Future[Observation]]]:
    """Start every scenario selected in this session; each test waits for its own."""
    selected = _selected(request)
    pool = ThreadPoolExecutor(max_workers=PARALLEL, thread_name_prefix="fault-matrix")
    futures = {
        scenario.name: pool.submit(
            run_scenario, scenario, samples_dir, tmp_path_factory.mktemp("faults")
        )
        for scenario in selected
    }
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


def _selected(request: pytest.FixtureRequest) -> list[Scenario]:
    chosen = []
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if item.module is request.module and callspec is not None:
            scenario = callspec.params.get("scenario")
            if isinstance(scenario, Scenario) and scenario not in chosen:
                chosen.append(scenario)
    # Longest first, so the last ones to finish are short.
    return sorted(chosen, key=lambda s: (s.passes, "block" in s.name), reverse=True)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_edgar_misbehaving(
    scenario: Scenario, matrix: dict[str, Future[Observation]], report_figures
) -> None:
    observation = matrix[scenario.name].result()
    verdict = check(observation)
    figures = verdict.figures
    report_figures(f"edgar faults {scenario.name:16} {_line(figures)}")

    assert verdict.passed, "\n".join(
        [f"{scenario.name} ({scenario.fault}):", *verdict.failures[:20], _line(figures)]
    )
    assert figures["faults"] > 0, "the fault was never applied: the case tests nothing"
    assert figures["lost"] == figures["duplicated"] == figures["during_block"] == 0
    if scenario.passes > 1 and not observation.arena.permanent:
        # The fault really outlasted the first pass: it left filings for the second.
        first = observation.passes[0]
        assert first.stored_after < figures["listed"], scenario.second_pass
    if "block" in scenario.name:
        assert figures["blocks"] >= 1


def _line(figures: dict[str, float]) -> str:
    return ", ".join(f"{key} {value:g}" for key, value in figures.items())
