"""The statistics page's figures beyond ``GET /stats``: how long reviews take. Pure.

``/stats`` measures the mean and median days to close; the page also shows how closing
times are spread (closed reviews per range of days) and the median per year a review
opened. Both are extra aggregations on the same request ``/stats`` sends to the threads
index (``indexer.search.stats.add_duration_aggs``), so they count exactly the reviews it
does; ``read_durations`` reads them from the answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from indexer.search.stats import DAY_RANGES

__all__ = ["read_durations"]


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
