"""A letter the fake EDGAR publishes on its current-filings feed reaches a watchlist within the
measured time: searchable, exactly one signed POST per alert, in the Atom feed and on
``/watch/{id}`` (``tests/es/freshness.py``; the p95 over many publications is
``bench/freshness_bench.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from tests.conftest import remove_prefix
from tests.es.freshness import run_freshness_trials

pytestmark = pytest.mark.samples

LIMIT_SECONDS = 90.0
"""The issue's target for the p95 with the default schedule; one trial must meet it."""


def test_published_letter_is_searchable_and_posted_once_within_the_limit(
    es: Elasticsearch,
    es_url: str,
    es_prefix: str,
    samples_dir: Path,
    tmp_path: Path,
    report_figures: Any,
) -> None:
    try:
        result = run_freshness_trials(
            es_url=es_url,
            samples_dir=samples_dir,
            work=tmp_path,
            trials=2,
            seed=3,
            timeout=150,
            prefix=f"{es_prefix}fresh-",
        )
    finally:
        remove_prefix(es, f"{es_prefix}fresh-")
    report_figures(
        "freshness: "
        + ", ".join(
            f"{t.accession} searchable {t.searchable} s, POST {t.webhook} s" for t in result.trials
        )
        + f"; {result.feed_requests} feed requests ({result.feed_not_modified} answered 304)"
    )
    assert result.problems == []
    assert len(result.trials) == 2
    assert result.alerts >= 2 and result.posts >= 1
    for trial in result.trials:
        assert trial.searchable is not None and trial.searchable <= LIMIT_SECONDS, trial
        assert trial.webhook is not None and trial.webhook <= LIMIT_SECONDS, trial
    assert result.feed_not_modified > 0  # the poll between publications was conditional
