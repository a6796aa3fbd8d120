"""Elasticsearch away in the middle of a crawl: nothing lost, backlog indexed, API recovers.

The long version (a whole minute away) is ``python -m bench.outage_bench``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.es.outage import run_outage

pytestmark = [pytest.mark.samples, pytest.mark.slow]


def test_outage_during_a_crawl_is_caught_up_and_the_api_recovers(
    es_url: str, es_prefix: str, samples_dir: Path, tmp_path: Path
) -> None:
    result = run_outage(
        es_url=es_url,
        prefix=es_prefix,
        samples_dir=samples_dir,
        work_dir=tmp_path,
        filings=40,
        outage_seconds=12,
    )
    log = result.daemon_log
    assert result.daemon_exit == 0, log
    # Fetching went on while the node was away …
    assert result.downloads_during_outage > 0
    assert result.fetched_during_outage > 0
    # … the API said so with a JSON 503, never a 500 …
    assert set(result.api_statuses_during) == {503}, result.api_statuses_during
    assert result.api_error_bodies_ok
    # … the indexer tried again on its own and caught up once the node was back.
    assert "indexing again in" in log
    assert result.seconds_to_catch_up is not None, log[-3000:]
    assert result.api_statuses_after[200] > 0
    assert set(result.api_statuses_after) <= {200, 503}
    # Nothing lost, nothing downloaded twice, store and ledger agree.
    assert result.stored == result.indexed == result.filings
    assert result.duplicated_downloads == 0
    assert result.store_problems == []
    assert "Traceback" not in log
