"""A real ``corresp backfill`` over the samples raises no flood of alerts.

The fake EDGAR lists the sample letters in its quarterly indexes and serves their full
submissions; ``corresp backfill`` of 2022 (46 letters, Las Vegas Sands' nine among them)
indexes them with two watchlists on the company in ``config.yaml``: one with no ``since``
(created today: old letters are history, no alert) and one whose ``since`` reaches back to
2022-07-01 (an alert for each of the company's letters released from that day).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from elasticsearch import Elasticsearch

from indexer.cli.main import cli
from tests.fake_edgar import FakeEdgar, FakeEdgarConfig

pytestmark = pytest.mark.samples

LVS = "1300514"


def test_backfill_alerts_only_where_since_reaches_back(
    es: Elasticsearch, es_url: str, es_prefix: str, samples_dir: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "watchlists:\n"
        f"  - {{id: today, name: From today, ciks: ['{LVS}']}}\n"
        f"  - {{id: history, name: Since July 2022, ciks: ['{LVS}'], since: 2022-07-01}}\n"
    )
    with FakeEdgar(samples_dir, FakeEdgarConfig(list_samples=True, full_submissions=True)) as edgar:
        env = {
            "CORRESP_CONFIG": str(config),
            "CORRESP__EDGAR__USER_AGENT": "Corresp Tests tests@example.org",
            "CORRESP__EDGAR__BASE_URLS__WWW": edgar.base_url,
            "CORRESP__EDGAR__BASE_URLS__DATA": edgar.base_url,
            "CORRESP__EDGAR__BASE_URLS__EFTS": edgar.base_url,
            "CORRESP__EDGAR__MAX_REQUESTS_PER_SECOND": "9",
            "CORRESP__STORAGE__DATA_DIR": str(tmp_path / "data"),
            "CORRESP__ELASTICSEARCH__URL": es_url,
            "CORRESP__ELASTICSEARCH__INDEX_PREFIX": es_prefix,
        }
        result = CliRunner().invoke(
            cli,
            ["backfill", "--from", "2022-01-01", "--to", "2022-12-31", "--json"],
            env=env,
            catch_exceptions=False,
        )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["fetched"], summary["indexed"], summary["failed"]) == (46, 46, 0)

    es.indices.refresh(index=f"{es_prefix}alerts")
    hits = es.search(index=f"{es_prefix}alerts", size=100, query={"match_all": {}})["hits"]
    alerts = [hit["_source"] for hit in hits["hits"]]
    assert [a for a in alerts if a["watchlist_id"] == "today"] == []
    history = sorted(a["released_on"] for a in alerts if a["watchlist_id"] == "history")
    assert history == [
        "2022-07-06",
        "2022-07-22",
        "2022-08-19",
        "2022-09-09",
        "2022-10-04",
        "2022-11-18",
    ]
    assert summary["alerts"] == len(history)
