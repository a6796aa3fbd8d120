"""Watchlists as validated data: what a user watches and where alerts go. Pure.

A watchlist names companies (CIKs, or tickers resolved through SEC's ticker map), SIC codes,
SEC file numbers and saved searches. A saved search is any query the search page can make:
``q`` plus the ``/search`` filters, validated by ``indexer.search.params.LetterFilters`` and
stored in its normal form (``1-7933`` -> ``001-07933``, CIKs padded, forms upper case). A
watchlist may post its alerts to a webhook, signed with its secret.

Every value is normalized on the way in (``extra="forbid"`` everywhere, so a misspelled key
is an error naming it). ``WatchlistSpec`` is what a user writes (API body or ``config.yaml``);
``Watchlist`` adds what the store keeps (id, source, timestamps). Secrets are ``SecretStr``:
they print as ``**********`` and only ``secret_value()`` reveals them, for signing.

A ``webhook_url``'s host is checked against ``webhooks.allow_private_networks``
(``indexer/watchlists/addresses.py``) when the validation context carries an
``AddressPolicy`` (``WebhooksConfig.validation_context()``): the API passes it for what users
write. Stored watchlists and ``config.yaml``'s are read without it (no DNS lookup when a
watchlist is read); every delivery checks the address again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from indexer.models import Cik, FileNumber
from indexer.search.params import LetterFilters
from indexer.watchlists.addresses import AddressPolicy, Resolver, resolve_host

__all__ = [
    "ADDRESS_POLICY",
    "MAX_ITEMS",
    "MIN_SECRET_CHARS",
    "AlertsConfig",
    "DigestMode",
    "SavedSearch",
    "SmtpConfig",
    "Source",
    "Ticker",
    "Watchlist",
    "WatchlistConfig",
    "WatchlistId",
    "WatchlistSpec",
    "WebhooksConfig",
    "check_webhook_url",
    "normalize_email",
    "normalize_ticker",
    "normalize_watchlist_id",
]

EDGAR_TIME = ZoneInfo("America/New_York")
"""EDGAR's release days are US Eastern days."""
MAX_ITEMS = 1000
"""Most companies, SIC codes or file numbers in one watchlist."""
MAX_SEARCHES = 50
MAX_RECIPIENTS = 20
"""Most e-mail addresses of one watchlist."""
DigestMode = Literal["daily", "immediate"]
MIN_SECRET_CHARS = 16
Source = Literal["api", "config"]
ADDRESS_POLICY = "webhook_address_policy"
"""Key of the ``AddressPolicy`` in a validation context (see ``WebhooksConfig``)."""

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_TICKER = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,11}$")
_SIC = re.compile(r"^\d{3,4}$")
_EMAIL = re.compile(r"^[^@\s<>,;\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z0-9-]{2,63}$")


def normalize_watchlist_id(value: str) -> str:
    """A watchlist id: 1-64 lower-case letters, digits, ``-`` or ``_``."""
    text = value.strip().lower()
    if not _ID.match(text):
        raise ValueError(
            "must be 1-64 letters, digits, '-' or '_', starting with a letter or digit"
        )
    return text


def normalize_ticker(value: str) -> str:
    """A ticker symbol in upper case (``brk.b`` -> ``BRK.B``)."""
    text = value.strip().upper()
    if not _TICKER.match(text):
        raise ValueError(f"not a ticker symbol: {value[:40]!r}")
    return text


def normalize_email(value: str) -> str:
    """An e-mail address (``name@example.org``; the domain in lower case); raises
    ``ValueError`` for anything else, such as a display name or a list of addresses."""
    text = str(value).strip()
    local, _, domain = text.rpartition("@")
    address = f"{local}@{domain.lower()}"
    if not _EMAIL.match(address) or len(address) > 254:
        raise ValueError(f"not an e-mail address: {text[:80]!r}")
    return address


def _sic(value: str) -> str:
    text = str(value).strip()
    if not _SIC.match(text):
        raise ValueError(f"not a SIC code (3 or 4 digits): {text[:40]!r}")
    return text


def check_webhook_url(value: str) -> str:
    """An absolute http(s) URL with a host; raises ``ValueError`` otherwise."""
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(text) > 2000:
        raise ValueError("must be an absolute http:// or https:// URL")
    if any(ch.isspace() for ch in text):
        raise ValueError("must not contain spaces")
    return text


def _text(value: Any) -> Any:
    """Numbers written without quotes in YAML (``ciks: [320193]``) are read as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


WatchlistId = Annotated[str, AfterValidator(normalize_watchlist_id)]
CikValue = Annotated[Cik, BeforeValidator(_text)]
Ticker = Annotated[str, AfterValidator(normalize_ticker)]
Sic = Annotated[str, BeforeValidator(_sic)]
EmailAddress = Annotated[str, AfterValidator(normalize_email)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
SearchName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


def _unique(values: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def _is_list_field(name: str) -> bool:
    field = LetterFilters.model_fields.get(name)
    return field is not None and getattr(field.annotation, "__origin__", None) is list


def _as_filters(value: Any) -> Any:
    """Saved-search parameters as ``LetterFilters`` input: a mapping (a single value where a
    list is expected becomes a list of one) or a /search query string
    (``"q=going+concern&form=UPLOAD"``)."""
    if isinstance(value, str):
        params: dict[str, Any] = {}
        for key, item in parse_qsl(value.strip().lstrip("?"), keep_blank_values=False):
            if _is_list_field(key):
                params.setdefault(key, []).append(item)
            else:
                params[key] = item
        return params
    if isinstance(value, dict):
        return {
            key: [item] if _is_list_field(key) and isinstance(item, str | int) else item
            for key, item in value.items()
        }
    return value


class _Model(BaseModel):
    # Inputs are never repeated in error messages: a webhook secret could be among them.
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)


class SavedSearch(_Model):
    """A named search: ``q`` and the filters of ``/search``, re-run on each new letter."""

    name: SearchName = Field(description="Name of the search, unique in its watchlist.")
    params: Annotated[LetterFilters, BeforeValidator(_as_filters)] = Field(
        default_factory=LetterFilters,
        description="The /search parameters (q, form, letter_type, cik, company, file_number, "
        'sic, state, office, staff, topic, date and release ranges), e.g. {"q": "going '
        'concern", "form": ["UPLOAD"]}, or the same as a query string.',
    )

    def to_document(self) -> dict[str, Any]:
        """The stored form: the name and the parameters that differ from the defaults."""
        return {
            "name": self.name,
            "params": self.params.model_dump(mode="json", exclude_defaults=True),
        }


class WatchlistSpec(_Model):
    """What a user writes: the name, what to watch, and an optional webhook."""

    name: Name = Field(description="Name shown in lists, feeds and webhook bodies.")
    ciks: Annotated[list[CikValue], Field(max_length=MAX_ITEMS)] = Field(
        [], description="Companies by CIK (any zero padding)."
    )
    tickers: Annotated[list[Ticker], Field(max_length=MAX_ITEMS)] = Field(
        [],
        description="Companies by ticker symbol, resolved to CIKs through SEC's "
        "company_tickers.json (downloaded by the crawler once a day).",
    )
    sic: Annotated[list[Sic], Field(max_length=MAX_ITEMS)] = Field(
        [], description="Standard Industrial Classification codes of the companies."
    )
    file_numbers: Annotated[list[FileNumber], Field(max_length=MAX_ITEMS)] = Field(
        [], description="SEC file numbers, any spelling (1-7933 = 001-07933)."
    )
    searches: Annotated[list[SavedSearch], Field(max_length=MAX_SEARCHES)] = Field(
        [], description="Saved searches: a new letter matching one is an alert."
    )
    since: date | None = Field(
        None,
        description="Alert on letters released on or after this day. Default: the day the "
        "watchlist was created, so a backfill of old letters raises no alerts; set an earlier "
        "day to be alerted to history as it is indexed.",
    )
    webhook_url: str | None = Field(
        None, description="http(s) URL that receives each ingest's new alerts as a signed POST."
    )
    webhook_secret: SecretStr | None = Field(
        None,
        description=f"Secret (at least {MIN_SECRET_CHARS} characters) signing webhook bodies "
        "(HMAC-SHA256); write-only.",
    )
    email: Annotated[list[EmailAddress], Field(max_length=MAX_RECIPIENTS)] = Field(
        [],
        description="Addresses that receive the alerts by e-mail (needs alerts.smtp.host).",
    )
    email_digest: DigestMode = Field(
        "daily",
        description="daily: one message a day (at alerts.smtp.daily_at, US Eastern) with the "
        "previous day's alerts; immediate: one message per ingest that found any.",
    )

    @field_validator("ciks", "tickers", "sic", "file_numbers", "email")
    @classmethod
    def _dedupe(cls, values: list[str]) -> list[str]:
        return _unique(values)

    @field_validator("searches")
    @classmethod
    def _unique_names(cls, searches: list[SavedSearch]) -> list[SavedSearch]:
        seen: set[str] = set()
        for search in searches:
            if search.name in seen:
                raise ValueError(f"two saved searches are named {search.name!r}")
            seen.add(search.name)
        return searches

    @field_validator("webhook_url")
    @classmethod
    def _url(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or not value.strip():
            return None
        url = check_webhook_url(value)
        context = info.context if isinstance(info.context, dict) else {}
        if isinstance(policy := context.get(ADDRESS_POLICY), AddressPolicy):
            policy.check_new_url(url)
        return url

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if len(value.get_secret_value()) < MIN_SECRET_CHARS:
            raise ValueError(f"must be at least {MIN_SECRET_CHARS} characters")
        return value


class Watchlist(WatchlistSpec):
    """A stored watchlist: the spec plus its id, where it was defined, and when."""

    id: WatchlistId = Field(description="Identifier used in URLs and alert ids.")
    source: Source = Field("api", description="api, or config (read-only through the API).")
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @model_validator(mode="after")
    def _webhook_pair(self) -> Watchlist:
        if self.webhook_secret is not None and self.webhook_url is None:
            raise ValueError("webhook_secret needs a webhook_url")
        return self

    @property
    def alerts_from(self) -> date | None:
        """The first release day it alerts on: ``since``, else the (US Eastern) day it was
        created; ``None`` (everything) only for a watchlist not stored yet."""
        if self.since is not None:
            return self.since
        if self.created_at is None:
            return None
        created = self.created_at
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        return created.astimezone(EDGAR_TIME).date()

    def definition(self) -> dict[str, Any]:
        """What the user defined, JSON-ready, secret included (for the store only)."""
        return {
            "name": self.name,
            "ciks": list(self.ciks),
            "tickers": list(self.tickers),
            "sic": list(self.sic),
            "file_numbers": list(self.file_numbers),
            "searches": [search.to_document() for search in self.searches],
            "since": self.since.isoformat() if self.since else None,
            "webhook_url": self.webhook_url,
            "webhook_secret": self.webhook_secret.get_secret_value()
            if self.webhook_secret
            else None,
            "email": list(self.email),
            "email_digest": self.email_digest,
        }

    def to_document(self) -> dict[str, Any]:
        """The watchlists-index document."""
        return {
            "id": self.id,
            "source": self.source,
            **self.definition(),
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
        }

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Watchlist:
        return cls.model_validate(
            {key: value for key, value in doc.items() if value is not None or key == "id"}
        )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class WatchlistConfig(WatchlistSpec):
    """A watchlist defined in ``config.yaml`` (read-only through the API)."""

    id: WatchlistId = Field(description="Identifier used in URLs and alert ids.")
    webhook_secret_env: str = Field(
        "",
        description="Name of an environment variable holding the webhook secret (preferred "
        "to webhook_secret, which would put the secret in the file).",
    )

    @field_validator("webhook_secret_env")
    @classmethod
    def _env_name(cls, value: str) -> str:
        value = value.strip()
        if value and not _ENV_NAME.match(value):
            raise ValueError(f"{value!r} is not an environment variable name")
        return value

    @model_validator(mode="after")
    def _webhook_secret_source(self) -> WatchlistConfig:
        has_secret = self.webhook_secret is not None or bool(self.webhook_secret_env)
        if self.webhook_url and not has_secret:
            raise ValueError("webhook_url needs webhook_secret_env (or webhook_secret)")
        if has_secret and not self.webhook_url:
            raise ValueError("a webhook secret needs a webhook_url")
        return self


class WebhooksConfig(_Model):
    """How watchlist webhooks are delivered (one signed POST per watchlist and ingest)."""

    timeout_seconds: Annotated[float, Field(gt=0, le=60)] = Field(
        5, description="Timeout to connect and to read the answer of one POST."
    )
    max_attempts: Annotated[int, Field(ge=1, le=10)] = Field(
        4, description="Attempts per delivery on network errors, 429 and 5xx answers."
    )
    backoff_seconds: Annotated[float, Field(ge=0, le=60)] = Field(
        1, description="Wait after the first failed attempt; doubles after each further one."
    )
    send_interval_seconds: Annotated[int, Field(ge=1, le=300)] = Field(
        5,
        description="How often the outbox worker of `corresp schedule` sends the deliveries "
        "that are due (alerts are recorded by the ingest, never sent by it).",
    )
    allow_private_networks: bool = Field(
        False,
        description="Allow webhook hosts that are or resolve to loopback, private, shared "
        "(CGNAT), link-local, multicast, reserved or unspecified addresses (refused by "
        "default, when a watchlist is written through the API and at every delivery).",
    )

    def validation_context(self, *, resolve: Resolver = resolve_host) -> dict[str, Any]:
        """The context under which watchlist models check webhook hosts by this setting:
        ``WatchlistInput.model_validate(data, context=hooks.validation_context())``."""
        policy = AddressPolicy(self.allow_private_networks, resolve=resolve)
        return {ADDRESS_POLICY: policy}


_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class SmtpConfig(_Model):
    """How watchlist alerts are e-mailed (``alerts.smtp``); an empty ``host`` = no e-mail."""

    host: str = Field("", description="SMTP server; empty = e-mail alerts off.")
    port: Annotated[int, Field(ge=1, le=65535)] = Field(
        587, description="SMTP port (587 submission with STARTTLS, 465 implicit TLS, 25)."
    )
    security: Literal["starttls", "tls", "none"] = Field(
        "starttls",
        description="starttls: upgrade the connection (refused if the server cannot); tls: "
        "TLS from the start (port 465); none: plain text, for a relay on this machine.",
    )
    username: str = Field("", description="Login name; empty = no login.")
    password: SecretStr | None = Field(
        None,
        description="Login password; set it in the environment (CORRESP__ALERTS__SMTP__"
        "PASSWORD), not in the file.",
    )
    from_address: str = Field("", description="Sender address of the messages.")
    timeout_seconds: Annotated[float, Field(gt=0, le=120)] = Field(
        20, description="Timeout of the connection and of each SMTP command."
    )
    daily_at: str = Field(
        "07:00",
        description="HH:MM, US Eastern: when the daily digests are sent (each holds the "
        "alerts found since the previous one).",
    )
    max_attempts: Annotated[int, Field(ge=1, le=20)] = Field(
        6, description="Attempts per message before it is parked with its last error."
    )
    backoff_seconds: Annotated[float, Field(ge=0, le=3600)] = Field(
        60, description="Wait after the first failed attempt; doubles after each further one."
    )
    web_url: str = Field(
        "",
        description="Base URL of this project's web interface, for links in the messages "
        "(e.g. https://corresp.example.org); empty = links to EDGAR only.",
    )

    @field_validator("host", "username", "web_url")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("from_address")
    @classmethod
    def _sender(cls, value: str) -> str:
        return normalize_email(value) if value.strip() else ""

    @field_validator("daily_at")
    @classmethod
    def _clock(cls, value: str) -> str:
        if not _CLOCK.match(value.strip()):
            raise ValueError(f"{value[:20]!r} is not a time of day as HH:MM (24-hour)")
        return value.strip()

    @field_validator("web_url")
    @classmethod
    def _web_url(cls, value: str) -> str:
        return check_webhook_url(value).rstrip("/") if value else ""

    @model_validator(mode="after")
    def _sender_needed(self) -> SmtpConfig:
        if self.host and not self.from_address:
            raise ValueError("from_address is required when host is set")
        if self.password is not None and not self.username:
            raise ValueError("password needs a username")
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.host)

    @property
    def daily_time(self) -> tuple[int, int]:
        hours, minutes = self.daily_at.split(":")
        return int(hours), int(minutes)


class AlertsConfig(_Model):
    """Delivery channels of watchlist alerts other than webhooks (``webhooks``)."""

    smtp: SmtpConfig = Field(default_factory=SmtpConfig, description="E-mail delivery.")
