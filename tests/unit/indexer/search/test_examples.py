"""The search behind ``corresp run``'s example queries. Pure."""

from __future__ import annotations

from indexer.search.examples import EXAMPLE_PHRASE, build_examples_body, read_example_values


def test_examples_come_from_letters_with_the_phrase() -> None:
    body = build_examples_body()
    assert body["query"] == {"match_phrase": {"text": EXAMPLE_PHRASE}}
    assert body["size"] == 0
    answer = {
        "hits": {"total": {"value": 7}},
        "aggregations": {
            "file": {"buckets": [{"key": "001-32373", "doc_count": 3}]},
            "cik": {"buckets": [{"key": "0001300514", "doc_count": 3}]},
        },
    }
    assert read_example_values(answer) == ("001-32373", "0001300514")
    assert read_example_values({"hits": {"total": {"value": 0}}}) is None
