"""The watchlist pages: ``/watch`` (list and create form) and ``/watch/{id}`` (its alerts).

Plain HTML forms, no script: creating posts to ``/watch`` and deleting to
``/watch/{id}/delete``, each with an API key field, and both go through the same
``api/watch_actions.py`` functions as the JSON routes (same validation, same read-only rule
for watchlists from ``config.yaml``). The key is checked like the API's (constant time);
it and the webhook secret are never put back into a page. A rejected form is shown again
with the reason and the other values kept. Errors of the GET pages are HTML pages
(``PageRoute``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from api.auth import key_problem, presented_key
from api.deps import SettingsDep, WatchDep, page_request
from api.errors import ApiError, BadRequestError
from api.watch_actions import create_watchlist, delete_watchlist, get_watchlist
from api.watch_actions import parse_watchlist_input as parse_input
from api.watch_schemas import AlertPublic, WatchlistPublic, alert_view, watchlist_view
from api.watch_service import WatchService
from api.web.rendering import render
from api.web.routes import PageRoute
from indexer.settings import Settings
from indexer.watchlists.alert_store import ALERT_ORDER
from indexer.watchlists.models import WatchlistId

__all__ = ["router"]

router = APIRouter(route_class=PageRoute, include_in_schema=False)

MAX_FORM_BYTES = 64 * 1024
ALERTS_PER_PAGE = 50
_LIST_FIELDS = ("ciks", "tickers", "sic", "file_numbers", "email")
_KEPT_FIELDS = (
    "id",
    "name",
    *_LIST_FIELDS,
    "search_name",
    "search",
    "since",
    "webhook_url",
    "email_digest",
)
_SPLIT = re.compile(r"[\s,;]+")


async def _form(request: Request) -> dict[str, str]:
    """The fields of a url-encoded form (first value of each)."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise BadRequestError("the form is too large")
    fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {name: values[0].strip() for name, values in fields.items() if values}


def _definition(form: dict[str, str]) -> dict[str, Any]:
    """The form's fields as a watchlist definition (the JSON body's shape)."""
    data: dict[str, Any] = {"name": form.get("name", "")}
    if form.get("id"):
        data["id"] = form["id"]
    for name in _LIST_FIELDS:
        data[name] = [item for item in _SPLIT.split(form.get(name, "")) if item]
    search = form.get("search", "")
    if search:
        params: Any = search.lstrip("?") if "=" in search else {"q": search}
        data["searches"] = [{"name": form.get("search_name") or search[:100], "params": params}]
    for name in ("since", "webhook_url", "webhook_secret", "email_digest"):
        if form.get(name):
            data[name] = form[name]
    return data


FormDep = Annotated[dict[str, str], Depends(_form)]


class _KeyRefusedError(ApiError):
    """The form's API key is missing or wrong (401), or no key is configured (403)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message, parameter="api_key")
        self.status_code = status


def _check_key(request: Request, form: dict[str, str]) -> None:
    """The form's key (or a header's), by the same rule as the API's writes."""
    keys = request.app.state.settings.api.keys
    presented = form.get("api_key") or presented_key(request.headers)
    if refused := key_problem(presented, keys):
        raise _KeyRefusedError(*refused)


def _count(n: int, word: str, plural: str = "s") -> str:
    return f"{n} {word}{'' if n == 1 else plural}"


def _watches(view: dict[str, Any]) -> str:
    """What a watchlist watches, in a few words."""
    parts = []
    if view["ciks"]:
        parts.append(_count(len(view["ciks"]), "CIK"))
    if view["tickers"]:
        parts.append("tickers " + ", ".join(view["tickers"]))
    if view["sic"]:
        parts.append("SIC " + ", ".join(view["sic"]))
    if view["file_numbers"]:
        parts.append(_count(len(view["file_numbers"]), "file number"))
    if view["searches"]:
        parts.append(_count(len(view["searches"]), "saved search", "es"))
    return " · ".join(parts) or "nothing yet"


def _list_context(
    watch: WatchService, *, values: dict[str, str], error: str | None, mail_enabled: bool
) -> dict[str, Any]:
    tickers = watch.tickers()
    watchlists = []
    for watchlist in watch.store.all():
        view = WatchlistPublic.model_validate(watchlist_view(watchlist, tickers)).model_dump()
        watchlists.append(view | {"watches": _watches(view)})
    kept = {name: values.get(name, "") for name in _KEPT_FIELDS}
    return {
        "title": "Watchlists",
        "watchlists": watchlists,
        "values": kept,
        "error": error,
        "mail_enabled": mail_enabled,
    }


@router.get("/watch", response_class=HTMLResponse)
def watch_page(request: Request, watch: WatchDep) -> HTMLResponse:
    """Every watchlist, and a form to create one."""
    mail = request.app.state.settings.alerts.smtp.enabled
    context = _list_context(watch, values={}, error=None, mail_enabled=mail)
    return render(request, "watch.html", context)


@router.post("/watch", response_class=HTMLResponse)
def watch_create(request: Request, form: FormDep, watch: WatchDep) -> Response:
    """Create a watchlist from the form; back to the form with the reason when refused."""
    settings = request.app.state.settings
    mail = settings.alerts.smtp.enabled
    try:
        _check_key(request, form)
        payload = parse_input(_definition(form), webhooks=settings.webhooks, mail_enabled=mail)
        watchlist = create_watchlist(watch, payload)
    except ApiError as exc:
        context = _list_context(watch, values=form, error=exc.message, mail_enabled=mail)
        return render(request, "watch.html", context, status_code=exc.status_code)
    return RedirectResponse(f"/watch/{watchlist.id}", status_code=303)


@router.get("/watch/{watchlist_id}", response_class=HTMLResponse)
def watch_detail_page(
    request: Request,
    watchlist_id: Annotated[WatchlistId, Path()],
    watch: WatchDep,
    settings: SettingsDep,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
) -> HTMLResponse:
    """A watchlist: what it watches, its alerts (newest first), feed and webhook status."""
    watchlist = get_watchlist(watch, watchlist_id)
    summary = watch.alerts.summary(watchlist_id)
    view = watchlist_view(watchlist, watch.tickers(), summary=summary)
    page = page_request(ALERT_ORDER, size=_page_size(settings), cursor=cursor, api=settings.api)
    found = watch.alerts.page(watchlist_id, page)
    alerts = [AlertPublic.model_validate(alert_view(a)).model_dump() for a in found.alerts]
    context = {
        "title": watchlist.name,
        "watchlist": WatchlistPublic.model_validate(view).model_dump(),
        "alerts": alerts,
        "total": found.total,
        "next_href": f"/watch/{watchlist_id}?cursor={found.next_cursor}"
        if found.next_cursor
        else None,
        "error": None,
    }
    return render(request, "watch_detail.html", context)


def _page_size(settings: Settings) -> int:
    return min(ALERTS_PER_PAGE, settings.api.page_size_max)


@router.post("/watch/{watchlist_id}/delete", response_class=HTMLResponse)
def watch_delete(
    request: Request,
    watchlist_id: Annotated[WatchlistId, Path()],
    form: FormDep,
    watch: WatchDep,
) -> Response:
    """Delete a watchlist (created through the API) and its alerts."""
    try:
        _check_key(request, form)
        delete_watchlist(watch, watchlist_id)
    except ApiError as exc:
        mail = request.app.state.settings.alerts.smtp.enabled
        context = _list_context(watch, values={}, error=exc.message, mail_enabled=mail)
        return render(request, "watch.html", context, status_code=exc.status_code)
    return RedirectResponse("/watch", status_code=303)
