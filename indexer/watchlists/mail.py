"""E-mail alerts: when a digest is due, what it says, and sending it over SMTP.

The only ``smtplib`` import. A watchlist with ``email`` addresses gets its alerts as digests,
through the same outbox as webhooks (``outbox.Channel``): the ingest records, on each new
alert, an ``email`` state ``{status: "pending", delivery_id, next_attempt_at}`` and the
outbox worker sends what is due, one message per digest, retried with backoff and parked with
its last error when it keeps failing (``alerts.smtp``).

- ``immediate``: one digest per ingest batch (the alerts one ingest found for the watchlist),
  due at once;
- ``daily``: every alert found before the next ``alerts.smtp.daily_at`` (US Eastern) shares
  the digest id ``email-{watchlist}-{YYYYMMDD}`` of that moment and is due then, so a day's
  alerts arrive in one message.

Each message carries ``Message-ID`` and ``X-Corresp-Delivery`` built from the digest id, so a
repeat after a crash (at least once, as for webhooks) is recognisable. SMTP failures become
``Attempt`` outcomes here, in words a user can act on: an unreachable server, a 4xx answer
and a dropped connection are retried; refused login, a 5xx answer, a server without the
STARTTLS the config asks for and a TLS failure park the digest at once.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import socket
import ssl
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from indexer.watchlists.models import EDGAR_TIME, DigestMode, SmtpConfig, Watchlist
from indexer.watchlists.outbox import Channel
from indexer.watchlists.webhooks import Attempt, DeliveryPolicy, new_delivery_id

__all__ = [
    "MailSender",
    "digest_due",
    "digest_id",
    "email_channel",
    "render_digest",
    "send_message",
]

logger = logging.getLogger(__name__)

MailSender = Callable[[SmtpConfig, EmailMessage, int], Attempt]
_MAX_ERROR_CHARS = 300


def digest_due(found_at: datetime, mode: DigestMode, daily_at: tuple[int, int]) -> datetime:
    """When the digest holding an alert found at ``found_at`` is sent: at once
    (``immediate``), or the first ``daily_at`` (US Eastern) after it."""
    if mode == "immediate":
        return found_at
    local = found_at.astimezone(EDGAR_TIME)
    hours, minutes = daily_at
    due = datetime.combine(local.date(), time(hours, minutes), tzinfo=EDGAR_TIME)
    if due <= local:
        due = datetime.combine(
            local.date() + timedelta(days=1), time(hours, minutes), tzinfo=EDGAR_TIME
        )
    return due.astimezone(UTC)


def digest_id(watchlist_id: str, mode: DigestMode, due: datetime) -> str:
    """The id shared by the alerts of one digest (a new one per batch when ``immediate``)."""
    if mode == "immediate":
        return f"email-{new_delivery_id()}"
    return f"email-{watchlist_id}-{due.astimezone(EDGAR_TIME):%Y%m%d}"


_KINDS = {
    "comment": "staff comment letter",
    "review_complete": "staff letter closing the review",
    "no_review": "staff letter: no review",
    "response": "company response",
    "acceleration_request": "acceleration request",
    "extension_request": "extension request",
    "supplemental": "supplemental letter",
    "withdrawal_request": "withdrawal request",
}


def _line(alert: dict[str, Any], web_url: str) -> list[str]:
    code = str(alert.get("letter_type") or "")
    kind = _KINDS.get(code, code.replace("_", " ") or "letter")
    dated = f"dated {alert['letter_date']}" if alert.get("letter_date") else "undated"
    released = f", released {alert['released_on']}" if alert.get("released_on") else ""
    company = alert.get("company") or "CIK " + ", ".join(alert.get("ciks") or [])
    lines = [
        f"* {company}",
        f"  {alert.get('form', '')}: {kind}, {dated}{released}",
        f"  matched by: {alert.get('matched_by') or '-'}",
    ]
    if alert.get("url"):
        lines.append(f"  EDGAR: {alert['url']}")
    if web_url:
        lines.append(f"  Read:  {web_url}/letter/{alert['accession']}")
    return lines


def render_digest(
    watchlist: Watchlist,
    alerts: Sequence[dict[str, Any]],
    *,
    delivery_id: str,
    config: SmtpConfig,
    now: datetime | None = None,
) -> EmailMessage:
    """The message of one digest: a plain-text list of the letters, newest found last."""
    ordered = sorted(alerts, key=lambda a: (str(a.get("found_at")), str(a["alert_id"])))
    count = len(ordered)
    noun = "letter" if count == 1 else "letters"
    message = EmailMessage()
    message["Subject"] = f"[corresp] {watchlist.name}: {count} new SEC comment {noun}"
    message["From"] = config.from_address
    message["To"] = ", ".join(watchlist.email)
    message["Date"] = format_datetime(now or datetime.now(UTC))
    fingerprint = hashlib.sha256(
        "\n".join(str(a["alert_id"]) for a in ordered).encode()
    ).hexdigest()[:16]
    domain = config.from_address.rpartition("@")[2]
    message["Message-ID"] = f"<{delivery_id}.{fingerprint}@{domain}>"
    message["X-Corresp-Delivery"] = delivery_id
    message["X-Corresp-Watchlist"] = watchlist.id
    message["Auto-Submitted"] = "auto-generated"
    body = [
        f"{count} new SEC comment {noun} for the watchlist “{watchlist.name}”:",
        "",
    ]
    for alert in ordered:
        body += [*_line(alert, config.web_url), ""]
    manage = f" ({config.web_url}/watch/{watchlist.id})" if config.web_url else ""
    body += [
        "--",
        f"Sent by corresp to the addresses of watchlist “{watchlist.id}”{manage}.",
    ]
    message.set_content("\n".join(body))
    return message


def _short(text: str) -> str:
    return " ".join(text.split())[:_MAX_ERROR_CHARS]


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error
    reason = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"SMTP {exc.smtp_code}: {_short(reason)}"


def _hand_over(config: SmtpConfig, message: EmailMessage) -> dict[str, tuple[int, bytes]]:
    """Connect, secure, log in and send; the recipients refused (others were accepted)."""
    smtp: smtplib.SMTP
    if config.security == "tls":
        smtp = smtplib.SMTP_SSL(
            config.host,
            config.port,
            timeout=config.timeout_seconds,
            context=ssl.create_default_context(),
        )
    else:
        smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout_seconds)
    with smtp:
        if config.security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if config.username:
            password = config.password.get_secret_value() if config.password else ""
            smtp.login(config.username, password)
        return smtp.send_message(message)


def _failure(exc: Exception, config: SmtpConfig) -> tuple[str, bool, int | None]:
    """``(what went wrong, retryable, SMTP code)`` of an exception of ``_hand_over``."""
    where = f"{config.host}:{config.port}"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return (
            f"{where} does not offer STARTTLS (alerts.smtp.security is starttls; use tls "
            "for port 465, or none for a relay on this machine)",
            False,
            None,
        )
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = sorted(exc.recipients.items())
        codes = [code for _, (code, _text) in refused]
        listed = "; ".join(f"{address} ({code})" for address, (code, _text) in refused)
        return f"every recipient refused: {listed}", all(400 <= c < 500 for c in codes), None
    if isinstance(exc, smtplib.SMTPResponseException):
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return f"login refused by {where}: {_reply(exc)}", False, exc.smtp_code
        transient = 400 <= exc.smtp_code < 500
        return f"{where} answered {_reply(exc)}", transient, exc.smtp_code
    error, retryable = _connection_failure(exc, config)
    return error, retryable, None


def _connection_failure(exc: Exception, config: SmtpConfig) -> tuple[str, bool]:
    where = f"{config.host}:{config.port}"
    detail = _short(str(exc)) or type(exc).__name__
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return f"{where} closed the connection: {detail}", True
    if isinstance(exc, ssl.SSLError):
        return f"TLS with {where} failed: {detail}", False
    if isinstance(exc, socket.gaierror):
        return f"SMTP server {config.host!r} not found: {detail}", True
    if isinstance(exc, OSError):
        return f"SMTP server {where} unreachable: {detail}", True
    return f"SMTP error with {where}: {detail}", True


def send_message(config: SmtpConfig, message: EmailMessage, number: int) -> Attempt:
    """Attempt ``number``: hand ``message`` to the configured server, no waiting."""
    started = datetime.now(UTC)
    delivery = message["X-Corresp-Delivery"]
    try:
        refused = _hand_over(config, message)
    except (smtplib.SMTPException, OSError) as exc:  # ssl.SSLError and timeouts are OSErrors
        error, retryable, status = _failure(exc, config)
        logger.warning("e-mail digest %s, attempt %d: %s", delivery, number, error)
        return Attempt(number, started, status, error, retryable=retryable)
    if refused:
        logger.warning("e-mail digest %s: recipients refused: %s", delivery, sorted(refused))
    return Attempt(number, started, 250, None)


def email_channel(config: SmtpConfig, *, send: MailSender = send_message) -> Channel:
    """E-mail digests: one message per digest to the watchlist's addresses."""
    policy = DeliveryPolicy(
        timeout_seconds=config.timeout_seconds,
        max_attempts=config.max_attempts,
        backoff_seconds=config.backoff_seconds,
    )

    def attempt(
        watchlist: Watchlist, delivery_id: str, alerts: list[dict[str, Any]], number: int
    ) -> Attempt | str:
        if not config.enabled:
            return "alerts.smtp.host is not set: e-mail alerts are off"
        if not watchlist.email:
            return "the watchlist has no e-mail address any more"
        message = render_digest(watchlist, alerts, delivery_id=delivery_id, config=config)
        return send(config, message, number)

    return Channel("email", "email", policy, attempt)
