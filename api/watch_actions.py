"""Changing watchlists: the one implementation behind the JSON routes and the HTML forms.

Input is validated here (``WatchlistInput``), so a bad value is a 400 naming the field by
its path (``searches[0].params.sort``) and never echoing what was sent (it may be a secret).
Watchlists defined in ``config.yaml`` are read-only through the API (409), as is an id in
use (409); an unknown id is a 404.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from api.errors import ApiError, BadRequestError, NotFoundError
from api.watch_schemas import WatchlistInput
from api.watch_service import WatchService
from indexer.watchlists.errors import WatchlistConflictError, WatchlistNotFoundError
from indexer.watchlists.models import Watchlist, WebhooksConfig

__all__ = [
    "ConflictError",
    "create_watchlist",
    "delete_watchlist",
    "describe_input_error",
    "get_watchlist",
    "parse_watchlist_input",
    "replace_watchlist",
]


class ConflictError(ApiError):
    """The watchlist id is taken, or the watchlist is defined in config.yaml."""

    status_code = 409


def _path(location: Sequence[Any]) -> str:
    """``("searches", 0, "params", "sort")`` -> ``searches[0].params.sort``."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def describe_input_error(exc: ValidationError) -> tuple[str | None, str]:
    """The field path and the problem of the first error, without the value sent."""
    first = exc.errors(include_url=False, include_input=False)[0]
    location = [part for part in first.get("loc", ()) if part != "body"]
    field = _path(location) or None
    if first["type"] == "extra_forbidden":
        problem = "unknown field"
    elif first["type"] == "missing":
        problem = "required"
    else:
        problem = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    return field, problem


def parse_watchlist_input(
    data: Any, *, webhooks: WebhooksConfig, mail_enabled: bool = True
) -> WatchlistInput:
    """The validated definition; raises ``BadRequestError`` naming the field. The webhook URL's
    host is resolved and refused when it is a private address (``webhooks``' policy);
    e-mail addresses are refused unless ``alerts.smtp`` is set up (``mail_enabled``)."""
    if not isinstance(data, dict):
        raise BadRequestError("the body must be a JSON object (a watchlist definition)")
    try:
        parsed = WatchlistInput.model_validate(data, context=webhooks.validation_context())
    except ValidationError as exc:
        field, problem = describe_input_error(exc)
        message = f"{field}: {problem}" if field else problem
        raise BadRequestError(message, parameter=field) from None
    if parsed.email and not mail_enabled:
        raise BadRequestError(
            "email: e-mail alerts are off on this server (alerts.smtp.host is not set)",
            parameter="email",
        )
    return parsed


def _read_only(watchlist_id: str) -> ConflictError:
    return ConflictError(
        f"watchlist {watchlist_id!r} is defined in config.yaml (watchlists) and is read-only "
        "through the API; change it in the configuration file",
        parameter="id",
    )


def get_watchlist(watch: WatchService, watchlist_id: str) -> Watchlist:
    try:
        return watch.store.get(watchlist_id)
    except WatchlistNotFoundError as exc:
        raise NotFoundError(str(exc), parameter="watchlist_id") from exc


def _stored(payload: WatchlistInput, watchlist_id: str, *, previous: Watchlist | None) -> Watchlist:
    secret = payload.webhook_secret
    if payload.webhook_url and secret is None and previous is not None:
        secret = previous.webhook_secret
    if payload.webhook_url and secret is None:
        raise BadRequestError(
            "webhook_secret: required with webhook_url", parameter="webhook_secret"
        )
    if secret is not None and not payload.webhook_url:
        raise BadRequestError("webhook_url: required with webhook_secret", parameter="webhook_url")
    values = payload.model_dump(exclude={"id", "webhook_secret"})
    return Watchlist.model_validate(
        values | {"id": watchlist_id, "source": "api", "webhook_secret": secret}
    )


def create_watchlist(watch: WatchService, payload: WatchlistInput) -> Watchlist:
    """Store a new watchlist (id generated when none is given)."""
    watchlist_id = payload.id or uuid.uuid4().hex[:12]
    if any(config.id == watchlist_id for config in watch.configured):
        raise _read_only(watchlist_id)
    try:
        return watch.store.create(_stored(payload, watchlist_id, previous=None))
    except WatchlistConflictError as exc:
        raise ConflictError(str(exc), parameter="id") from exc


def replace_watchlist(watch: WatchService, watchlist_id: str, payload: WatchlistInput) -> Watchlist:
    """Replace the definition of a watchlist created through the API."""
    if payload.id is not None and payload.id != watchlist_id:
        raise BadRequestError(
            f"id: the body names {payload.id!r} but the URL {watchlist_id!r}", parameter="id"
        )
    previous = get_watchlist(watch, watchlist_id)
    if previous.source == "config":
        raise _read_only(watchlist_id)
    return watch.store.replace(_stored(payload, watchlist_id, previous=previous), previous=previous)


def delete_watchlist(watch: WatchService, watchlist_id: str) -> int:
    """Delete a watchlist created through the API and its alerts; how many alerts."""
    previous = get_watchlist(watch, watchlist_id)
    if previous.source == "config":
        raise _read_only(watchlist_id)
    try:
        return watch.store.delete(watchlist_id)
    except WatchlistNotFoundError as exc:
        raise NotFoundError(str(exc), parameter="watchlist_id") from exc
