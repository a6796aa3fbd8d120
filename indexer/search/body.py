"""Search parameters -> Elasticsearch request bodies, and responses -> plain data. Pure.

Bodies are dicts of keyword arguments of ``Elasticsearch.search`` (``query``, ``sort``,
``size``, ``search_after``, ``source``, ``highlight``, ``aggs``, ``track_total_hits``).
The search string goes through ``indexer.search.query`` (forgiving syntax) onto the kind's
fields; the filters become non-scoring ``filter`` clauses on the exact keyword and date fields of
``indexer/schema.py``, which letters and comments share.

Snippets come from the unified highlighter (the text fields are indexed with offsets) with
the ``html`` encoder: the letter text inside a snippet is escaped and only the ``<mark>``
tags are markup, so snippets are safe to insert into a page.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from indexer.search.kinds import SearchKind
from indexer.search.paging import PageRequest
from indexer.search.params import CommentFilters, LetterFilters
from indexer.search.query import ParsedQuery, parse_query
from indexer.search.query_es import to_es_query

__all__ = [
    "HIGHLIGHT_TAGS",
    "all_words",
    "build_search_body",
    "date_range",
    "filter_clauses",
    "offices",
    "query_info",
    "read_facets",
    "read_hit",
    "search_query",
    "terms",
    "with_timeout",
]

HIGHLIGHT_TAGS = ("<mark>", "</mark>")
SNIPPET_CHARS = 160
SNIPPETS_PER_FIELD = 3

Query = dict[str, Any]


def terms(field: str, values: list[Any]) -> list[Query]:
    """A ``terms`` filter on ``field`` (as a list of zero or one clause)."""
    return [{"terms": {field: [str(value) for value in values]}}] if values else []


def date_range(field: str, start: date | None, end: date | None) -> list[Query]:
    """A range filter on a date ``field``, both ends inclusive (zero or one clause)."""
    bounds = {"gte": start, "lte": end}
    present = {key: value.isoformat() for key, value in bounds.items() if value is not None}
    return [{"range": {field: present | {"format": "yyyy-MM-dd"}}}] if present else []


def all_words(field: str, text: str | None) -> list[Query]:
    """A match of every word of ``text`` in a text ``field`` (zero or one clause)."""
    return [{"match": {field: {"query": text, "operator": "and"}}}] if text else []


def _any(clauses: list[Query]) -> list[Query]:
    if not clauses:
        return []
    if len(clauses) == 1:
        return clauses
    return [{"bool": {"should": clauses, "minimum_should_match": 1}}]


def offices(names: list[str]) -> list[Query]:
    """Any of the office ``names``, ignoring case (zero or one clause)."""
    return _any([{"term": {"office": {"value": name, "case_insensitive": True}}} for name in names])


def filter_clauses(filters: LetterFilters) -> list[Query]:
    """The filters as non-scoring clauses (every one must hold; values of one are OR-ed)."""
    clauses = [
        *terms("form", filters.form),
        *terms("letter_type", filters.letter_type),
        *terms("ciks", filters.cik),
        *terms("file_numbers", filters.file_number),
        *terms("sic", filters.sic),
        *terms("state", filters.state),
        *terms("topics", filters.topic),
        *offices(filters.office),
        *all_words("company", filters.company),
        *_any([clause for name in filters.staff for clause in all_words("staff_names", name)]),
        *date_range("letter_date", filters.date_from, filters.date_to),
        *date_range("released_on", filters.released_from, filters.released_to),
    ]
    if isinstance(filters, CommentFilters):
        if filters.has_response is not None:
            clauses.append({"term": {"has_response": filters.has_response}})
        clauses.extend(terms("outcomes", filters.outcome))
    return clauses


def search_query(kind: SearchKind, filters: LetterFilters) -> tuple[ParsedQuery, Query]:
    """The parsed search string and the whole query: search string plus filters."""
    parsed = parse_query(filters.q)
    query: Query = {"bool": {"must": [to_es_query(parsed, fields=kind.fields)]}}
    if clauses := filter_clauses(filters):
        query["bool"]["filter"] = clauses
    return parsed, query


def _highlight(kind: SearchKind) -> dict[str, Any]:
    return {
        "type": "unified",
        "encoder": "html",
        "pre_tags": [HIGHLIGHT_TAGS[0]],
        "post_tags": [HIGHLIGHT_TAGS[1]],
        "fragment_size": SNIPPET_CHARS,
        "number_of_fragments": SNIPPETS_PER_FIELD,
        "fields": {name: {} for name in kind.highlight_fields},
    }


def build_search_body(
    kind: SearchKind,
    filters: LetterFilters,
    page: PageRequest,
    *,
    facets: bool = True,
    highlight: bool = True,
) -> tuple[ParsedQuery, dict[str, Any]]:
    """The parsed search string and the body of one page of ``kind`` (``size + 1`` hits)."""
    parsed, query = search_query(kind, filters)
    body: dict[str, Any] = {
        "query": query,
        "sort": page.order.clauses(),
        "size": page.size + 1,
        "track_total_hits": True,
        "source": list(kind.hit_fields),
    }
    if page.after is not None:
        body["search_after"] = list(page.after)
    if highlight and not parsed.is_empty:
        body["highlight"] = _highlight(kind)
    if facets:
        body["aggs"] = dict(kind.facets)
    return parsed, body


def split_counts(body: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """``body`` as two searches run side by side (one ``_msearch``): the page of hits without
    counting every match, and the exact total with the facets (``size`` 0), which
    Elasticsearch's shard request cache keeps until the index changes, so the next pages of
    a search and repeated searches get their counts from the cache. A body without facets
    stays one search (``None``)."""
    if "aggs" not in body:
        return dict(body), None
    hits = {key: value for key, value in body.items() if key != "aggs"}
    hits["track_total_hits"] = False
    counts = {"query": body["query"], "size": 0, "track_total_hits": True, "aggs": body["aggs"]}
    return hits, counts


def with_timeout(body: Mapping[str, Any], *, seconds: float) -> dict[str, Any]:
    """``body`` stopped by Elasticsearch after ``seconds``, answering with what it found."""
    return {**body, "timeout": f"{round(seconds * 1000)}ms"}


def query_info(parsed: ParsedQuery) -> dict[str, Any]:
    """How the search string was understood: as parsed, what was repaired, what to mark."""
    return {
        "understood": parsed.describe(),
        "warnings": list(parsed.warnings),
        "highlight_terms": list(parsed.highlight_terms()),
    }


def read_hit(kind: SearchKind, hit: Mapping[str, Any]) -> dict[str, Any]:
    """A hit's returned fields, its snippets (``highlights``) and its ``score``."""
    source = hit.get("_source") or {}
    marked = hit.get("highlight") or {}
    return {
        **{name: source.get(name) for name in kind.hit_fields},
        "highlights": [text for name in kind.highlight_fields for text in marked.get(name, ())],
        "score": hit.get("_score"),
    }


def read_facets(
    aggregations: Mapping[str, Any], names: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """Facet buckets as ``{name: [{value, count}]}`` (values as strings)."""
    return {
        name: [
            {"value": str(bucket.get("key_as_string", bucket["key"])), "count": bucket["doc_count"]}
            for bucket in aggregations.get(name, {}).get("buckets", ())
        ]
        for name in names
    }
