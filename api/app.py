"""``create_app(settings)``: the REST API and web pages over the letters, comments and threads.

The lifespan creates one synchronous Elasticsearch client (routes are plain ``def``, run in
FastAPI's thread pool; the client is thread-safe) and closes it at shutdown. Nothing is read
or connected at import time. Every error is answered in one JSON shape (``api/errors.py``);
every request is counted and timed (``api/metrics.py``); overlong URLs and oversize bodies
are refused before any route (``api/limits.py``); every answer carries ``nosniff`` and
no-framing headers and none for CORS (``api/headers.py``). The OpenAPI document is at
``/openapi.json``, interactive docs at ``/docs``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.auth import install_access_control
from api.errors import install_error_handlers
from api.headers import base_headers
from api.limits import RequestLimitsMiddleware
from api.metrics import Metrics, MetricsMiddleware
from api.routes import (
    comments,
    companies,
    exports,
    health,
    letters,
    search,
    stats,
    threads,
    watchlists,
)
from api.schemas import ErrorResponse
from api.search import SearchService
from api.timing import server_timing
from api.web import routes as web
from api.web import watch_routes
from api.web.rendering import StaticAssets
from indexer.es_client import make_es_client
from indexer.lifecycle import index_names
from indexer.settings import Settings

__all__ = ["ROUTERS", "create_app"]

ROUTERS = (
    search.router,
    letters.router,
    threads.router,
    companies.router,
    comments.router,
    stats.router,
    exports.router,
    watchlists.router,
    health.router,
)
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "A parameter is malformed (named)."},
    404: {"model": ErrorResponse, "description": "No such letter, thread, company, comment."},
    413: {"model": ErrorResponse, "description": "The body is over api.max_request_body_bytes."},
    414: {"model": ErrorResponse, "description": "The URL is over api.max_url_bytes."},
    503: {"model": ErrorResponse, "description": "Elasticsearch unreachable or failing."},
}
_DESCRIPTION = """\
Full-text, comment and review search over SEC comment letters: staff letters (EDGAR form
UPLOAD) and company responses (CORRESP), threaded into reviews.

Errors always have the shape `{"ok": false, "error": "...", "status": n, "parameter": "..."}`
(`parameter` when one is at fault). Pages are walked with `cursor` = the previous
`next_cursor`; `/export` streams every match.
"""


def create_app(settings: Settings) -> FastAPI:
    """The API for ``settings`` (cluster, index prefix, page sizes, data folder)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        es = make_es_client(
            settings.elasticsearch, timeout_seconds=settings.api.request_timeout_seconds
        )
        targets = index_names(settings.elasticsearch.index_prefix).aliases
        app.state.service = SearchService(
            es, targets, timeout_seconds=settings.api.search_timeout_seconds
        )
        try:
            yield
        finally:
            es.close()

    app = FastAPI(
        title="corresp",
        version=version("corresp"),
        description=_DESCRIPTION,
        lifespan=lifespan,
    )
    metrics = Metrics()
    app.state.settings = settings
    app.state.metrics = metrics
    routers = (*ROUTERS, web.router, watch_routes.router)
    install_error_handlers(
        app,
        on_backend_error=lambda _exc: metrics.backend_errors.inc(),
        routes=[route for router in routers for route in router.routes],
    )
    app.add_middleware(
        RequestLimitsMiddleware,  # api.max_url_bytes (414), api.max_request_body_bytes (413)
        max_url_bytes=settings.api.max_url_bytes,
        max_body_bytes=settings.api.max_request_body_bytes,
    )
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    install_access_control(app, settings.api)  # api.require_key_for_reads
    app.add_middleware(server_timing)  # Server-Timing: time in Elasticsearch and in all
    app.add_middleware(base_headers)  # nosniff, no framing, on every answer
    for router in ROUTERS:
        app.include_router(router, responses=_ERRORS)
    app.include_router(web.router)  # the HTML pages (/, /letter/…, /thread/…, /company/…)
    app.include_router(watch_routes.router)  # the watchlist pages (/watch, /watch/…)
    app.mount("/static", StaticAssets(), name="static")
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, without FastAPI's 422 answers (validation errors are 400s)."""
    if app.openapi_schema is None:
        document = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        for path in document.get("paths", {}).values():
            for operation in path.values():
                operation.get("responses", {}).pop("422", None)
        schemas = document.get("components", {}).get("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        app.openapi_schema = document
    return app.openapi_schema
