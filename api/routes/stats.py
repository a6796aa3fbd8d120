"""``GET /stats``: letters and reviews per year, days to close, top topics of a search."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import ServiceDep
from api.schemas import StatsResponse
from api.search import SearchService
from api.stats import build_stats
from indexer.search.params import LetterFilters
from indexer.search.stats import (
    build_stats_answers_body,
    build_stats_letters_body,
    build_stats_threads_body,
    needs_review_ids,
    read_review_ids,
)

__all__ = ["router", "run_stats"]

router = APIRouter(tags=["stats"])


def run_stats(
    filters: LetterFilters,
    service: SearchService,
    *,
    threads_body: Callable[[dict[str, Any]], dict[str, Any]] = dict,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The statistics of the letters matching ``filters``, and the threads answer they came
    from; ``threads_body`` may add to the threads request (the page's extra figures)."""
    letters = service.search(
        service.targets.letters,
        build_stats_letters_body(filters),
        action="counting letters",
        limited=True,
    )
    review_ids, truncated = read_review_ids(letters) if needs_review_ids(filters) else (None, False)
    threads = service.search(
        service.targets.threads,
        threads_body(build_stats_threads_body(filters, review_ids=review_ids)),
        action="measuring days to close",
    )
    answers = service.search(
        service.targets.comments,
        build_stats_answers_body(filters),
        action="counting answers",
        limited=True,
    )
    stats = build_stats(
        letters,
        threads,
        answers,
        ids_truncated=truncated,
        notes=service.stopped_notes(letters, threads, answers),
    )
    return stats, threads


@router.get("/stats", response_model=StatsResponse)
def get_stats(params: Annotated[LetterFilters, Query()], service: ServiceDep) -> dict[str, Any]:
    """Statistics of the letters matching the same search string and filters as /search."""
    return run_stats(params, service)[0]
