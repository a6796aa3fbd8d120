"""``GET /stats``: letters and reviews per year, days to close, top topics of a search."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import ServiceDep
from api.schemas import StatsResponse
from api.stats import (
    build_stats,
    build_stats_letters_body,
    build_stats_threads_body,
    needs_review_ids,
    read_review_ids,
)
from indexer.search.params import LetterFilters

__all__ = ["router"]

router = APIRouter(tags=["stats"])


@router.get("/stats", response_model=StatsResponse)
def get_stats(params: Annotated[LetterFilters, Query()], service: ServiceDep) -> dict[str, Any]:
    """Statistics of the letters matching the same search string and filters as /search."""
    letters = service.search(
        service.targets.letters,
        build_stats_letters_body(params),
        action="counting letters",
        limited=True,
    )
    review_ids, truncated = read_review_ids(letters) if needs_review_ids(params) else (None, False)
    threads = service.search(
        service.targets.threads,
        build_stats_threads_body(params, review_ids=review_ids),
        action="measuring days to close",
    )
    return build_stats(
        letters, threads, ids_truncated=truncated, notes=service.stopped_notes(letters, threads)
    )
