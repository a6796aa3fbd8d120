"""Walks over every match of a query, page by page with ``search_after``: their bodies. Pure.

A walk sorts on a unique key and continues after the sort values of each page's last hit, so
it reads any number of documents without gaps, duplicates or a result-window cap.

- ``build_scan_body`` + ``scan_page``: the walks of the API (exports, a thread's letters and
  comments, a company's reviews). The first page counts every match, the others do not; an
  export walks inside a point in time (``pit``), so documents written meanwhile do not shift
  its pages.
- ``build_walk_page``: the walks of the indexer over ids (stored documents of some companies,
  the alerts of a watchlist), sorted by one keyword ascending, never counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from indexer.search.paging import SortOrder

__all__ = ["KEEP_ALIVE", "build_scan_body", "build_walk_page", "scan_page"]

KEEP_ALIVE = "2m"
"""How long a point in time is kept between two pages of a walk."""

Query = dict[str, Any]


def build_scan_body(query: Query, order: SortOrder, *, source: list[str] | bool) -> dict[str, Any]:
    """The body of a walk over every document matching ``query`` in ``order`` (no page yet)."""
    return {"query": query, "sort": order.clauses(), "source": source}


def scan_page(
    body: dict[str, Any], *, size: int, pit: str | None, after: Sequence[Any] | None
) -> dict[str, Any]:
    """One page of a walk: the first counts every match, the others continue after a hit."""
    page = {**body, "size": size, "track_total_hits": after is None}
    if after is not None:
        page["search_after"] = after
    if pit is not None:
        page["pit"] = {"id": pit, "keep_alive": KEEP_ALIVE}
    return page


def build_walk_page(
    query: Query, *, key: str, size: int, after: Sequence[Any] | None, source: bool
) -> dict[str, Any]:
    """One page of ``size`` documents matching ``query`` by ``key`` (ascending), after
    ``after`` (the sort values of the previous page's last hit; ``None`` for the first)."""
    body: dict[str, Any] = {
        "query": query,
        "size": size,
        "sort": [{key: "asc"}],
        "source": source,
        "track_total_hits": False,
    }
    if after is not None:
        body["search_after"] = after
    return body
