"""Sort orders and cursor paging with ``search_after``. Pure.

Every sort order ends with a unique tie-breaker (the accession, comment id or thread id), so
the sort values of a page's last hit name a position exactly and ``search_after`` walks any
number of results without gaps, duplicates or a result-window cap. A page is fetched with
one extra hit: when it comes back, there is a next page, and ``next_cursor`` is made from the
last hit shown; otherwise ``next_cursor`` is ``None``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from indexer.search.cursor import SortValue, ValueKind, decode_cursor, encode_cursor

__all__ = ["PageRequest", "SortKey", "SortOrder", "next_cursor", "resolve_page", "resolve_size"]


@dataclass(frozen=True, slots=True)
class SortKey:
    """One key of a sort order."""

    field: str
    descending: bool
    kind: ValueKind

    def clause(self) -> dict[str, Any]:
        if self.field == "_score":
            return {"_score": {"order": "desc" if self.descending else "asc"}}
        return {self.field: {"order": "desc" if self.descending else "asc", "missing": "_last"}}


@dataclass(frozen=True, slots=True)
class SortOrder:
    """A named sort order; ``scope`` keeps cursors of different endpoints apart."""

    scope: str
    name: str
    keys: tuple[SortKey, ...]

    @property
    def cursor_name(self) -> str:
        return f"{self.scope}:{self.name}"

    def clauses(self) -> list[dict[str, Any]]:
        return [key.clause() for key in self.keys]

    def decode(self, cursor: str) -> list[SortValue]:
        """The ``search_after`` values of ``cursor``; raises ``CursorError``."""
        return decode_cursor(
            cursor, order=self.cursor_name, kinds=tuple(key.kind for key in self.keys)
        )

    def encode(self, values: Sequence[SortValue]) -> str:
        return encode_cursor(self.cursor_name, values)


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Where a page starts, how it is sorted and how long it is."""

    order: SortOrder
    size: int
    after: list[SortValue] | None = None


def resolve_size(size: int | None, *, default: int, maximum: int) -> int:
    """The page size to use; raises ``ValueError`` beyond ``maximum``."""
    if size is None:
        return default
    if not 1 <= size <= maximum:
        raise ValueError(f"must be between 1 and {maximum}")
    return size


def resolve_page(order: SortOrder, *, size: int, cursor: str | None) -> PageRequest:
    """The page to fetch; raises ``CursorError`` for a cursor not made for ``order``."""
    return PageRequest(order, size, order.decode(cursor) if cursor else None)


def next_cursor(page: PageRequest, hits: Sequence[dict[str, Any]]) -> str | None:
    """The cursor after the page, given the ``size + 1`` hits fetched for it."""
    if len(hits) <= page.size:
        return None
    return page.order.encode(hits[page.size - 1]["sort"])
