"""``GET /threads`` (reviews, newest first, filtered and paged) and ``GET /threads/{id}``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import ServiceDep, SettingsDep, page_request
from api.errors import NotFoundError
from api.reviews import build_thread_view
from api.schemas import ThreadDetail, ThreadList
from indexer.models import LetterId
from indexer.search.kinds import THREAD_ORDER
from indexer.search.paging import next_cursor
from indexer.search.params import ThreadListParams
from indexer.search.reviews import (
    build_thread_list_body,
    read_thread_summary,
    thread_comments_body,
    thread_document_body,
    thread_letters_body,
)

__all__ = ["router"]

router = APIRouter(tags=["threads"])


@router.get("/threads", response_model=ThreadList)
def list_threads(
    params: Annotated[ThreadListParams, Query()], service: ServiceDep, settings: SettingsDep
) -> dict[str, Any]:
    """Reviews, newest first, by company, file number, status, dates, rounds or form."""
    page = page_request(THREAD_ORDER, size=params.size, cursor=params.cursor, api=settings.api)
    response = service.search(
        service.targets.threads, build_thread_list_body(params, page), action="listing threads"
    )
    hits = response["hits"]["hits"]
    return {
        "total": response["hits"]["total"]["value"],
        "hits": [read_thread_summary(hit["_source"]) for hit in hits[: page.size]],
        "next_cursor": next_cursor(page, hits),
    }


@router.get("/threads/{thread_id}", response_model=ThreadDetail)
def get_thread(
    thread_id: Annotated[LetterId, Path(description="The accession of its first letter.")],
    service: ServiceDep,
) -> dict[str, Any]:
    """A review: its letters in order, and each staff comment beside the company's answer."""
    # The thread, its letters and its comments in one round trip (one ``_msearch``).
    threads, letters, comments = service.scan_together(
        [
            (service.targets.threads, thread_document_body(thread_id)),
            (service.targets.letters, thread_letters_body(thread_id)),
            (service.targets.comments, thread_comments_body(thread_id)),
        ]
    )
    thread = next((hit["_source"] for hit in threads), None)
    if thread is None:
        raise NotFoundError(f"no thread {thread_id}", parameter="thread_id")
    return build_thread_view(
        thread, [hit["_source"] for hit in letters], [hit["_source"] for hit in comments]
    )
