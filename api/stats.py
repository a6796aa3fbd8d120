"""Statistics of the letters matching a search: the answer of ``GET /stats``. Pure.

``build_stats`` reads the answers to the three requests of ``indexer/search/stats.py``:
matching letters and reviews per year and the top topics from the letters request, days to
close (mean and median) from the threads request, how the companies answered (outcomes,
and the share of ``no_change`` answers per topic and year) from the answers request. When
the reviews were selected by the thread ids of more than ``MAX_REVIEW_IDS`` matching
letters, the answer says so in ``warnings``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from indexer.search.stats import MAX_REVIEW_IDS

__all__ = ["build_stats"]


def _rounded(value: Any) -> float | None:
    return round(float(value), 1) if value is not None else None


def _share(bucket: Mapping[str, Any], key: str) -> dict[str, Any]:
    answered = int(bucket["doc_count"])
    declined = int(bucket.get("no_change", {}).get("doc_count", 0))
    return {
        key: int(bucket["key"]) if key == "year" else str(bucket["key"]),
        "answered": answered,
        "no_change": declined,
        "share": round(declined / answered, 3) if answered else None,
    }


def _answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    aggs = answers.get("aggregations", {})
    return {
        "answered": int(answers.get("hits", {}).get("total", {}).get("value", 0)),
        "outcomes": [
            {"value": str(bucket["key"]), "count": bucket["doc_count"]}
            for bucket in aggs.get("outcomes", {}).get("buckets", ())
        ],
        "no_change_by_topic": [
            _share(b, "topic") for b in aggs.get("by_topic", {}).get("buckets", ())
        ],
        "no_change_by_year": [
            _share(b, "year") for b in aggs.get("by_year", {}).get("buckets", ())
        ],
    }


def build_stats(
    letters: Mapping[str, Any],
    threads: Mapping[str, Any],
    answers: Mapping[str, Any],
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
        "answers": _answers(answers),
        "warnings": warnings,
        "partial": bool(notes),
        "partial_reason": "; ".join(notes) or None,
    }
