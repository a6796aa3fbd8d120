"""``AlertStore``: alerts in ``{prefix}alerts``: created once, delivery recorded, paged.

Alerts are created with ``op_type=create`` under their natural id (watchlist, accession,
match), so of two ingests of the same letter (a repeat, or two processes at once) exactly one
creates each alert and learns that it is new; the other gets a conflict, which means "not
new", never an error. Only the creator delivers the webhook, which is why a delivery happens
once per new batch. Delivery outcomes are partial updates of the ``delivery`` object.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from elasticsearch import Elasticsearch

from indexer.bulk import update_action, write_actions
from indexer.errors import IndexingError
from indexer.es_client import backend_errors
from indexer.search.paging import PageRequest, SortKey, SortOrder, next_cursor
from indexer.search.watchlists import (
    build_alert_page_body,
    build_alert_summary_body,
    read_alert_summary,
)
from indexer.watchlists.indices import WatchIndices

__all__ = ["ALERT_ORDER", "AlertPage", "AlertStore"]

ALERT_ORDER = SortOrder(
    "alerts",
    "found",
    (
        SortKey("found_at", descending=True, kind="number"),
        SortKey("letter_date", descending=True, kind="number"),
        SortKey("alert_id", descending=False, kind="string"),
    ),
)
"""Newest first: by the time found, then (one ingest finds many at once) the letter's date;
the alert id breaks the remaining ties."""
_CHUNK = 500
_CONFLICT = 409


@dataclass(frozen=True)
class AlertPage:
    total: int
    alerts: list[dict[str, Any]]
    next_cursor: str | None


class AlertStore:
    """Creates, updates and reads the alerts of every watchlist."""

    def __init__(self, es: Elasticsearch, names: WatchIndices) -> None:
        self.es = es
        self.names = names

    def create(self, documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Create the alerts that do not exist yet; return those created (the new ones)."""
        created: list[dict[str, Any]] = []
        for start in range(0, len(documents), _CHUNK):
            chunk = documents[start : start + _CHUNK]
            operations: list[dict[str, Any]] = []
            for document in chunk:
                operations += [
                    {"create": {"_index": self.names.alerts, "_id": document["alert_id"]}},
                    document,
                ]
            with backend_errors("creating alerts"):
                response = self.es.bulk(operations=operations, refresh=True)
            failed: list[tuple[str, str]] = []
            for document, item in zip(chunk, response["items"], strict=True):
                result = item["create"]
                if result.get("status") in (200, 201):
                    created.append(document)
                elif result.get("status") != _CONFLICT:
                    error = result.get("error") or {}
                    failed.append((document["alert_id"], str(error.get("reason") or error)))
            if failed:
                raise IndexingError(failed)
        return created

    def record_delivery(
        self, alert_ids: Iterable[str], delivery: dict[str, Any], *, field: str = "delivery"
    ) -> None:
        """Set the delivery state ``field`` of the alerts (``delivery`` for webhooks,
        ``email``) after each attempt."""
        actions = (update_action(self.names.alerts, i, {field: delivery}) for i in alert_ids)
        report = write_actions(self.es, actions)
        if report.failed:
            raise IndexingError(report.failed)
        with backend_errors("refreshing alerts"):
            self.es.indices.refresh(index=self.names.alerts)

    def page(
        self, watchlist_id: str, page: PageRequest, *, since: datetime | None = None
    ) -> AlertPage:
        """Alerts of a watchlist, newest first, found after ``since``."""
        body = build_alert_page_body(watchlist_id, page, since=since)
        with backend_errors("reading alerts"):
            response = self.es.search(index=self.names.alerts, **body)
        hits = response["hits"]["hits"]
        return AlertPage(
            total=int(response["hits"]["total"]["value"]),
            alerts=[hit["_source"] for hit in hits[: page.size]],
            next_cursor=next_cursor(page, hits),
        )

    def summary(self, watchlist_id: str) -> dict[str, Any]:
        """How many alerts, the newest one's time, deliveries by status and the latest one."""
        with backend_errors("summarizing alerts"):
            response = self.es.search(
                index=self.names.alerts, **build_alert_summary_body(watchlist_id)
            )
        return read_alert_summary(response.body)
