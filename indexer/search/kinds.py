"""What can be searched: letters and comments, described as data for one shared machinery.

A ``SearchKind`` names everything that differs between the two searchable indices: the
alias, where the search string looks (``LETTER_FIELDS`` and ``COMMENT_FIELDS`` of
``indexer.search.query_es``, over the fields of ``indexer/schema.py``), what is highlighted,
the facets, the sort orders and their unique tie-breaker, the fields a hit returns and the
columns of an export. The query building, paging, highlighting and export code is written
once against this description.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from indexer.names import Targets
from indexer.search.paging import SortKey, SortOrder
from indexer.search.query_es import COMMENT_FIELDS, COMMENT_TEXT_FIELDS, LETTER_FIELDS, FieldMap

__all__ = ["COMMENTS", "COMMENT_BASE_FIELDS", "KINDS", "LETTERS", "THREAD_ORDER", "SearchKind"]


def _terms(field_name: str, size: int) -> dict[str, Any]:
    return {"terms": {"field": field_name, "size": size}}


_FACETS: Mapping[str, dict[str, Any]] = MappingProxyType(
    {
        "form": _terms("form", 10),
        "letter_type": _terms("letter_type", 10),
        "year": {"terms": {"field": "year", "size": 100, "order": {"_key": "desc"}}},
        "office": _terms("office", 25),
        "topics": _terms("topics", 25),
        "sic": _terms("sic", 25),
    }
)
_COMMENT_FACETS: Mapping[str, dict[str, Any]] = MappingProxyType(
    {**_FACETS, "outcomes": _terms("outcomes", 10)}
)


def _orders(scope: str, tie_breaker: str) -> Mapping[str, SortOrder]:
    last = SortKey(tie_breaker, descending=False, kind="string")
    return MappingProxyType(
        {
            "relevance": SortOrder(
                scope, "relevance", (SortKey("_score", descending=True, kind="number"), last)
            ),
            "date": SortOrder(
                scope, "date", (SortKey("letter_date", descending=True, kind="number"), last)
            ),
            "date_asc": SortOrder(
                scope, "date_asc", (SortKey("letter_date", descending=False, kind="number"), last)
            ),
        }
    )


@dataclass(frozen=True)
class SearchKind:
    """One searchable index and how it is searched, shown and exported."""

    name: str
    """``letters`` or ``comments``: also the alias kind in ``indexer.names``."""
    fields: FieldMap
    highlight_fields: tuple[str, ...]
    hit_fields: tuple[str, ...]
    """Source fields returned with each hit (and exported as JSON Lines)."""
    export_columns: tuple[str, ...]
    orders: Mapping[str, SortOrder]
    facets: Mapping[str, dict[str, Any]]

    def index(self, targets: Targets) -> str:
        return targets.of(self.name)

    def order(self, sort: str | None, *, has_query: bool) -> SortOrder:
        """The sort order named ``sort``; by default relevance with a query, else date."""
        return self.orders[sort or ("relevance" if has_query else "date")]


_LETTER_COLUMNS = (
    "accession",
    "form",
    "letter_type",
    "company",
    "ciks",
    "letter_date",
    "filing_date",
    "released_on",
    "file_numbers",
    "thread_id",
    "url",
)

LETTERS = SearchKind(
    name="letters",
    fields=LETTER_FIELDS,
    highlight_fields=("text",),
    hit_fields=_LETTER_COLUMNS,
    export_columns=_LETTER_COLUMNS,
    orders=_orders("letters", "accession"),
    facets=_FACETS,
)

COMMENT_BASE_FIELDS = ("comment_id", "accession", "number", *COMMENT_TEXT_FIELDS)
"""The fields every list of a comment's fields starts with: which comment it is, its texts."""

_COMMENT_COLUMNS = (
    *COMMENT_BASE_FIELDS,
    "has_response",
    "response_accession",
    "response_date",
    "form",
    "letter_type",
    "company",
    "ciks",
    "letter_date",
    "released_on",
    "file_numbers",
    "topics",
    "outcomes",
    "thread_id",
    "url",
)

COMMENTS = SearchKind(
    name="comments",
    fields=COMMENT_FIELDS,
    highlight_fields=COMMENT_TEXT_FIELDS,
    hit_fields=_COMMENT_COLUMNS,
    export_columns=_COMMENT_COLUMNS,
    orders=_orders("comments", "comment_id"),
    facets=_COMMENT_FACETS,
)

KINDS: Mapping[str, SearchKind] = MappingProxyType({"letters": LETTERS, "comments": COMMENTS})

THREAD_ORDER = SortOrder(
    "threads",
    "opened",
    (
        SortKey("opened_on", descending=True, kind="number"),
        SortKey("thread_id", descending=False, kind="string"),
    ),
)
"""Threads are listed newest first."""
