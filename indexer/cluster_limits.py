"""Which cluster limit an Elasticsearch error names, and what the asker should narrow. Pure.

Some requests fail not because the cluster is unwell but because they ask for more than it
allows: an aggregation that would build more buckets than ``search.max_buckets``, a search
string that expands to more clauses than ``indices.query.bool.max_clause_count``, a walk
whose point in time expired between two pages, a page beyond ``index.max_result_window``.
``limit_message`` recognises them in an error body (its ``root_cause``, ``caused_by`` chain
and ``failed_shards``) and says in one sentence what was exceeded and what to narrow;
``indexer.es_client.backend_errors`` raises them as ``QueryLimitError`` (a 400 in the API,
a message on the command line), never as an unavailable cluster and never as a partial
answer presented as complete.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from indexer.search.scan import KEEP_ALIVE

__all__ = ["limit_message"]

_NUMBER = re.compile(r"\[(\d+)\]|(\d{3,})")
_MAX_DEPTH = 8

_MESSAGES: Mapping[str, str] = {
    "too_many_buckets_exception": (
        "the answer needs more aggregation buckets than the cluster allows "
        "(search.max_buckets{limit}): narrow the query (a shorter date range, a company, "
        "form or topic filter) or ask for fewer facets"
    ),
    "too_many_clauses": (
        "the search string expands to more clauses than the cluster allows "
        "(indices.query.bool.max_clause_count{limit}): use fewer terms, wildcards or "
        "prefixes in q"
    ),
    "too_many_nested_clauses": (
        "the search string nests more clauses than the cluster allows "
        "(indices.query.bool.max_nested_depth{limit}): simplify q"
    ),
    "search_context_missing_exception": (
        "the point in time of this walk expired before its next page was read (it is kept "
        "{keep_alive} between pages): start again, narrower (filters) if it is long, and "
        "read it without pausing"
    ),
}


def limit_message(body: Any) -> str | None:
    """What limit ``body`` (an Elasticsearch error body) names and what to narrow, or
    ``None`` when it is another kind of error."""
    for kind, reason in _causes(body):
        template = _MESSAGES.get(kind)
        if template is None and kind == "illegal_argument_exception":
            if "Result window is too large" in reason:
                return (
                    "the page starts beyond what the cluster serves "
                    f"(index.max_result_window{_limit(reason)}): follow next_cursor instead "
                    "of a far page, or narrow the query"
                )
            continue
        if template is not None:
            return template.format(limit=_limit(reason), keep_alive=KEEP_ALIVE)
    return None


def _limit(reason: str) -> str:
    match = _NUMBER.search(reason)
    number = match.group(1) or match.group(2) if match else None
    return f" = {int(number):,}" if number else ""


def _causes(body: Any, depth: int = 0) -> Iterator[tuple[str, str]]:
    """``(type, reason)`` of every error in ``body``, outermost first."""
    if depth > _MAX_DEPTH or not isinstance(body, Mapping):
        return
    error = body.get("error", body)
    if not isinstance(error, Mapping):
        return
    if isinstance(error.get("type"), str):
        yield error["type"], str(error.get("reason") or "")
    for cause in error.get("root_cause") or []:
        yield from _causes(cause, depth + 1)
    if isinstance(error.get("caused_by"), Mapping):
        yield from _causes(error["caused_by"], depth + 1)
    for failure in error.get("failed_shards") or []:
        if isinstance(failure, Mapping):
            yield from _causes(failure.get("reason"), depth + 1)
