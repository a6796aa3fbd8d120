"""Statistics of the letters matching a search: the answer of ``GET /stats``. Pure.

``build_stats`` reads the answers to the two requests of ``indexer/search/stats.py``: matching
letters and reviews per year and the top topics from the letters request, days to close (mean
and median) from the threads request. When the reviews were selected by the thread ids of more
than ``MAX_REVIEW_IDS`` matching letters, the answer says so in ``warnings``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from indexer.search.stats import MAX_REVIEW_IDS

__all__ = ["build_stats"]


def _rounded(value: Any) -> float | None:
    return round(float(value), 1) if value is not None else None


def build_stats(
    letters: Mapping[str, Any],
    threads: Mapping[str, Any],
    *,
    ids_truncated: bool,
    notes: Sequence[str] = (),
) -> dict[str, Any]:
    """The statistics answer; ``notes`` are further warnings (a search stopped early)."""
    aggs = letters.get("aggregations", {})
    closing = threads.get("aggregations", {})
    median = (closing.get("median", {}).get("values") or {}).get("50.0")
    warnings = list(notes)
    if ids_truncated:
        warnings.append(
            f"days to close are measured over the {MAX_REVIEW_IDS:,} reviews with the most "
            "matching letters"
        )
    return {
        "letters": int(letters["hits"]["total"]["value"]),
        "reviews": int(aggs.get("reviews", {}).get("value", 0)),
        "years": [
            {
                "year": int(bucket["key"]),
                "letters": bucket["doc_count"],
                "reviews": int(bucket["reviews"]["value"]),
            }
            for bucket in aggs.get("years", {}).get("buckets", ())
        ],
        "days_to_close": {
            "closed_reviews": int(threads["hits"]["total"]["value"]),
            "mean": _rounded(closing.get("mean", {}).get("value")),
            "median": _rounded(median),
        },
        "top_topics": [
            {"value": str(bucket["key"]), "count": bucket["doc_count"]}
            for bucket in aggs.get("topics", {}).get("buckets", ())
        ],
        "warnings": warnings,
        "partial": bool(notes),
        "partial_reason": "; ".join(notes) or None,
    }
