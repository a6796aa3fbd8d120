"""The watchlists and alerts indices: names, mappings as data, and ``ensure_watch_indices``.

Watchlists and alerts are user data, not derived from the raw store: they live in their own
concrete indices ``{prefix}watchlists`` and ``{prefix}alerts``, outside the letters, comments
and threads that ``corresp reindex`` rebuilds and swaps, so a reindex never touches them.
``ensure_watch_indices`` is idempotent: it creates a missing index and adds new fields of
``WATCH_SCHEMA_VERSION`` to an existing one (mappings only ever grow).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch

from indexer.errors import SchemaError
from indexer.es_client import backend_errors

__all__ = [
    "WATCH_SCHEMA_VERSION",
    "Shapes",
    "WatchIndices",
    "ensure_watch_indices",
    "watch_mappings",
]

logger = logging.getLogger(__name__)

WATCH_SCHEMA_VERSION = 3

_KEYWORD = {"type": "keyword"}
_DATE = {"type": "date", "format": "strict_date_optional_time||yyyy-MM-dd"}
_STORED_ONLY = {"type": "object", "enabled": False}
_NOT_INDEXED = {"type": "keyword", "index": False, "doc_values": False}
_DELIVERY_STATE = {
    "properties": {
        "status": _KEYWORD,
        "delivery_id": _KEYWORD,
        "attempts": {"type": "integer"},
        "last_error": _NOT_INDEXED,
        "response_status": {"type": "integer"},
        "last_attempt_at": _DATE,
        "next_attempt_at": _DATE,
        "delivered_at": _DATE,
    }
}
"""The outbox state of one channel on an alert: ``delivery`` (webhooks) and ``email``."""


@dataclass(frozen=True, slots=True)
class WatchIndices:
    """Index names from the configured prefix."""

    prefix: str

    @property
    def watchlists(self) -> str:
        return f"{self.prefix}watchlists"

    @property
    def alerts(self) -> str:
        return f"{self.prefix}alerts"


def _watchlist_mappings() -> dict[str, Any]:
    return {
        "dynamic": "strict",
        "properties": {
            "id": _KEYWORD,
            "name": {"type": "keyword", "ignore_above": 256},
            "source": _KEYWORD,
            "ciks": _KEYWORD,
            "tickers": _KEYWORD,
            "sic": _KEYWORD,
            "file_numbers": _KEYWORD,
            "searches": _STORED_ONLY,
            "webhook_url": _NOT_INDEXED,
            "webhook_secret": _NOT_INDEXED,
            "email": _KEYWORD,
            "email_digest": _KEYWORD,
            "since": _DATE,
            "created_at": _DATE,
            "updated_at": _DATE,
        },
    }


def _alert_mappings() -> dict[str, Any]:
    return {
        "dynamic": "strict",
        "properties": {
            "alert_id": _KEYWORD,
            "watchlist_id": _KEYWORD,
            "accession": _KEYWORD,
            "matched_by": _KEYWORD,
            "found_at": _DATE,
            "company": {"type": "keyword", "ignore_above": 256},
            "ciks": _KEYWORD,
            "form": _KEYWORD,
            "letter_type": _KEYWORD,
            "letter_date": _DATE,
            "released_on": _DATE,
            "url": _NOT_INDEXED,
            "thread_id": _KEYWORD,
            "delivery": _DELIVERY_STATE,
            "email": _DELIVERY_STATE,
        },
    }


def watch_mappings() -> dict[str, dict[str, Any]]:
    """Mappings by index kind (``watchlists``, ``alerts``)."""
    return {"watchlists": _watchlist_mappings(), "alerts": _alert_mappings()}


Shapes = Mapping[str, tuple[int, int]]
"""(primary shards, replicas) by index kind (``watchlists``, ``alerts``)."""


def ensure_watch_indices(
    es: Elasticsearch, names: WatchIndices, *, shapes: Shapes | None = None
) -> WatchIndices:
    """Create the two indices where missing (of ``shapes``, default one shard and no
    replica) and bring their mappings, and replica counts, up to date."""
    mappings = watch_mappings()
    with backend_errors("installing the watchlist indices"):
        for kind, index in (("watchlists", names.watchlists), ("alerts", names.alerts)):
            shards, replicas = (shapes or {}).get(kind, (1, 0))
            meta = {"corresp": kind, "schema_version": WATCH_SCHEMA_VERSION}
            body = {**mappings[kind], "_meta": meta}
            if es.indices.exists(index=index):
                es.indices.put_mapping(index=index, **body)
                if shapes is not None:
                    es.indices.put_settings(index=index, settings={"number_of_replicas": replicas})
                continue
            created = es.options(ignore_status=400).indices.create(
                index=index,
                settings={"number_of_shards": shards, "number_of_replicas": replicas},
                mappings=body,
            )
            error = created.get("error")
            if error and error.get("type") != "resource_already_exists_exception":
                raise SchemaError(f"cannot create {index}: {error.get('reason') or error}")
            if not error:
                logger.info("created %s", index)
    return names
