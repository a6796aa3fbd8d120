"""Statistics of the letters matching a search: the bodies of its two requests. Pure.

The letters request counts matching letters per year with the reviews (distinct threads) they
belong to, and the top topics. The threads request measures days to close over the closed
reviews: mean (``avg``) and median (``percentiles``) of ``days_open``; the statistics page
adds how closing times are spread and the median per year a review opened
(``add_duration_aggs``), so its figures count exactly the same reviews.

Filters that threads also carry (company, CIK, file number, SIC, state, office, topic) are
applied to threads directly, with the letter-date range read as the review's opening date.
Filters only letters carry (the search string, form, letter type, staff, release dates)
select the reviews through the thread ids of the matching letters (``read_review_ids``), at
most ``MAX_REVIEW_IDS`` of them.

The answers request reads the staff comments of the matching letters that the companies
answered (the same search string and filters, on the comments index): how many got each
outcome, and the share of ``no_change`` answers per topic and per year.

The answers are read in ``api/stats.py`` and ``api/web/statistics.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from indexer.search.body import all_words, date_range, offices, search_query, terms
from indexer.search.kinds import COMMENTS, LETTERS
from indexer.search.params import LetterFilters

__all__ = [
    "DAY_RANGES",
    "MAX_REVIEW_IDS",
    "TOP_TOPICS",
    "add_duration_aggs",
    "build_stats_answers_body",
    "build_stats_letters_body",
    "build_stats_threads_body",
    "needs_review_ids",
    "read_review_ids",
]

MAX_REVIEW_IDS = 10_000
TOP_TOPICS = 20
_EXACT_COUNT_BELOW = 40_000  # cardinality's largest precision threshold: exact below it

DAY_RANGES: tuple[tuple[str, int | None, int | None], ...] = (
    ("≤ 30", None, 31),
    ("31–60", 31, 61),
    ("61–90", 61, 91),
    ("91–180", 91, 181),
    ("181–365", 181, 366),
    ("> 365", 366, None),
)
"""Labels and bounds (``from`` inclusive, ``to`` exclusive) of the days-to-close ranges."""


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
    """Matching letters per year with their reviews, all reviews, top topics (and the
    thread ids of the matching letters when ``needs_review_ids``)."""
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


def build_stats_answers_body(filters: LetterFilters) -> dict[str, Any]:
    """The answered comments of the matching letters: outcomes, and ``no_change`` answers
    per topic and per year."""
    _, query = search_query(COMMENTS, filters)
    query["bool"].setdefault("filter", []).append({"term": {"has_response": True}})
    declined = {"no_change": {"filter": {"term": {"outcomes": "no_change"}}}}
    return {
        "query": query,
        "size": 0,
        "track_total_hits": True,
        "aggs": {
            "outcomes": {"terms": {"field": "outcomes", "size": 20}},
            "by_topic": {"terms": {"field": "topics", "size": TOP_TOPICS}, "aggs": declined},
            "by_year": {
                "terms": {"field": "year", "size": 500, "order": {"_key": "asc"}},
                "aggs": declined,
            },
        },
    }


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


def add_duration_aggs(body: Mapping[str, Any]) -> dict[str, Any]:
    """The threads request with the spread (``DAY_RANGES``) and the median per year added."""
    ranges = []
    for label, low, high in DAY_RANGES:
        bounds = {"from": low, "to": high}
        ranges.append({"key": label, **{k: v for k, v in bounds.items() if v is not None}})
    aggs = {
        **body.get("aggs", {}),
        "spread": {"range": {"field": "days_open", "keyed": False, "ranges": ranges}},
        "per_year": {
            "date_histogram": {
                "field": "opened_on",
                "calendar_interval": "year",
                "format": "yyyy",
                "min_doc_count": 1,
            },
            "aggs": {"median": {"percentiles": {"field": "days_open", "percents": [50]}}},
        },
    }
    return {**body, "aggs": aggs}
