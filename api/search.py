"""``SearchService``: every read the API and its commands make from Elasticsearch.

It is the only caller of ``es.search`` and holds no query logic of its own: bodies come from
the pure builders of ``indexer/search/`` (``body.py``, ``scan.py`` and friends), answers are
turned into plain data by them too. Every call runs inside
``indexer.es_client.backend_errors``, so a cluster that is down, slow or failing surfaces as
``SearchBackendError`` (a 503 in the API). The client reconnects by itself, so the service
recovers as soon as the cluster does.

``scan`` walks every match with ``search_after`` in pages of ``SCAN_PAGE_SIZE``; exports do
it inside a point in time, so rows written while a crawl is indexing still add up to the
total counted at the start.

Searches whose cost depends on the user's search string (``find``, and ``search`` with
``limited=True``: statistics) run with Elasticsearch's own ``timeout`` of
``timeout_seconds``: an expensive search string is stopped there and answered with what was
found (``ResultPage.complete`` is false; ``stopped_warning`` says so to the user), instead of
keeping the cluster busy for as long as it takes. Walks (exports) are never stopped early.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch

from api.timing import backend_call
from indexer.errors import SearchBackendError
from indexer.es_client import backend_errors, raise_item_error
from indexer.names import Targets
from indexer.search.body import (
    build_search_body,
    read_facets,
    read_hit,
    split_counts,
    with_timeout,
)
from indexer.search.kinds import SearchKind
from indexer.search.paging import PageRequest, SortOrder, next_cursor
from indexer.search.params import LetterFilters
from indexer.search.query import ParsedQuery
from indexer.search.scan import KEEP_ALIVE, scan_page

__all__ = [
    "SCAN_PAGE_SIZE",
    "ResultPage",
    "Scan",
    "SearchService",
    "stopped_warning",
]

logger = logging.getLogger(__name__)

SCAN_PAGE_SIZE = 1000


@dataclass(frozen=True)
class ResultPage:
    """One page of search results."""

    total: int
    hits: list[dict[str, Any]]
    facets: dict[str, list[dict[str, Any]]]
    next_cursor: str | None
    query: ParsedQuery
    partial: tuple[str, ...] = ()
    """Why total, facets and hits are incomplete (stopped at the time limit, shards that
    failed); empty when the answer is complete."""

    @property
    def complete(self) -> bool:
        return not self.partial


def stopped_warning(timeout_seconds: float | None) -> str:
    """What the user is told when a search was stopped at the time limit."""
    limit = f" after {timeout_seconds:g} s" if timeout_seconds else ""
    return (
        f"the search was stopped{limit}: the total, counts and hits are incomplete "
        "(use fewer phrases, prefix searches or common words)"
    )


def partial_reasons(timeout_seconds: float | None, *responses: dict[str, Any]) -> list[str]:
    """Why an answer made of ``responses`` is incomplete: a search stopped at the time
    limit, or shards that failed (the cluster answered for the others only)."""
    reasons = []
    if any(response.get("timed_out") for response in responses):
        reasons.append(stopped_warning(timeout_seconds))
    failed = sum(int((r.get("_shards") or {}).get("failed") or 0) for r in responses)
    if failed:
        total = sum(int((r.get("_shards") or {}).get("total") or 0) for r in responses)
        causes = [
            str(((failure.get("reason") or {}).get("reason")) or failure.get("reason") or "")
            for response in responses
            for failure in (response.get("_shards") or {}).get("failures") or []
        ]
        cause = f" ({causes[0][:200]})" if causes and causes[0] else ""
        reasons.append(
            f"{failed} of {total} shards failed{cause}: the total, counts and hits cover the "
            "other shards only; try again, and see `corresp es status`"
        )
    return reasons


class SearchService:
    """Reads letters, comments and threads through the aliases in ``targets``.

    ``timeout_seconds`` (``api.search_timeout_seconds``) limits the searches whose cost
    depends on a search string; ``None`` leaves them unlimited (the command line).
    """

    def __init__(
        self, es: Elasticsearch, targets: Targets, *, timeout_seconds: float | None = None
    ) -> None:
        self.es = es
        self.targets = targets
        self.timeout_seconds = timeout_seconds

    def search(
        self, index: str | None, body: dict[str, Any], *, action: str, limited: bool = False
    ) -> dict[str, Any]:
        """One search request (``index`` is None inside a point in time).

        ``limited``: stopped by Elasticsearch after ``timeout_seconds``; the caller checks
        ``stopped_notes(response)`` and says that the answer is partial.
        """
        if limited and self.timeout_seconds is not None:
            body = with_timeout(body, seconds=self.timeout_seconds)
        with backend_errors(action), backend_call():
            return dict(self.es.search(index=index, **body))

    def get(
        self, index: str, doc_id: str, *, excludes: tuple[str, ...] = ()
    ) -> dict[str, Any] | None:
        """The source of one document, or ``None`` when there is no such document."""
        with backend_errors(f"reading {doc_id}"), backend_call():
            response = self.es.options(ignore_status=404).get(
                index=index, id=doc_id, source_excludes=list(excludes) or None
            )
        return dict(response["_source"]) if response.get("found") else None

    def stopped_notes(self, *responses: dict[str, Any]) -> list[str]:
        """Why an answer made of ``responses`` is partial (``partial_reasons``), else none."""
        return partial_reasons(self.timeout_seconds, *responses)

    def find(
        self, kind: SearchKind, filters: LetterFilters, page: PageRequest, *, snippets: bool = True
    ) -> ResultPage:
        """One page of ``kind`` matching ``filters``, with snippets (unless ``snippets`` is
        false), facets and next cursor."""
        parsed, body = build_search_body(kind, filters, page, highlight=snippets)
        hits_body, counts_body = split_counts(body)
        action = f"searching {kind.name}"
        index = kind.index(self.targets)
        if counts_body is None:
            response = counts = self.search(index, hits_body, action=action, limited=True)
        else:
            response, counts = self.msearch(index, [hits_body, counts_body], action=action)
        hits = response["hits"]["hits"]
        return ResultPage(
            total=int(counts["hits"]["total"]["value"]),
            hits=[read_hit(kind, hit) for hit in hits[: page.size]],
            facets=read_facets(counts.get("aggregations") or {}, list(kind.facets)),
            next_cursor=next_cursor(page, hits),
            query=parsed,
            partial=tuple(partial_reasons(self.timeout_seconds, response, counts)),
        )

    def msearch(
        self, index: str, bodies: list[dict[str, Any]], *, action: str
    ) -> list[dict[str, Any]]:
        """Several searches of ``index`` in one request, run side by side by Elasticsearch,
        each stopped after ``timeout_seconds`` like ``search(limited=True)``; an error of any
        is raised as ``search`` would raise it."""
        if self.timeout_seconds is not None:
            bodies = [with_timeout(body, seconds=self.timeout_seconds) for body in bodies]
        return self._msearch([(index, body) for body in bodies], action=action)

    def _msearch(
        self, searches: list[tuple[str, dict[str, Any]]], *, action: str
    ) -> list[dict[str, Any]]:
        lines: list[dict[str, Any]] = []
        for index, body in searches:
            # The body as sent: the client's ``source`` parameter is ``_source`` in JSON.
            sent = {("_source" if key == "source" else key): value for key, value in body.items()}
            lines += [{"index": index}, sent]
        with backend_errors(action), backend_call():
            answer = self.es.msearch(searches=lines)
        responses = [dict(item) for item in answer["responses"]]
        for item in responses:
            raise_item_error(action, item)
        return responses

    def export(self, kind: SearchKind, filters: LetterFilters, order: SortOrder) -> Scan:
        """Every match of ``filters``, in ``order``, from one point in time."""
        _, body = build_search_body(
            kind, filters, PageRequest(order, SCAN_PAGE_SIZE), facets=False, highlight=False
        )
        return self.walk(kind.index(self.targets), body)

    def walk(self, index: str, body: dict[str, Any]) -> Scan:
        """Every document of ``index`` matching ``body`` (``indexer.search.scan.build_scan_body``),
        from one point in time (exports, datasets)."""
        pit = self.open_point_in_time(index)
        try:
            return self._start_scan(None, body, pit=pit)
        except SearchBackendError:
            self.release_point_in_time(pit)
            raise

    def scan(self, index: str, body: dict[str, Any]) -> Scan:
        """Every document of ``index`` matching ``body`` (``indexer.search.scan.build_scan_body``;
        small sets: no point in time)."""
        return self._start_scan(index, body, pit=None)

    def scan_together(self, walks: list[tuple[str, dict[str, Any]]]) -> list[Scan]:
        """``scan`` of several ``(index, body)`` walks whose first pages are read in one
        ``_msearch`` (one round trip for a page made of small sets, such as a thread)."""
        firsts = self._msearch(
            [
                (index, scan_page(body, size=SCAN_PAGE_SIZE, pit=None, after=None))
                for index, body in walks
            ],
            action="reading matches",
        )
        scans = []
        for (index, body), first in zip(walks, firsts, strict=True):
            _complete_or_raise(first)
            scans.append(Scan(self, index, body, pit=None, first=first))
        return scans

    def _start_scan(self, index: str | None, body: dict[str, Any], *, pit: str | None) -> Scan:
        """Read the first page (errors surface before any row) and return the walk."""
        first = self.search(
            index,
            scan_page(body, size=SCAN_PAGE_SIZE, pit=pit, after=None),
            action="reading matches",
        )
        _complete_or_raise(first)
        return Scan(self, index, body, pit=first.get("pit_id", pit), first=first)

    def open_point_in_time(self, index: str) -> str:
        with backend_errors("opening a point in time"):
            return str(self.es.open_point_in_time(index=index, keep_alive=KEEP_ALIVE)["id"])

    def release_point_in_time(self, pit: str) -> None:
        """Close a point in time; a failure is only logged (it expires by itself)."""
        try:
            with backend_errors("closing a point in time"):
                self.es.close_point_in_time(id=pit)
        except SearchBackendError as exc:
            logger.info("point in time not closed (it expires by itself): %s", exc)


class Scan:
    """A walk over every match, page by page with ``search_after``: ``total``, then the hits.

    Made from its first page (read by ``SearchService``). A point in time, when used, is
    released when the walk ends or ``close()`` is called (and expires by itself otherwise).
    """

    def __init__(
        self,
        service: SearchService,
        index: str | None,
        body: dict[str, Any],
        *,
        pit: str | None,
        first: dict[str, Any],
    ) -> None:
        self._service = service
        self._index = index
        self._body = body
        self._pit = pit
        self._first: list[dict[str, Any]] = first["hits"]["hits"]
        self.total = int(first["hits"]["total"]["value"])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        try:
            hits = self._first
            while hits:
                yield from hits
                if len(hits) < SCAN_PAGE_SIZE:
                    break
                hits = self._next_page(after=hits[-1]["sort"])
        finally:
            self.close()

    def _next_page(self, *, after: list[Any]) -> list[dict[str, Any]]:
        page = scan_page(self._body, size=SCAN_PAGE_SIZE, pit=self._pit, after=after)
        response = self._service.search(self._index, page, action="reading matches")
        self._pit = response.get("pit_id", self._pit)
        _complete_or_raise(response)
        return list(response["hits"]["hits"])

    def close(self) -> None:
        """Release the point in time, if any (idempotent)."""
        pit, self._pit = self._pit, None
        if pit is not None:
            self._service.release_point_in_time(pit)


def _complete_or_raise(response: dict[str, Any]) -> None:
    """A walk never goes on past a page some shards could not answer: rows would be missing
    from an export that looks complete."""
    if reasons := partial_reasons(None, response):
        raise SearchBackendError(f"reading matches stopped: {reasons[0]}")
