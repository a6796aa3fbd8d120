"""The whole pipeline over loopback: fake EDGAR -> crawl -> raw store -> index; and outages."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from elasticsearch import Elasticsearch

from indexer.cli.main import cli
from tests.fake_edgar import FakeEdgar
from tests.integration.crawler.conftest import crawler_env

pytestmark = pytest.mark.samples


def test_crawl_ends_searchable_and_an_outage_is_caught_up(
    es: Elasticsearch, es_url: str, es_prefix: str, samples_dir: Path, tmp_path: Path
) -> None:
    with FakeEdgar(samples_dir) as edgar:
        filings = edgar.synthetic_filings(6, date(2023, 1, 9), date(2023, 1, 10))
        down = crawler_env(edgar, tmp_path, ELASTICSEARCH__INDEX_PREFIX=es_prefix)
        first = CliRunner().invoke(
            cli, ["crawl", "--since", "2023-01-09", "--until", "2023-01-09", "--json"], env=down
        )
        summary = json.loads(first.stdout)
        assert summary["fetched"] > 0
        assert summary["indexed"] == 0
        assert summary["awaiting_index"] == summary["fetched"]
        assert "unreachable" in summary["index_error"]

        up = down | {"CORRESP__ELASTICSEARCH__URL": es_url}
        requests_before = len(edgar.requests)
        second = CliRunner().invoke(
            cli, ["crawl", "--since", "2023-01-10", "--until", "2023-01-10", "--json"], env=up
        )
        summary = json.loads(second.stdout)
    assert summary["indexed"] == len(filings)  # the backlog and the new filings
    assert summary["awaiting_index"] == 0
    # The backlog was indexed from the raw store: no filing was downloaded twice.
    refetched = [r for r in edgar.requests[requests_before:] if r.path.endswith(".txt")]
    assert len(refetched) == summary["fetched"]
    assert es.count(index=f"{es_prefix}letters")["count"] == len(filings)
    hits = es.search(index=f"{es_prefix}letters", size=20)["hits"]["hits"]
    assert all(hit["_source"]["thread_id"] for hit in hits)
    assert {hit["_source"]["released_on"] for hit in hits} <= {"2023-01-09", "2023-01-10"}
