"""Watchlists, their alerts and their saved searches: the bodies of their requests. Pure.

- ``build_watchlists_body``: every watchlist, by id, in one page.
- ``build_alert_page_body``: one page of a watchlist's alerts (newest first, after a time);
  ``build_alert_summary_body`` counts them, finds the newest and the latest delivery
  (``read_alert_summary`` reads its answer); ``build_alert_ids_page`` walks their ids, to
  delete them.
- ``build_saved_search_body``: a saved search, exactly as ``/search`` builds it
  (``indexer.search.body.search_query``), restricted to the letters of one ingest; run on
  the letters alias after each ingest instead of a percolator.

The stores that send them are in ``indexer/watchlists/``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from indexer.search.body import search_query
from indexer.search.kinds import LETTERS
from indexer.search.paging import PageRequest
from indexer.search.params import LetterFilters
from indexer.search.scan import build_walk_page

__all__ = [
    "build_alert_ids_page",
    "build_alert_page_body",
    "build_alert_summary_body",
    "build_delivery_alerts_body",
    "build_due_deliveries_body",
    "build_parked_deliveries_body",
    "build_saved_search_body",
    "build_watchlists_body",
    "read_alert_summary",
    "read_delivery_ids",
]


def build_watchlists_body(size: int) -> dict[str, Any]:
    """Up to ``size`` watchlists, by id."""
    return {
        "query": {"match_all": {}},
        "sort": [{"id": "asc"}],
        "size": size,
        "track_total_hits": False,
    }


def _of_watchlist(watchlist_id: str) -> dict[str, Any]:
    return {"term": {"watchlist_id": watchlist_id}}


def build_alert_page_body(
    watchlist_id: str, page: PageRequest, *, since: datetime | None = None
) -> dict[str, Any]:
    """One page of the alerts of ``watchlist_id`` found after ``since`` (``size + 1`` hits)."""
    filters: list[dict[str, Any]] = [_of_watchlist(watchlist_id)]
    if since is not None:
        filters.append({"range": {"found_at": {"gt": since.isoformat()}}})
    body: dict[str, Any] = {
        "query": {"bool": {"filter": filters}},
        "sort": page.order.clauses(),
        "size": page.size + 1,
        "track_total_hits": True,
    }
    if page.after is not None:
        body["search_after"] = list(page.after)
    return body


_CHANNELS = {"delivery": ("deliveries", "last_delivery"), "email": ("emails", "last_email")}
"""Delivery state field of each channel -> its keys in the summary (counts, latest)."""


def build_alert_summary_body(watchlist_id: str) -> dict[str, Any]:
    """How many alerts ``watchlist_id`` has, the newest, and per channel (webhook
    ``delivery``, ``email``) the deliveries by status and the latest attempted one."""
    aggs: dict[str, Any] = {"newest": {"max": {"field": "found_at"}}}
    for field in _CHANNELS:
        latest_first = {f"{field}.last_attempt_at": {"order": "desc", "missing": "_last"}}
        aggs[field] = {"terms": {"field": f"{field}.status", "size": 10}}
        aggs[f"latest_{field}"] = {
            "filter": {"exists": {"field": f"{field}.status"}},
            "aggs": {"hit": {"top_hits": {"size": 1, "sort": [latest_first], "_source": [field]}}},
        }
    return {
        "query": _of_watchlist(watchlist_id),
        "size": 0,
        "track_total_hits": True,
        "aggs": aggs,
    }


def read_alert_summary(response: Mapping[str, Any]) -> dict[str, Any]:
    """``{total, newest_found_at, deliveries: {status: count}, last_delivery, emails,
    last_email}`` from the answer to ``build_alert_summary_body``."""
    aggs = response.get("aggregations") or {}
    summary: dict[str, Any] = {
        "total": int(response["hits"]["total"]["value"]),
        "newest_found_at": aggs.get("newest", {}).get("value_as_string"),
    }
    for field, (counts, last) in _CHANNELS.items():
        latest = aggs.get(f"latest_{field}", {}).get("hit", {}).get("hits", {}).get("hits", [])
        summary[counts] = {
            bucket["key"]: bucket["doc_count"] for bucket in aggs.get(field, {}).get("buckets", [])
        }
        summary[last] = latest[0]["_source"].get(field) if latest else None
    return summary


def _delivery_ids_body(filters: list[dict[str, Any]], size: int, field: str) -> dict[str, Any]:
    """Up to ``size`` delivery ids of channel ``field`` among the alerts of ``filters``, the
    longest waiting first (read with ``read_delivery_ids``)."""
    return {
        "query": {"bool": {"filter": filters}},
        "size": 0,
        "aggs": {
            "deliveries": {
                "terms": {
                    "field": f"{field}.delivery_id",
                    "size": size,
                    "order": {"waiting_since": "asc"},
                },
                "aggs": {"waiting_since": {"min": {"field": f"{field}.next_attempt_at"}}},
            }
        },
    }


def build_due_deliveries_body(
    now: datetime, *, size: int, field: str = "delivery"
) -> dict[str, Any]:
    """The ids of the deliveries (pending or retrying) of channel ``field`` (``delivery``:
    webhooks, ``email``) whose attempt is due by ``now``."""
    return _delivery_ids_body(
        [
            {"terms": {f"{field}.status": ["pending", "retrying"]}},
            {"range": {f"{field}.next_attempt_at": {"lte": now.isoformat()}}},
        ],
        size,
        field,
    )


def build_parked_deliveries_body(
    watchlist_id: str | None, *, size: int, field: str = "delivery"
) -> dict[str, Any]:
    """The ids of the parked deliveries of channel ``field`` (of one watchlist, or of all)."""
    filters: list[dict[str, Any]] = [{"term": {f"{field}.status": "parked"}}]
    if watchlist_id is not None:
        filters.append(_of_watchlist(watchlist_id))
    return _delivery_ids_body(filters, size, field)


def read_delivery_ids(response: Mapping[str, Any]) -> list[str]:
    """The delivery ids of an answer to a ``build_*_deliveries_body``."""
    buckets = (response.get("aggregations") or {}).get("deliveries", {}).get("buckets", [])
    return [str(bucket["key"]) for bucket in buckets]


def build_delivery_alerts_body(
    delivery_ids: list[str], *, size: int, field: str = "delivery"
) -> dict[str, Any]:
    """Every alert of the deliveries ``delivery_ids`` (a delivery is sent whole), by id."""
    return {
        "query": {"terms": {f"{field}.delivery_id": delivery_ids}},
        "sort": [{"alert_id": "asc"}],
        "size": size,
        "track_total_hits": False,
    }


def build_alert_ids_page(
    watchlist_id: str, *, size: int, after: Sequence[Any] | None
) -> dict[str, Any]:
    """One page of the ids of the alerts of ``watchlist_id``, by alert id."""
    return build_walk_page(
        _of_watchlist(watchlist_id), key="alert_id", size=size, after=after, source=False
    )


def build_saved_search_body(filters: LetterFilters, accessions: list[str]) -> dict[str, Any]:
    """The saved search ``filters`` among the letters ``accessions`` (ids only), for msearch."""
    _, query = search_query(LETTERS, filters)
    query["bool"].setdefault("filter", []).append({"terms": {"accession": accessions}})
    return {
        "query": query,
        "size": len(accessions),
        "_source": False,
        "track_total_hits": False,
    }
