"""The searchable kinds name only fields that exist, with the types their use needs."""

from __future__ import annotations

from typing import Any

import pytest

from indexer.schema import index_template
from indexer.search.kinds import COMMENTS, KINDS, LETTERS, THREAD_ORDER, SearchKind
from indexer.search.reviews import THREAD_COMMENT_FIELDS, THREAD_SUMMARY_FIELDS
from indexer.search.similar import SIMILAR_FIELDS


def _fields(kind: str) -> dict[str, dict[str, Any]]:
    """Every field of the index mapping, sub-fields as ``a.b``, with its definition."""
    found: dict[str, dict[str, Any]] = {}

    def walk(properties: dict[str, Any], prefix: str) -> None:
        for name, spec in properties.items():
            found[prefix + name] = spec
            walk(spec.get("properties", {}), f"{prefix}{name}.")
            walk(spec.get("fields", {}), f"{prefix}{name}.")

    # The rich mapping: the core one plus the ``*.english`` sub-fields searches may name.
    mappings = index_template(kind, pattern="x-*", rich=True)["template"]["mappings"]
    walk(mappings["properties"], "")
    return found


@pytest.mark.parametrize("kind", [LETTERS, COMMENTS], ids=lambda kind: kind.name)
def test_search_fields_exist_with_the_right_types(kind: SearchKind) -> None:
    fields = _fields(kind.name)
    for name in (*kind.fields.text_fields, *kind.highlight_fields):
        assert fields[name]["type"] == "text", name
    for prefix, spec in kind.fields.prefixes.items():
        assert fields[spec.field]["type"] == spec.kind, prefix
    for name in kind.hit_fields + kind.export_columns:
        assert name in fields, name
    for facet in kind.facets.values():
        (agg,) = facet.values()
        assert fields[agg["field"]]["type"] in ("keyword", "integer", "boolean")
    for order in kind.orders.values():
        for key in order.keys:
            assert key.field == "_score" or fields[key.field]["type"] in ("date", "keyword")
    assert KINDS[kind.name] is kind


def test_other_views_name_existing_fields() -> None:
    threads, comments = _fields("threads"), _fields("comments")
    assert set(THREAD_SUMMARY_FIELDS) <= set(threads)
    assert {key.field for key in THREAD_ORDER.keys} <= set(threads)
    assert set(THREAD_COMMENT_FIELDS) <= set(comments)
    assert set(SIMILAR_FIELDS) <= set(comments)


def test_default_order_depends_on_the_query() -> None:
    assert LETTERS.order(None, has_query=True).name == "relevance"
    assert LETTERS.order(None, has_query=False).name == "date"
    assert LETTERS.order("date_asc", has_query=True).name == "date_asc"
    assert LETTERS.order("date", has_query=False).cursor_name == "letters:date"
    assert COMMENTS.order("date", has_query=False).cursor_name == "comments:date"
