"""The search behind the example queries ``corresp run`` prints: its body and answer. Pure.

Letters containing ``EXAMPLE_PHRASE`` (staff closing a review) are common in every corpus; the
same request reads one file number and one CIK among them, so the printed examples of a
filter return results from whatever is indexed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["EXAMPLE_PHRASE", "build_examples_body", "read_example_values"]

EXAMPLE_PHRASE = "completed our review"


def build_examples_body() -> dict[str, Any]:
    """Letters with ``EXAMPLE_PHRASE``: a count and the most frequent file number and CIK."""
    return {
        "size": 0,
        "aggs": {
            "file": {"terms": {"field": "file_numbers", "size": 1}},
            "cik": {"terms": {"field": "ciks", "size": 1}},
        },
        "query": {"match_phrase": {"text": EXAMPLE_PHRASE}},
    }


def read_example_values(response: Mapping[str, Any]) -> tuple[str, str] | None:
    """``(file number, CIK)`` from the answer to ``build_examples_body``; ``None`` when no
    letter matched."""
    if not response["hits"]["total"]["value"]:
        return None
    aggregations = response["aggregations"]
    return aggregations["file"]["buckets"][0]["key"], aggregations["cik"]["buckets"][0]["key"]
