"""Cursors: opaque, url-safe, bound to their sort order, validated on the way in."""

from __future__ import annotations

import base64
import json

import pytest

from indexer.search.cursor import MAX_CURSOR_CHARS, CursorError, decode_cursor, encode_cursor
from indexer.search.paging import (
    PageRequest,
    SortKey,
    SortOrder,
    next_cursor,
    resolve_page,
    resolve_size,
)

ORDER = SortOrder(
    "letters",
    "date",
    (SortKey("letter_date", descending=True, kind="number"), SortKey("accession", False, "string")),
)


def _raw(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "values",
    [
        [1653523200000, "0000000000-22-005802"],
        [-9223372036854775808, "a"],  # a missing date sorts with Long.MIN_VALUE
        [12.345678901234567, "é/?&="],
    ],
)
def test_cursor_round_trip_is_url_safe(values: list) -> None:
    cursor = encode_cursor("letters:date", values)
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert decode_cursor(cursor, order="letters:date", kinds=("number", "string")) == values


@pytest.mark.parametrize(
    ("cursor", "reason"),
    [
        ("", "length"),
        ("x" * (MAX_CURSOR_CHARS + 1), "length"),
        ("!!!", "undecodable"),
        ("bm90IGpzb24", "undecodable"),  # "not json"
        (_raw({"order": "letters:date"}), "structure"),
        (_raw(["letters:date"]), "structure"),
        (_raw([1, [1, "a"]]), "structure"),
        (_raw(["letters:date", [1]]), "values"),
        (_raw(["letters:date", ["1", "a"]]), "values"),
        (_raw(["letters:date", [True, "a"]]), "values"),
        (_raw(["letters:date", [1, None]]), "values"),
        (_raw(["letters:date", [2**63, "a"]]), "values"),
        (_raw(["letters:date", [-(2**63) - 1, "a"]]), "values"),
        (base64.urlsafe_b64encode(b'["letters:date", [NaN, "a"]]').decode(), "undecodable"),
        (base64.urlsafe_b64encode(b'["letters:date", [Infinity, "a"]]').decode(), "undecodable"),
        (_raw(["letters:relevance", [1, "a"]]), "belongs to sort order 'letters:relevance'"),
    ],
)
def test_bad_cursors_are_refused_with_a_reason(cursor: str, reason: str) -> None:
    with pytest.raises(CursorError, match=reason):
        decode_cursor(cursor, order="letters:date", kinds=("number", "string"))


def test_sort_order_clauses_end_with_the_tie_breaker() -> None:
    assert ORDER.clauses() == [
        {"letter_date": {"order": "desc", "missing": "_last"}},
        {"accession": {"order": "asc", "missing": "_last"}},
    ]
    relevance = SortOrder("x", "relevance", (SortKey("_score", True, "number"),))
    assert relevance.clauses() == [{"_score": {"order": "desc"}}]


@pytest.mark.parametrize(("size", "expected"), [(None, 20), (1, 1), (100, 100)])
def test_resolve_size(size: int | None, expected: int) -> None:
    assert resolve_size(size, default=20, maximum=100) == expected


@pytest.mark.parametrize("size", [0, -1, 101, 10**30])
def test_resolve_size_refuses_out_of_range(size: int) -> None:
    with pytest.raises(ValueError, match="between 1 and 100"):
        resolve_size(size, default=20, maximum=100)


def test_resolve_page_decodes_the_cursor_of_its_order() -> None:
    assert resolve_page(ORDER, size=5, cursor=None) == PageRequest(ORDER, 5, None)
    cursor = ORDER.encode([7, "b"])
    assert resolve_page(ORDER, size=5, cursor=cursor).after == [7, "b"]
    other = SortOrder("comments", "date", ORDER.keys)
    with pytest.raises(CursorError):
        resolve_page(other, size=5, cursor=cursor)


def test_next_cursor_only_when_the_extra_hit_came_back() -> None:
    page = PageRequest(ORDER, 2)
    hits = [{"sort": [3, "a"]}, {"sort": [2, "b"]}, {"sort": [1, "c"]}]
    assert next_cursor(page, hits[:2]) is None  # exactly a page: the end
    cursor = next_cursor(page, hits)
    assert cursor is not None
    assert ORDER.decode(cursor) == [2, "b"]  # after the last hit shown, not the extra one
