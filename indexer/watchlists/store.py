"""``WatchlistStore``: watchlists in ``{prefix}watchlists``, read and written whole.

Writes wait for a refresh (``refresh="wait_for"``), so a watchlist created through the API is
seen by the next ingest and the next read. Creating uses ``op_type=create``, so two clients
choosing the same id cannot overwrite each other (the second gets a conflict). Deleting a
watchlist deletes its alerts too. Every call runs inside ``backend_errors``: a cluster that
is down surfaces as ``SearchBackendError``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from elasticsearch import Elasticsearch

from indexer.bulk import delete_action, write_actions
from indexer.errors import IndexingError
from indexer.es_client import backend_errors
from indexer.search.watchlists import build_alert_ids_page, build_watchlists_body
from indexer.watchlists.errors import (
    SecretKeyError,
    WatchlistConflictError,
    WatchlistNotFoundError,
)
from indexer.watchlists.indices import Shapes, WatchIndices, ensure_watch_indices
from indexer.watchlists.models import Watchlist
from indexer.watchlists.redaction import ensure_secret_redaction
from indexer.watchlists.secrets import SecretBox

__all__ = ["MAX_WATCHLISTS", "WatchlistStore"]

logger = logging.getLogger(__name__)

MAX_WATCHLISTS = 10_000
"""Watchlists read per listing (one page; far more than one installation needs)."""
_PAGE = 1000


def utc_now() -> datetime:
    return datetime.now(UTC)


class WatchlistStore:
    """Reads and writes watchlists; ``clock`` gives the ``created_at``/``updated_at`` times."""

    def __init__(
        self,
        es: Elasticsearch,
        names: WatchIndices,
        *,
        clock: Callable[[], datetime] = utc_now,
        box: SecretBox | None = None,
    ) -> None:
        self.es = es
        self.names = names
        self.clock = clock
        self.box = box
        """Seals webhook secrets before they are written and opens them when read; without
        it secrets are never written, and stored ones read as absent."""
        ensure_secret_redaction()  # stored secrets stay out of the client's DEBUG traces

    def ensure(self, shapes: Shapes | None = None) -> None:
        """The indices present, of ``shapes`` (``elasticsearch.indices``)."""
        ensure_watch_indices(self.es, self.names, shapes=shapes)

    def all(self) -> list[Watchlist]:
        """Every watchlist, by id."""
        with backend_errors("listing watchlists"):
            response = self.es.search(
                index=self.names.watchlists, **build_watchlists_body(MAX_WATCHLISTS)
            )
        return [self._watchlist(hit["_source"]) for hit in response["hits"]["hits"]]

    def find(self, watchlist_id: str) -> Watchlist | None:
        with backend_errors(f"reading watchlist {watchlist_id}"):
            response = self.es.options(ignore_status=404).get(
                index=self.names.watchlists, id=watchlist_id
            )
        return self._watchlist(response["_source"]) if response.get("found") else None

    def get(self, watchlist_id: str) -> Watchlist:
        """The watchlist; raises ``WatchlistNotFoundError``."""
        found = self.find(watchlist_id)
        if found is None:
            raise WatchlistNotFoundError(watchlist_id)
        return found

    def create(self, watchlist: Watchlist) -> Watchlist:
        """Store a new watchlist; raises ``WatchlistConflictError`` when the id is taken."""
        now = self.clock()
        stored = watchlist.model_copy(update={"created_at": now, "updated_at": now})
        with backend_errors(f"creating watchlist {watchlist.id}"):
            response = self.es.options(ignore_status=409).index(
                index=self.names.watchlists,
                id=watchlist.id,
                document=self._document(stored),
                op_type="create",
                refresh="wait_for",
            )
        if response.get("error"):
            raise WatchlistConflictError(
                watchlist.id, f"a watchlist {watchlist.id!r} exists already"
            )
        return stored

    def replace(self, watchlist: Watchlist, *, previous: Watchlist) -> Watchlist:
        """Overwrite ``previous`` with ``watchlist`` (same id), keeping its creation time."""
        stored = watchlist.model_copy(
            update={"created_at": previous.created_at or self.clock(), "updated_at": self.clock()}
        )
        self._put(stored)
        return stored

    def put(self, watchlist: Watchlist) -> Watchlist:
        """Write ``watchlist`` as is (config sync)."""
        self._put(watchlist)
        return watchlist

    def _put(self, watchlist: Watchlist) -> None:
        with backend_errors(f"writing watchlist {watchlist.id}"):
            self.es.index(
                index=self.names.watchlists,
                id=watchlist.id,
                document=self._document(watchlist),
                refresh="wait_for",
            )

    def rekey(self) -> int:
        """Write every watchlist with a secret back, sealed with the first key; how many."""
        written = 0
        for watchlist in self.all():
            if watchlist.webhook_secret is not None:
                self._put(watchlist)
                written += 1
        return written

    def _document(self, watchlist: Watchlist) -> dict[str, Any]:
        """The stored form: the webhook secret sealed (``secrets.py``), never in clear."""
        document = watchlist.to_document()
        if document.get("webhook_secret"):
            if self.box is None:
                raise SecretKeyError("no key to encrypt webhook secrets with")
            document["webhook_secret"] = self.box.seal(document["webhook_secret"])
        return document

    def _watchlist(self, document: dict[str, Any]) -> Watchlist:
        stored = document.get("webhook_secret")
        if stored:
            document = dict(document)
            try:
                if self.box is None:
                    raise SecretKeyError("no key to decrypt webhook secrets with")
                document["webhook_secret"] = self.box.open(stored)
            except SecretKeyError as exc:
                logger.warning("watchlist %s: webhook secret unreadable: %s", document["id"], exc)
                document["webhook_secret"] = None
        return Watchlist.from_document(document)

    def delete(self, watchlist_id: str) -> int:
        """Delete the watchlist and its alerts; the number of alerts deleted."""
        with backend_errors(f"deleting watchlist {watchlist_id}"):
            response = self.es.options(ignore_status=404).delete(
                index=self.names.watchlists, id=watchlist_id, refresh="wait_for"
            )
        if response.get("result") != "deleted":
            raise WatchlistNotFoundError(watchlist_id)
        return self.delete_alerts(watchlist_id)

    def delete_alerts(self, watchlist_id: str) -> int:
        """Delete every alert of ``watchlist_id`` (no delete-by-query: ids, then bulk)."""
        ids = list(self._alert_ids(watchlist_id))
        if not ids:
            return 0
        report = write_actions(self.es, (delete_action(self.names.alerts, i) for i in ids))
        if report.failed:
            raise IndexingError(report.failed)
        with backend_errors("refreshing alerts"):
            self.es.indices.refresh(index=self.names.alerts)
        return len(ids)

    def _alert_ids(self, watchlist_id: str) -> list[str]:
        ids: list[str] = []
        after: list[Any] | None = None
        while True:
            with backend_errors("reading alert ids"):
                response = self.es.search(
                    index=self.names.alerts,
                    **build_alert_ids_page(watchlist_id, size=_PAGE, after=after),
                )
            hits = response["hits"]["hits"]
            ids += [hit["_id"] for hit in hits]
            if len(hits) < _PAGE:
                return ids
            after = hits[-1]["sort"]
