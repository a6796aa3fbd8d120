"""``WatchService``: what the API's watchlist routes and pages use, in one object.

It holds the watchlist and alert stores of one index prefix, the path of the ticker map and
the configured watchlists. ``ready()`` creates the indices and syncs ``config.yaml``'s
watchlists the first time it succeeds (the API calls it at start-up and, if Elasticsearch was
down then, again before the first watchlist request); later calls cost nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from pathlib import Path

from elasticsearch import Elasticsearch
from pydantic import SecretStr

from indexer.data_folder import DataFolder
from indexer.settings import Settings
from indexer.watchlists.alert_store import AlertStore
from indexer.watchlists.indices import Shapes, WatchIndices
from indexer.watchlists.models import WatchlistConfig
from indexer.watchlists.secrets import secret_box
from indexer.watchlists.store import WatchlistStore
from indexer.watchlists.sync import SyncReport, sync_config_watchlists
from indexer.watchlists.tickers import TickerMap, load_ticker_map

__all__ = ["WatchService"]

logger = logging.getLogger(__name__)


class WatchService:
    """Watchlists and alerts of one installation."""

    def __init__(
        self,
        es: Elasticsearch,
        *,
        index_prefix: str,
        data_dir: Path,
        configured: list[WatchlistConfig],
        secret_key: SecretStr | None = None,
        environ: Mapping[str, str] | None = None,
        shapes: Shapes | None = None,
    ) -> None:
        names = WatchIndices(index_prefix)
        box = secret_box(secret_key, DataFolder(data_dir), create=True)
        self.store = WatchlistStore(es, names, box=box)
        self.alerts = AlertStore(es, names)
        self.ticker_path = DataFolder(data_dir).ticker_map
        self.configured = configured
        self._environ = environ
        self._shapes = shapes
        self._synced = threading.Event()
        self._lock = threading.Lock()

    @classmethod
    def for_settings(cls, es: Elasticsearch, settings: Settings) -> WatchService:
        return cls(
            es,
            index_prefix=settings.elasticsearch.index_prefix,
            data_dir=settings.storage.data_dir,
            configured=list(settings.watchlists),
            secret_key=settings.api.secret_key,
            shapes=settings.elasticsearch.indices.shapes("watchlists", "alerts"),
        )

    def ready(self) -> SyncReport | None:
        """Indices present and configured watchlists synced (once); raises
        ``SearchBackendError`` while Elasticsearch cannot be reached."""
        if self._synced.is_set():
            return None
        with self._lock:
            if self._synced.is_set():  # another request synced while this one waited
                return None
            self.store.ensure(self._shapes)
            report = sync_config_watchlists(self.store, self.configured, environ=self._environ)
            self._synced.set()
        if report.written or report.removed:
            logger.info(
                "configured watchlists synced: %d written, %d removed",
                len(report.written),
                len(report.removed),
            )
        return report

    def tickers(self) -> TickerMap:
        return load_ticker_map(self.ticker_path)
