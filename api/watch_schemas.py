"""Watchlist request and response models, and the public view of a watchlist.

What the API shows of a watchlist is ``watchlist_view``: the definition with tickers
resolved (and the unresolved ones listed), the webhook URL, and ``webhook_secret_set``
instead of the secret, which is write-only. The response models (documented in
``/openapi.json``) list every field, so nothing else can slip into an answer.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from indexer.watchlists.models import Watchlist, WatchlistId, WatchlistSpec
from indexer.watchlists.tickers import TickerMap

__all__ = [
    "AlertList",
    "AlertPublic",
    "WatchlistDeleted",
    "WatchlistInput",
    "WatchlistList",
    "WatchlistPublic",
    "watchlist_view",
]


class WatchlistInput(WatchlistSpec):
    """``POST /watchlists`` and ``PUT /watchlists/{id}``: a watchlist definition.

    ``webhook_secret`` is required with a new ``webhook_url``; a ``PUT`` without one keeps
    the stored secret.
    """

    id: WatchlistId | None = Field(
        None, description="Identifier (a-z, 0-9, - and _); generated when omitted on POST."
    )


class Delivery(BaseModel):
    """The state of a delivery in the outbox (a webhook POST, an e-mail digest), updated
    after every attempt.

    ``pending``: recorded, not attempted yet; ``retrying``: a transient failure, next attempt
    at ``next_attempt_at``; ``delivered``; ``parked``: failed for good (last error kept;
    ``corresp alerts retry`` queues it again)."""

    status: Literal["pending", "retrying", "delivered", "parked"] | None = None
    delivery_id: str | None = Field(
        None, description="X-Corresp-Delivery of the POST or of the message."
    )
    attempts: int | None = None
    last_error: str | None = None
    response_status: int | None = Field(
        None, description="HTTP status (webhook) or SMTP code (e-mail) of the last answer."
    )
    last_attempt_at: datetime | None = None
    next_attempt_at: datetime | None = None
    delivered_at: datetime | None = None


class AlertPublic(BaseModel):
    """A letter that matched a watchlist, when it was found, and why."""

    alert_id: str
    watchlist_id: str
    accession: str
    matched_by: str = Field(description="cik:…, ticker:…, sic:…, file_number:… or search:<name>.")
    found_at: datetime = Field(description="When the ingest found the match.")
    company: str | None = None
    ciks: list[str] = []
    form: str | None = None
    letter_type: str | None = None
    letter_date: str | None = None
    released_on: str | None = None
    url: str | None = Field(None, description="The filing on EDGAR.")
    thread_id: str | None = None
    web_path: str = Field(description="The letter's page on this site.")
    delivery: Delivery | None = Field(None, description="Webhook delivery, when there is one.")
    email: Delivery | None = Field(
        None, description="E-mail digest holding the alert, when the watchlist has addresses."
    )


class AlertList(BaseModel):
    watchlist_id: str
    total: int = Field(description="Alerts matching the request (exact).")
    alerts: list[AlertPublic] = Field(description="Newest first.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class AlertSummary(BaseModel):
    total: int
    newest_found_at: datetime | None = None
    deliveries: dict[str, int] = Field(description="Alerts by webhook delivery status.")
    last_delivery: Delivery | None = None
    emails: dict[str, int] = Field({}, description="Alerts by e-mail digest status.")
    last_email: Delivery | None = Field(None, description="The latest e-mail digest attempt.")


class SavedSearchPublic(BaseModel):
    name: str
    params: dict[str, Any] = Field(description="The /search parameters (normal form).")


class WatchlistLinks(BaseModel):
    alerts: str
    feed: str
    page: str


class WatchlistPublic(BaseModel):
    """A watchlist as the API shows it (the webhook secret is never shown)."""

    id: str
    name: str
    source: Literal["api", "config"]
    read_only: bool = Field(description="Defined in config.yaml: change it there.")
    ciks: list[str]
    tickers: list[str]
    resolved_tickers: dict[str, str] = Field(description="Ticker -> CIK, from SEC's map.")
    unresolved_tickers: list[str] = Field(
        description="Tickers not in SEC's ticker map (or no map downloaded yet)."
    )
    sic: list[str]
    file_numbers: list[str]
    searches: list[SavedSearchPublic]
    since: date | None = Field(
        description="Alerts are raised for letters released on or after this day (null: "
        "from the day the watchlist was created)."
    )
    alerts_from: date | None = Field(description="The first release day that alerts.")
    webhook_url: str | None
    webhook_secret_set: bool
    email: list[str] = Field(description="Addresses receiving the alerts by e-mail.")
    email_digest: Literal["daily", "immediate"]
    created_at: datetime | None
    updated_at: datetime | None
    links: WatchlistLinks
    alerts: AlertSummary | None = Field(
        None, description="Alert count and webhook deliveries (on GET /watchlists/{id})."
    )


class WatchlistList(BaseModel):
    total: int
    watchlists: list[WatchlistPublic]


class WatchlistDeleted(BaseModel):
    ok: bool = True
    id: str
    alerts_deleted: int


def watchlist_view(
    watchlist: Watchlist, tickers: TickerMap, *, summary: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The public form of ``watchlist`` (tickers resolved with ``tickers``)."""
    resolved, unresolved = tickers.resolve(watchlist.tickers)
    base = f"/watchlists/{watchlist.id}"
    return {
        "id": watchlist.id,
        "name": watchlist.name,
        "source": watchlist.source,
        "read_only": watchlist.source == "config",
        "ciks": list(watchlist.ciks),
        "tickers": list(watchlist.tickers),
        "resolved_tickers": resolved,
        "unresolved_tickers": unresolved,
        "sic": list(watchlist.sic),
        "file_numbers": list(watchlist.file_numbers),
        "searches": [search.to_document() for search in watchlist.searches],
        "since": watchlist.since,
        "alerts_from": watchlist.alerts_from,
        "webhook_url": watchlist.webhook_url,
        "webhook_secret_set": watchlist.webhook_secret is not None,
        "email": list(watchlist.email),
        "email_digest": watchlist.email_digest,
        "created_at": watchlist.created_at,
        "updated_at": watchlist.updated_at,
        "links": {
            "alerts": f"{base}/alerts",
            "feed": f"{base}/feed.atom",
            "page": f"/watch/{watchlist.id}",
        },
        "alerts": summary,
    }


def alert_view(document: dict[str, Any]) -> dict[str, Any]:
    """An alert as the API shows it."""
    return {**document, "web_path": f"/letter/{document['accession']}"}
