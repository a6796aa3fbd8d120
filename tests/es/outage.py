"""An Elasticsearch outage in the middle of a crawl, end to end, shared by test and bench.

The crawl daemon (``corresp schedule --now``) and the API (``corresp serve``) reach the real
node through a ``TcpRelay``. Once the daemon starts downloading, the relay is cut for
``outage_seconds`` (connections refused and reset, as with a stopped node), then restored.
The scenario records what an independent observer sees: downloads during the outage, the
API's answers during and after it, when the backlog was indexed, and the final counts.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
from elasticsearch import Elasticsearch

from tests.es.api.relay import TcpRelay
from tests.fake_edgar import FakeEdgar, FakeEdgarConfig
from tests.integration.crawler.conftest import crawler_env
from tests.integration.crawler.datadir import awaiting_index, fetched_count, read_data_dir
from tests.integration.crawler.fault_runs import eastern_today
from tests.ports import free_port

_DAYS = 4
"""The daemon's first crawl reads the last days (``crawler.first_crawl_days``): the filings
are released over the last ``_DAYS`` days before today."""


@dataclass
class OutageResult:
    filings: int
    outage_seconds: float
    downloads: Counter[str] = field(default_factory=Counter)
    """Requests per filing (.txt) over the whole run."""
    downloads_during_outage: int = 0
    fetched_during_outage: int = 0
    """Filings stored while the node was unreachable."""
    api_statuses_during: Counter[int] = field(default_factory=Counter)
    api_error_bodies_ok: bool = True
    """Every answer during the outage was the API's JSON error (ok false, status, error)."""
    api_statuses_after: Counter[int] = field(default_factory=Counter)
    seconds_to_catch_up: float | None = None
    """From the node's return to every filing searchable through the API."""
    indexed: int = 0
    stored: int = 0
    store_problems: list[str] = field(default_factory=list)
    daemon_exit: int | None = None
    daemon_log: str = ""

    @property
    def lost(self) -> int:
        return self.filings - self.indexed

    @property
    def duplicated_downloads(self) -> int:
        return sum(count - 1 for count in self.downloads.values() if count > 1)


def _probe(api: httpx.Client, result: OutageResult, *, during: bool) -> int:
    """One search through the API; returns the total found (0 on an error)."""
    try:
        response = api.get("/search", params={"q": "*", "size": "1"})
    except httpx.HTTPError:
        (result.api_statuses_during if during else result.api_statuses_after)[0] += 1
        return 0
    (result.api_statuses_during if during else result.api_statuses_after)[response.status_code] += 1
    if during and response.status_code != 200:
        body = response.json() if "json" in response.headers.get("content-type", "") else {}
        result.api_error_bodies_ok &= (
            body.get("ok") is False
            and body.get("status") == response.status_code
            and bool(body.get("error"))
        )
    if response.status_code != 200:
        return 0
    return int(response.json()["total"])


def run_outage(
    *,
    es_url: str,
    prefix: str,
    samples_dir: Path,
    work_dir: Path,
    filings: int = 40,
    outage_seconds: float = 15.0,
    catch_up_timeout: float = 90.0,
) -> OutageResult:
    """Crawl ``filings`` filings while the node is away for ``outage_seconds``."""
    result = OutageResult(filings=filings, outage_seconds=outage_seconds)
    host, port = httpx.URL(es_url).host, httpx.URL(es_url).port or 9200
    data_dir = work_dir / "data"
    api_port = free_port()
    with (
        TcpRelay(host, port) as relay,
        FakeEdgar(samples_dir, FakeEdgarConfig(delay_ms=(60, 120))) as edgar,
    ):
        # EDGAR's day, as the crawler counts it: US Eastern (UTC is a day ahead every evening).
        today = eastern_today()
        listed = edgar.synthetic_filings(filings, today - timedelta(_DAYS), today)
        served = {filing.accession for filing in listed}
        env = os.environ | crawler_env(
            edgar,
            data_dir,
            ELASTICSEARCH__URL=relay.url,
            ELASTICSEARCH__INDEX_PREFIX=prefix,
            ELASTICSEARCH__REQUEST_TIMEOUT_SECONDS="5",
            CRAWLER__INDEX_RETRY_SECONDS="1",
            # Well under the fake's limit: this scenario is about the node, not about blocks.
            EDGAR__MAX_REQUESTS_PER_SECOND="5",
            CRAWLER__FIRST_CRAWL_DAYS=str(_DAYS + 2),
            CRAWLER__SCHEDULE__DAILY_INDEX="0 3 1 1 *",
            CRAWLER__SCHEDULE__CURRENT_FEED="",
            CRAWLER__SCHEDULE__SUBMISSIONS="",
            CRAWLER__SCHEDULE__BACKFILL="",
            API__PORT=str(api_port),
        )
        env.pop("CORRESP_CONFIG", None)
        log_path = work_dir / "daemon.log"
        with log_path.open("w") as log:
            daemon = subprocess.Popen(
                [sys.executable, "-m", "indexer", "schedule", "--now"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            server = subprocess.Popen(
                [sys.executable, "-m", "indexer", "serve", "--port", str(api_port)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                _drive(result, edgar, relay, daemon, api_port, data_dir, catch_up_timeout)
            finally:
                server.terminate()
                daemon.send_signal(signal.SIGTERM)
                result.daemon_exit = daemon.wait(timeout=60)
                server.wait(timeout=30)
        result.daemon_log = log_path.read_text()
        for record in edgar.requests:
            if record.path.endswith(".txt"):
                result.downloads[record.path] += 1
    found = read_data_dir(data_dir)
    result.stored = len(set(found.stored) & served)
    result.store_problems = found.problems()
    with Elasticsearch(es_url) as es:
        es.indices.refresh(index=f"{prefix}letters")
        ids = {hit["_id"] for hit in es.search(index=f"{prefix}letters", size=1000)["hits"]["hits"]}
    result.indexed = len(ids & served)
    return result


def _drive(
    result: OutageResult,
    edgar: FakeEdgar,
    relay: TcpRelay,
    daemon: subprocess.Popen[bytes],
    api_port: int,
    data_dir: Path,
    catch_up_timeout: float,
) -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{api_port}", timeout=15) as api:
        _wait(lambda: _api_up(api), 60, "the API did not start")
        _wait(lambda: _downloads(edgar) > 0, 60, "no download")
        assert daemon.poll() is None, "the daemon ended early"
        relay.stop()  # the node goes away in the middle of the crawl
        cut, downloads_before = time.monotonic(), _downloads(edgar)
        fetched_before = fetched_count(data_dir)
        while time.monotonic() - cut < result.outage_seconds:
            _probe(api, result, during=True)
            time.sleep(0.5)
        result.downloads_during_outage = _downloads(edgar) - downloads_before
        result.fetched_during_outage = fetched_count(data_dir) - fetched_before
        relay.start()  # the node is back, on the same address
        back = time.monotonic()
        while time.monotonic() - back < catch_up_timeout:
            total = _probe(api, result, during=False)
            if total >= result.filings and awaiting_index(data_dir) == 0:
                result.seconds_to_catch_up = round(time.monotonic() - back, 1)
                return
            time.sleep(0.5)


def _downloads(edgar: FakeEdgar) -> int:
    return sum(r.path.endswith(".txt") for r in edgar.requests)


def _api_up(api: httpx.Client) -> bool:
    try:
        return api.get("/health").status_code in (200, 503)
    except httpx.HTTPError:
        return False


def _wait(condition: Callable[[], bool], seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(message)
