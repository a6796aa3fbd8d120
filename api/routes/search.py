"""``GET /search`` (letters) and ``GET /comments/search``: one machinery, two kinds.

Both answer a page of hits with snippets, facet counts over every match, the exact total and
the cursor of the next page; what differs (index, fields, facets, tie-breaker) is described
by the ``SearchKind`` in ``indexer/search/kinds.py``. A search stopped at
``api.search_timeout_seconds`` (an expensive search string) answers with what it found and
says so in ``query.warnings``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import ServiceDep, SettingsDep, page_request
from api.schemas import CommentHit, LetterHit, SearchResults
from api.search import SearchService
from indexer.search.body import query_info
from indexer.search.kinds import COMMENTS, LETTERS, SearchKind
from indexer.search.params import CommentSearchParams, LetterSearchParams
from indexer.settings import Settings

__all__ = ["router", "run_search"]

router = APIRouter(tags=["search"])


def run_search(
    kind: SearchKind,
    params: LetterSearchParams | CommentSearchParams,
    *,
    service: SearchService,
    settings: Settings,
) -> dict[str, Any]:
    """One page of ``kind``: hits, facets, total, next cursor and the query understood."""
    order = kind.order(params.sort, has_query=bool(params.q.strip()))
    page = page_request(order, size=params.size, cursor=params.cursor, api=settings.api)
    result = service.find(kind, params, page, snippets=params.snippets)
    query = query_info(result.query)
    query["warnings"].extend(result.partial)
    return {
        "total": result.total,
        "hits": result.hits,
        "facets": result.facets,
        "next_cursor": result.next_cursor,
        "query": query,
        "partial": not result.complete,
        "partial_reason": "; ".join(result.partial) or None,
    }


@router.get("/search", response_model=SearchResults[LetterHit])
def search_letters(
    params: Annotated[LetterSearchParams, Query()], service: ServiceDep, settings: SettingsDep
) -> dict[str, Any]:
    """Letters matching a search string and filters, with snippets and facets."""
    return run_search(LETTERS, params, service=service, settings=settings)


@router.get("/comments/search", response_model=SearchResults[CommentHit])
def search_comments(
    params: Annotated[CommentSearchParams, Query()], service: ServiceDep, settings: SettingsDep
) -> dict[str, Any]:
    """Individual staff comments (with the company's answers) matching a search."""
    return run_search(COMMENTS, params, service=service, settings=settings)
