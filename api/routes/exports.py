"""``GET /export``: every match of a search, streamed as CSV or JSON Lines.

The rows come from one point in time in pages of 1,000 (``SearchService.export``), so
there is no result cap and the row count equals the total counted at the start, which is
sent first as ``X-Total-Count``. A failing cluster is a 503 before the first byte.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from api.deps import ServiceDep
from api.errors import BadRequestError
from api.export import MEDIA_TYPES, export_chunks
from indexer.search.kinds import KINDS
from indexer.search.params import ExportParams

__all__ = ["router"]

router = APIRouter(tags=["export"])


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Every match: CSV (header line first) or JSON Lines. "
            "X-Total-Count holds the number of rows.",
            "content": {"text/csv": {}, "application/x-ndjson": {}},
        }
    },
)
def export(params: Annotated[ExportParams, Query()], service: ServiceDep) -> StreamingResponse:
    """Stream every letter (or comment) matching a /search-style query."""
    kind = KINDS[params.kind]
    if kind.name != "comments" and params.has_response is not None:
        raise BadRequestError(
            "has_response: applies to comments only (kind=comments)", parameter="has_response"
        )
    order = kind.order(params.sort, has_query=bool(params.q.strip()))
    scan = service.export(kind, params, order)
    rows = (hit["_source"] for hit in scan)
    return StreamingResponse(
        export_chunks(kind.export_columns, rows, params.format),
        media_type=MEDIA_TYPES[params.format],
        headers={
            "X-Total-Count": str(scan.total),
            "Content-Disposition": f'attachment; filename="corresp-{kind.name}.{params.format}"',
        },
        background=BackgroundTask(scan.close),
    )
