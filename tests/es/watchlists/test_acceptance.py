"""The whole path: a watchlist, then ``corresp import`` of a new filing of its company.

Within that one ingest the alert is in the watchlist's Atom feed and the webhook receiver
got exactly one signed POST. The ticker map comes from the crawler's own refresh step (from
the fake EDGAR, in process). ``corresp reindex`` afterwards rebuilds the letters but leaves
watchlists and alerts alone and alerts nobody; importing the same filing again does nothing.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.watch_feed import ATOM_NS
from crawler.client import MockTransport, make_client
from crawler.ticker_map import refresh_ticker_map
from indexer.cli.main import cli
from indexer.settings import EdgarConfig
from indexer.watchlists.webhooks import verify_signature
from tests.es.watchlists.conftest import SECRET, Receiver, WatchEnv
from tests.fake_edgar import EdgarApp, mock

pytestmark = pytest.mark.samples

A = f"{{{ATOM_NS}}}"
APPLE_UPLOAD = "0000000000-24-003505"


def _corresp(env: WatchEnv, *args: str) -> dict:
    environment = {
        "CORRESP__ELASTICSEARCH__URL": env.settings.elasticsearch.effective_url(),
        "CORRESP__ELASTICSEARCH__INDEX_PREFIX": env.prefix,
        "CORRESP__STORAGE__DATA_DIR": str(env.data_dir),
        "CORRESP__WEBHOOKS__BACKOFF_SECONDS": "0.05",
        "CORRESP__WEBHOOKS__ALLOW_PRIVATE_NETWORKS": "true",  # the receiver is on loopback
    }
    result = CliRunner().invoke(cli, [*args, "--json"], env=environment)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_import_of_a_watched_companys_filing_alerts_in_that_ingest(
    watch_env: Callable[..., WatchEnv], receiver: Receiver, samples_dir: Path
) -> None:
    env = watch_env()
    edgar = EdgarApp(samples_dir)
    transport = MockTransport(mock.handler(edgar))
    with make_client(EdgarConfig(user_agent="Tests t@example.com"), transport=transport) as client:
        assert refresh_ticker_map(client, env.data_dir).outcome == "downloaded"
    watchlist = env.create(
        id="apple",
        name="Apple",
        tickers=["AAPL"],
        webhook_url=receiver.url,
        webhook_secret=SECRET,
    )
    assert watchlist["resolved_tickers"] == {"AAPL": "0000320193"}

    summary = _corresp(env, "import", str(samples_dir / "submissions" / f"{APPLE_UPLOAD}.txt"))
    assert (summary["stored"], summary["indexed"]) == (1, 1)
    sent = ("alerts", "webhooks_queued", "webhooks_delivered", "webhooks_parked")
    assert tuple(summary[key] for key in sent) == (1, 1, 1, 0)  # queued, then sent by the outbox

    feed = ET.fromstring(env.client.get("/watchlists/apple/feed.atom").content)
    (entry,) = feed.findall(f"{A}entry")
    links = {link.get("rel"): link.get("href") for link in entry.findall(f"{A}link")}
    assert links["alternate"] == f"http://testserver/letter/{APPLE_UPLOAD}"
    assert "ticker:AAPL" in entry.findtext(f"{A}summary")

    (post,) = receiver.posts
    assert verify_signature(SECRET, post["body"], post["headers"]["X-Corresp-Signature"])
    payload = json.loads(post["body"])
    assert [(a["accession"], a["matched_by"]) for a in payload["alerts"]] == [
        (APPLE_UPLOAD, "ticker:AAPL")
    ]
    delivery = env.alerts("apple")["alerts"][0]["delivery"]
    assert delivery["status"] == "delivered"
    assert delivery["delivery_id"] == post["headers"]["X-Corresp-Delivery"]

    reindexed = _corresp(env, "reindex")
    assert reindexed["ingested"] == 1
    assert (reindexed["alerts"], reindexed["error"]) == (0, None)
    assert env.client.get("/watchlists/apple").json()["alerts"]["total"] == 1
    assert env.client.get("/letters/" + APPLE_UPLOAD).status_code == 200

    again = _corresp(env, "import", str(samples_dir / "submissions" / f"{APPLE_UPLOAD}.txt"))
    assert (again["already_stored"], again["alerts"]) == (1, 0)
    assert len(receiver.posts) == 1
