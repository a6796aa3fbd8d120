"""Dependencies of the routes: settings, the search service, and page resolution.

The settings and the service live on ``app.state`` (set by ``create_app`` and its lifespan),
never in module globals. ``page_request`` is the seam where paging problems found by the
pure code (``ValueError``, ``CursorError``) become 400s naming the parameter.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.errors import BadRequestError
from api.metrics import Metrics
from api.search import SearchService
from api.watch_service import WatchService
from indexer.search.cursor import CursorError
from indexer.search.paging import PageRequest, SortOrder, resolve_page, resolve_size
from indexer.settings import ApiConfig, Settings

__all__ = [
    "MetricsDep",
    "ServiceDep",
    "SettingsDep",
    "WatchDep",
    "page_request",
    "page_size",
]


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_service(request: Request) -> SearchService:
    service: SearchService = request.app.state.service
    return service


def get_metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


def get_watch(request: Request) -> WatchService:
    """The watchlist service, once its indices exist and config.yaml's watchlists are synced
    (``SearchBackendError``, a 503, while Elasticsearch cannot be reached)."""
    watch: WatchService = request.app.state.watch
    watch.ready()
    return watch


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[SearchService, Depends(get_service)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
WatchDep = Annotated[WatchService, Depends(get_watch)]


def page_size(size: int | None, api: ApiConfig) -> int:
    """The page size to use: the configured default, or ``size`` within the maximum."""
    try:
        return resolve_size(size, default=api.page_size_default, maximum=api.page_size_max)
    except ValueError as exc:
        raise BadRequestError(f"size: {exc}", parameter="size") from exc


def page_request(
    order: SortOrder, *, size: int | None, cursor: str | None, api: ApiConfig
) -> PageRequest:
    """The page to fetch, with a checked size and cursor."""
    resolved = page_size(size, api)
    try:
        return resolve_page(order, size=resolved, cursor=cursor)
    except CursorError as exc:
        raise BadRequestError(f"cursor: {exc}", parameter="cursor") from exc
