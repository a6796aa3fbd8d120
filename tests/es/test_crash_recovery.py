"""Twenty SIGKILLs at chosen moments of crawl and indexing; the result equals a clean run.

The long run (more kills, more filings) is ``python -m bench.crash_bench``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.es.crash import PHASES, run_crash_trials

pytestmark = [pytest.mark.samples, pytest.mark.slow]


def test_twenty_kills_end_equal_to_an_uninterrupted_crawl(
    es_url: str, es_prefix: str, samples_dir: Path, tmp_path: Path
) -> None:
    result = run_crash_trials(
        es_url=es_url,
        prefix=es_prefix,
        samples_dir=samples_dir,
        work_dir=tmp_path,
        kills=20,
        filings=100,
    )
    assert result.total_kills == 20
    # Every kind of moment was actually hit, not just attempted.
    hit = {phase for phase in result.kills if not phase.startswith("missed:")}
    assert hit == set(PHASES), result.kills
    assert result.final_exit == 0
    assert result.differences == []
    assert result.store_problems == []
    assert result.temporaries_left == 0
    assert result.stored == 100
    assert result.indexed["letters"] == 100
