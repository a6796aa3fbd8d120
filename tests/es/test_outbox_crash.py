"""SIGKILL during ingest and webhook delivery: every alert delivered at least once, a repeat
only under its delivery id, none lost (``tests/es/outbox_crash.py``; the long run is
``bench/outbox_crash_bench.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from tests.es.outbox_crash import PHASES, run_outbox_trials

pytestmark = pytest.mark.samples


def test_killed_imports_lose_no_alert_and_repeat_only_by_delivery_id(
    es: Elasticsearch, es_url: str, samples_dir: Path, tmp_path: Path, report_figures: Any
) -> None:
    result = run_outbox_trials(
        es=es, es_url=es_url, samples_dir=samples_dir, work=tmp_path, kills=2 * len(PHASES)
    )
    report_figures(
        f"outbox crash trials: {result.trials} SIGKILLs {dict(result.kills)}, "
        f"{result.alerts} alerts each, {result.posts} POSTs, deliveries per alert "
        f"{dict(sorted(result.deliveries_per_alert.items()))}, {result.seconds} s"
    )
    assert result.problems == []
    assert result.trials == 2 * len(PHASES)
    assert result.alerts == 9
    for phase in ("post", "answer"):  # the moments that matter were really reached
        assert result.kills[phase] >= 1, result.kills
