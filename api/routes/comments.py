"""``GET /comments/{comment_id}/similar``: the same question asked of other companies."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import ServiceDep, SettingsDep, page_size
from api.errors import NotFoundError
from api.schemas import SimilarComments
from api.search import SearchService
from indexer.search.params import CommentId, SimilarParams
from indexer.search.similar import SIMILAR_FIELDS, build_similar_body, like_text

__all__ = ["find_similar", "router"]

router = APIRouter(tags=["comments"])


@router.get("/comments/{comment_id}/similar", response_model=SimilarComments)
def similar_comments(
    comment_id: Annotated[CommentId, Path(description="{accession}-{number}")],
    params: Annotated[SimilarParams, Query()],
    service: ServiceDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    """The staff comments most like this one sent to other companies, with their answers
    and how each company answered (outcomes, with the sentence that shows each)."""
    return find_similar(comment_id, page_size(params.size, settings.api), service)


def find_similar(comment_id: str, size: int, service: SearchService) -> dict[str, Any]:
    """The comment and the ``size`` most similar comments of other companies; raises
    ``NotFoundError`` for an unknown comment."""
    comment = service.get(service.targets.comments, comment_id)
    if comment is None:
        raise NotFoundError(f"no comment {comment_id}", parameter="comment_id")
    hits: list[dict[str, Any]] = []
    if like_text(comment):
        response = service.search(
            service.targets.comments,
            build_similar_body(comment, size=size),
            action="finding similar comments",
        )
        hits = [{**hit["_source"], "score": hit.get("_score")} for hit in response["hits"]["hits"]]
    return {"comment": {key: comment.get(key) for key in SIMILAR_FIELDS}, "hits": hits}
