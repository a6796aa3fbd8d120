"""The statistics page's figures beyond ``GET /stats``: how long reviews take. Pure.

``/stats`` measures the mean and median days to close; the page also shows how closing
times are spread (closed reviews per range of days) and the median per year a review
opened. Both are extra aggregations on the same request ``/stats`` sends to the threads
index (``api.stats.build_stats_threads_body``), so they count exactly the reviews it does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["DAY_RANGES", "add_duration_aggs", "read_durations"]

DAY_RANGES: tuple[tuple[str, int | None, int | None], ...] = (
    ("≤ 30", None, 31),
    ("31–60", 31, 61),
    ("61–90", 61, 91),
    ("91–180", 91, 181),
    ("181–365", 181, 366),
    ("> 365", 366, None),
)
"""Labels and bounds (``from`` inclusive, ``to`` exclusive) of the days-to-close ranges."""


def add_duration_aggs(body: Mapping[str, Any]) -> dict[str, Any]:
    """The threads request of ``/stats`` with the spread and the median per year added."""
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


def read_durations(threads: Mapping[str, Any]) -> dict[str, Any]:
    """``{"spread": [(label, reviews)], "per_year": [{year, reviews, median}]}``."""
    aggs = threads.get("aggregations", {})
    counts = {b.get("key"): int(b["doc_count"]) for b in aggs.get("spread", {}).get("buckets", ())}
    per_year = []
    for bucket in aggs.get("per_year", {}).get("buckets", ()):
        median = (bucket.get("median", {}).get("values") or {}).get("50.0")
        per_year.append(
            {
                "year": str(bucket.get("key_as_string", bucket["key"])),
                "reviews": int(bucket["doc_count"]),
                "median": round(float(median), 1) if median is not None else None,
            }
        )
    return {
        "spread": [(label, counts.get(label, 0)) for label, _, _ in DAY_RANGES],
        "per_year": per_year,
    }
