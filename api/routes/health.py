"""``GET /health`` (cluster, aliases, document counts, last crawl) and ``GET /metrics``."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from api.deps import MetricsDep, ServiceDep, SettingsDep
from api.health import check_health
from api.metrics import CONTENT_TYPE_LATEST
from api.schemas import HealthResponse
from indexer.data_folder import DataFolder

__all__ = ["router"]

router = APIRouter(tags=["operations"])


@router.get(
    "/health",
    response_model=HealthResponse,
    responses={503: {"model": HealthResponse, "description": "Not healthy; see error."}},
)
def health(service: ServiceDep, settings: SettingsDep) -> JSONResponse:
    """200 when Elasticsearch answers and every alias exists, 503 otherwise."""
    report = check_health(
        service.es,
        service.targets,
        folder=DataFolder(settings.storage.data_dir),
        prefix=settings.elasticsearch.index_prefix,
    )
    body = HealthResponse.model_validate(report).model_dump(mode="json")
    return JSONResponse(body, status_code=report["status"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text."}},
)
def metrics(registry: MetricsDep) -> Response:
    """Requests and latency by route and status, and Elasticsearch errors."""
    return Response(registry.render(), media_type=CONTENT_TYPE_LATEST)
