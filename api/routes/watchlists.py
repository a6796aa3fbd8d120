"""``/watchlists``: watchlists, their alerts as JSON, and their Atom feeds.

Reading is open (unless ``api.require_key_for_reads``); ``POST``, ``PUT`` and ``DELETE`` need
an API key (``api/auth.py``). Watchlists defined in ``config.yaml`` are listed like the others
but are read-only here (409). The router's lifespan creates the ``WatchService`` and syncs the
configured watchlists at start-up; when Elasticsearch is down then, the first watchlist
request does it (and is a 503 until it can).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from api.auth import WriteKey
from api.deps import SettingsDep, WatchDep, page_request, page_size
from api.errors import BadRequestError
from api.watch_actions import (
    create_watchlist,
    delete_watchlist,
    get_watchlist,
    parse_watchlist_input,
    replace_watchlist,
)
from api.watch_feed import ATOM_MEDIA_TYPE, build_atom_feed
from api.watch_schemas import (
    AlertList,
    WatchlistDeleted,
    WatchlistInput,
    WatchlistList,
    WatchlistPublic,
    alert_view,
    watchlist_view,
)
from api.watch_service import WatchService
from indexer.errors import SearchBackendError
from indexer.watchlists.alert_store import ALERT_ORDER
from indexer.watchlists.models import WatchlistId

__all__ = ["router"]

logger = logging.getLogger(__name__)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Runs inside the app's lifespan, after it has made the Elasticsearch client."""
    watch = WatchService.for_settings(app.state.service.es, app.state.settings)
    app.state.watch = watch
    try:
        await run_in_threadpool(watch.ready)
    except SearchBackendError as exc:
        logger.warning("watchlists not synced at start-up (retried on first use): %s", exc)
    yield


router = APIRouter(tags=["watchlists"], lifespan=_lifespan)

IdPath = Annotated[WatchlistId, Path(description="The watchlist's id.")]


def _body_schema() -> dict[str, Any]:
    """``WatchlistInput``'s JSON schema with its definitions inlined (for OpenAPI)."""
    schema = WatchlistInput.model_json_schema()
    definitions = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(definitions[node["$ref"].rsplit("/", 1)[-1]])
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    inlined: dict[str, Any] = inline(schema)
    return inlined


_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": _body_schema()}},
    }
}
_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No API key, or a wrong one (see WWW-Authenticate)."},
    403: {"description": "No API key is configured: changes through the API are off."},
    409: {"description": "The id is taken, or the watchlist is defined in config.yaml."},
}


async def _payload(request: Request) -> WatchlistInput:
    """The JSON body, validated (the body's schema is documented through ``_BODY``)."""
    try:
        data = await request.json()
    except ValueError:
        raise BadRequestError("the body is not valid JSON") from None
    except RecursionError:  # e.g. 100,000 "[": the standard parser gives up on the depth
        raise BadRequestError("the body is not valid JSON (nested too deeply)") from None
    settings = request.app.state.settings
    return await run_in_threadpool(  # the webhook host is resolved: DNS
        parse_watchlist_input,
        data,
        webhooks=settings.webhooks,
        mail_enabled=settings.alerts.smtp.enabled,
    )


PayloadDep = Annotated[WatchlistInput, Depends(_payload)]


@router.post(
    "/watchlists",
    status_code=201,
    response_model=WatchlistPublic,
    dependencies=[WriteKey],
    openapi_extra=_BODY,
    responses=_WRITE_ERRORS,
)
def post_watchlist(payload: PayloadDep, response: Response, watch: WatchDep) -> dict[str, Any]:
    """Create a watchlist (needs an API key). Its new matches become alerts at each ingest."""
    watchlist = create_watchlist(watch, payload)
    response.headers["Location"] = f"/watchlists/{watchlist.id}"
    return watchlist_view(watchlist, watch.tickers())


@router.get("/watchlists", response_model=WatchlistList)
def list_watchlists(watch: WatchDep) -> dict[str, Any]:
    """Every watchlist, by id (those from config.yaml marked read-only)."""
    tickers = watch.tickers()
    watchlists = watch.store.all()
    return {
        "total": len(watchlists),
        "watchlists": [watchlist_view(watchlist, tickers) for watchlist in watchlists],
    }


@router.get("/watchlists/{watchlist_id}", response_model=WatchlistPublic)
def read_watchlist(watchlist_id: IdPath, watch: WatchDep) -> dict[str, Any]:
    """A watchlist, its tickers resolved, its alert count and latest webhook delivery."""
    watchlist = get_watchlist(watch, watchlist_id)
    summary = watch.alerts.summary(watchlist_id)
    return watchlist_view(watchlist, watch.tickers(), summary=summary)


@router.put(
    "/watchlists/{watchlist_id}",
    response_model=WatchlistPublic,
    dependencies=[WriteKey],
    openapi_extra=_BODY,
    responses=_WRITE_ERRORS,
)
def put_watchlist(watchlist_id: IdPath, payload: PayloadDep, watch: WatchDep) -> dict[str, Any]:
    """Replace a watchlist's definition (needs an API key); its alerts are kept."""
    watchlist = replace_watchlist(watch, watchlist_id, payload)
    return watchlist_view(watchlist, watch.tickers())


@router.delete(
    "/watchlists/{watchlist_id}",
    response_model=WatchlistDeleted,
    dependencies=[WriteKey],
    responses=_WRITE_ERRORS,
)
def remove_watchlist(watchlist_id: IdPath, watch: WatchDep) -> dict[str, Any]:
    """Delete a watchlist and its alerts (needs an API key)."""
    return {"id": watchlist_id, "alerts_deleted": delete_watchlist(watch, watchlist_id)}


class AlertParams(BaseModel):
    """``GET /watchlists/{id}/alerts``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    since: datetime | None = Field(
        None, description="Only alerts found after this time (ISO 8601; UTC if no zone)."
    )
    size: int | None = Field(None, ge=1, description="Alerts per page (default 20, at most 100).")
    cursor: str | None = Field(None, description="The next_cursor of the previous page.")


class FeedParams(BaseModel):
    """``GET /watchlists/{id}/feed.atom``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    size: int | None = Field(None, ge=1, description="Entries (default 20, at most 100).")


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


@router.get("/watchlists/{watchlist_id}/alerts", response_model=AlertList)
def list_alerts(
    watchlist_id: IdPath,
    params: Annotated[AlertParams, Query()],
    watch: WatchDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    """The watchlist's alerts, newest first, with their webhook delivery state."""
    get_watchlist(watch, watchlist_id)
    page = page_request(ALERT_ORDER, size=params.size, cursor=params.cursor, api=settings.api)
    found = watch.alerts.page(watchlist_id, page, since=_aware(params.since))
    return {
        "watchlist_id": watchlist_id,
        "total": found.total,
        "alerts": [alert_view(alert) for alert in found.alerts],
        "next_cursor": found.next_cursor,
    }


@router.get(
    "/watchlists/{watchlist_id}/feed.atom",
    response_class=Response,
    responses={200: {"content": {ATOM_MEDIA_TYPE: {}}, "description": "Atom 1.0 feed."}},
)
def alert_feed(
    watchlist_id: IdPath,
    params: Annotated[FeedParams, Query()],
    request: Request,
    watch: WatchDep,
    settings: SettingsDep,
) -> Response:
    """The newest alerts as an Atom 1.0 feed, linking each letter here and on EDGAR."""
    watchlist = get_watchlist(watch, watchlist_id)
    size = page_size(params.size, settings.api)
    page = page_request(ALERT_ORDER, size=size, cursor=None, api=settings.api)
    found = watch.alerts.page(watchlist_id, page)
    document = build_atom_feed(
        watchlist,
        found.alerts,
        base_url=str(request.base_url),
        self_url=str(request.url),
        generated_at=datetime.now(UTC),
    )
    return Response(document, media_type=ATOM_MEDIA_TYPE)
