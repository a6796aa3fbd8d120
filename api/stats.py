"""Statistics of the letters matching a search: per year, days to close, top topics. Pure.

Two requests. The letters request counts matching letters per year with the reviews
(distinct threads) they belong to, and the top topics. The threads request measures days to
close over the closed reviews: mean (``avg``) and median (``percentiles``) of ``days_open``.

Filters that threads also carry (company, CIK, file number, SIC, state, office, topic) are
applied to threads directly, with the letter-date range read as the review's opening date.
Filters only letters carry (the search string, form, letter type, staff, release dates)
select the reviews through the thread ids of the matching letters, at most
``MAX_REVIEW_IDS`` of them; beyond that the answer says so in ``warnings``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from indexer.search.body import all_words, date_range, offices, search_query, terms
from indexer.search.kinds import LETTERS
from indexer.search.params import LetterFilters

__all__ = [
    "MAX_REVIEW_IDS",
    "build_stats",
    "build_stats_letters_body",
    "build_stats_threads_body",
    "needs_review_ids",
    "read_review_ids",
]

MAX_REVIEW_IDS = 10_000
TOP_TOPICS = 20
_EXACT_COUNT_BELOW = 40_000  # cardinality's largest precision threshold: exact below it


def needs_review_ids(filters: LetterFilters) -> bool:
    """Whether some filter exists on letters only, so reviews are selected by thread id."""
    return bool(
        filters.q.strip()
        or filters.form
        or filters.letter_type
        or filters.staff
        or filters.released_from
        or filters.released_to
    )


def build_stats_letters_body(filters: LetterFilters) -> dict[str, Any]:
    _, query = search_query(LETTERS, filters)
    aggs: dict[str, Any] = {
        "years": {
            "terms": {"field": "year", "size": 500, "order": {"_key": "asc"}},
            "aggs": {
                "reviews": {
                    "cardinality": {
                        "field": "thread_id",
                        "precision_threshold": _EXACT_COUNT_BELOW,
                    }
                }
            },
        },
        "reviews": {
            "cardinality": {"field": "thread_id", "precision_threshold": _EXACT_COUNT_BELOW}
        },
        "topics": {"terms": {"field": "topics", "size": TOP_TOPICS}},
    }
    if needs_review_ids(filters):
        aggs["review_ids"] = {"terms": {"field": "thread_id", "size": MAX_REVIEW_IDS}}
    return {"query": query, "size": 0, "track_total_hits": True, "aggs": aggs}


def read_review_ids(letters: Mapping[str, Any]) -> tuple[list[str], bool]:
    """The thread ids of the matching letters, and whether some were left out."""
    agg = letters.get("aggregations", {}).get("review_ids", {})
    ids = [str(bucket["key"]) for bucket in agg.get("buckets", ())]
    return ids, bool(agg.get("sum_other_doc_count"))


def build_stats_threads_body(
    filters: LetterFilters, *, review_ids: list[str] | None
) -> dict[str, Any]:
    """Days to close over the closed reviews selected by ``filters`` (and ``review_ids``)."""
    clauses: list[dict[str, Any]] = [
        {"term": {"status": "closed"}},
        *terms("ciks", filters.cik),
        *terms("file_numbers", filters.file_number),
        *terms("sic", filters.sic),
        *terms("state", filters.state),
        *terms("topics", filters.topic),
        *offices(filters.office),
        *all_words("company", filters.company),
        *date_range("opened_on", filters.date_from, filters.date_to),
    ]
    if review_ids is not None:
        clauses.append({"terms": {"thread_id": review_ids}} if review_ids else {"match_none": {}})
    return {
        "query": {"bool": {"filter": clauses}},
        "size": 0,
        "track_total_hits": True,
        "aggs": {
            "mean": {"avg": {"field": "days_open"}},
            "median": {"percentiles": {"field": "days_open", "percents": [50]}},
        },
    }


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
    }
