"""SEC's ticker map, kept fresh in the data folder for watchlists that name tickers.

``refresh_ticker_map`` downloads ``/files/company_tickers.json`` from the configured www host
with the crawler's polite client (same User-Agent, throttle and retries as every other
request) into ``{data_dir}/company_tickers.json``, at most once a day: a file younger than
``MAX_AGE`` is left alone. The body is checked with the indexer's parser before it replaces
the old file (written to a temporary name and renamed), so a broken download never
replaces a good map. Failures are logged and reported, never raised: a crawl does not
depend on the ticker map.

``TickerMapCrawler`` is the ``Crawler`` the commands use: it refreshes the map beside every
crawl and backfill pass (in a thread of its own, through the same throttle, so the pass's
first turns are not spent waiting for it; the pass returns once it is done, before any
hand-off uses the map), which covers ``corresp crawl``, ``corresp backfill`` and the
scheduler's daily-index, submissions and backfill jobs (the current-feed poll, every ten
minutes, does not).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from crawler.client import EdgarClient
from crawler.cycle import Crawler
from crawler.errors import CrawlerError
from crawler.store import atomic_write
from indexer.data_folder import DataFolder
from indexer.watchlists.tickers import parse_ticker_map

__all__ = [
    "MAX_AGE_SECONDS",
    "TICKERS_PATH",
    "TickerMapCrawler",
    "TickerRefresh",
    "refresh_ticker_map",
]

logger = logging.getLogger(__name__)

TICKERS_PATH = "/files/company_tickers.json"
MAX_AGE_SECONDS = 24 * 3600.0


@dataclass(frozen=True)
class TickerRefresh:
    """What a refresh did: ``downloaded``, ``fresh`` (recent enough) or ``failed``."""

    outcome: Literal["downloaded", "fresh", "failed"]
    tickers: int = 0
    detail: str = ""


def refresh_ticker_map(
    client: EdgarClient,
    data_dir: Path,
    *,
    max_age_seconds: float = MAX_AGE_SECONDS,
    now: Callable[[], float] = time.time,
    cancelled: Callable[[], bool] | None = None,
) -> TickerRefresh:
    """Download the ticker map unless the stored one is younger than ``max_age_seconds``."""
    path = DataFolder(data_dir).ticker_map
    try:
        age = now() - path.stat().st_mtime
    except OSError:
        age = None
    if age is not None and 0 <= age < max_age_seconds:
        return TickerRefresh("fresh")
    try:
        fetched = client.get("www", TICKERS_PATH, cancelled=cancelled)
        tickers = parse_ticker_map(fetched.content)
        atomic_write(path, fetched.content)
    except (CrawlerError, ValueError, OSError) as exc:
        logger.warning("ticker map not refreshed: %s", exc)
        return TickerRefresh("failed", detail=str(exc))
    logger.info("ticker map refreshed: %d tickers", len(tickers))
    return TickerRefresh("downloaded", tickers=len(tickers))


class TickerMapCrawler(Crawler):
    """A ``Crawler`` that refreshes the ticker map (at most daily) beside each pass."""

    def refresh_tickers(self) -> TickerRefresh:
        return refresh_ticker_map(
            self.client, self.settings.storage.data_dir, cancelled=lambda: self.stopping
        )

    def beside_pass(self) -> None:
        self.refresh_tickers()
