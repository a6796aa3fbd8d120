"""E-mail digests of watchlist alerts, sent to a real SMTP server on loopback (aiosmtpd).

Immediate digests go out at the next outbox pass, one message per ingest; daily digests wait
for ``alerts.smtp.daily_at`` and then hold every alert since the last one; an SMTP server that
is unreachable or refuses the login leaves a parked digest with its reason (``/watch/{id}``,
``GET /watchlists/{id}``), ``corresp alerts retry`` sends it again, and the ingest is never
held up by it.
"""

from __future__ import annotations

import email
import email.policy
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from click.testing import CliRunner

from crawler.handoff import send_due
from indexer.cli.main import cli
from indexer.watchlists.indices import WatchIndices
from indexer.watchlists.mail import email_channel
from indexer.watchlists.models import EDGAR_TIME
from indexer.watchlists.outbox import Outbox
from tests.es.watchlists.conftest import KEY, LVS, WRITE, WYNN, WatchEnv, assert_error
from tests.ports import free_port

pytestmark = pytest.mark.samples

SENDER = "alerts@corresp.example.org"
USER, PASSWORD = "corresp", "smtp-password-0123"


@dataclass
class Mailbox:
    """What the SMTP server received: envelopes and the parsed messages."""

    port: int
    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_DATA(  # noqa: N802 - the hook aiosmtpd calls
        self, _server: SMTP, _session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.box.lock:
            self.box.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


def _authenticate(box: Mailbox) -> Callable[..., AuthResult]:
    def check(
        _server: SMTP, _session: Session, _envelope: Envelope, _mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        box.logins.append(data.login.decode())
        ok = (data.login.decode(), data.password.decode()) == (USER, PASSWORD)
        return AuthResult(success=ok, handled=False)  # aiosmtpd answers 235 or 535

    return check


@pytest.fixture
def smtp_server() -> Iterator[Mailbox]:
    """An SMTP server on loopback that checks the login the client makes."""
    box = Mailbox(port=free_port())
    controller = Controller(
        _Handler(box),
        hostname="127.0.0.1",
        port=box.port,
        authenticator=_authenticate(box),
        auth_require_tls=False,  # AUTH offered in plain text: it is loopback
    )
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


def _smtp(port: int, **overrides: Any) -> dict[str, Any]:
    return {
        "smtp": {
            "host": "127.0.0.1",
            "port": port,
            "security": "none",
            "username": USER,
            "password": PASSWORD,
            "from_address": SENDER,
            "backoff_seconds": 0,
            "web_url": "https://corresp.example.org",
        }
        | overrides
    }


def _email_states(env: WatchEnv, watchlist_id: str) -> list[dict[str, Any]]:
    alerts = env.alerts(watchlist_id, size=100)["alerts"]
    return [alert["email"] for alert in alerts]


def test_immediate_digest_is_one_message_per_ingest_with_every_letter(
    watch_env: Callable[..., WatchEnv], smtp_server: Mailbox
) -> None:
    env = watch_env(alerts=_smtp(smtp_server.port))
    created = env.create(
        name="Casinos", ciks=[LVS], email=["Compliance@Example.ORG"], email_digest="immediate"
    )
    assert created["email"] == ["Compliance@example.org"]

    report = env.ingest(LVS)
    assert (report.alerts, report.emails_queued) == (9, 1)
    assert smtp_server.messages == []  # the ingest records; only the outbox sends

    sent = send_due(env.settings)
    assert sent.delivered == 1
    ((recipients, message),) = smtp_server.messages
    assert recipients == ["Compliance@example.org"]
    assert message["From"] == SENDER
    assert message["Subject"] == "[corresp] Casinos: 9 new SEC comment letters"
    assert message["Auto-Submitted"] == "auto-generated"
    delivery_id = message["X-Corresp-Delivery"]
    assert delivery_id.startswith("email-")
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    alerts = env.alerts(created["id"], size=100)["alerts"]
    for alert in alerts:
        assert f"https://corresp.example.org/letter/{alert['accession']}" in text
        assert alert["url"] in text
        assert alert["email"]["status"] == "delivered"
        assert alert["email"]["delivery_id"] == delivery_id
    assert smtp_server.logins == [USER]

    assert send_due(env.settings).delivered == 0  # nothing is sent twice
    assert len(smtp_server.messages) == 1
    summary = env.client.get(f"/watchlists/{created['id']}").json()["alerts"]
    assert summary["emails"] == {"delivered": 9}
    assert summary["last_email"]["status"] == "delivered"
    page = env.client.get(f"/watch/{created['id']}").text
    assert "Compliance@example.org" in page and "immediate digest" in page


def test_daily_digest_waits_for_its_hour_then_holds_the_whole_day(
    watch_env: Callable[..., WatchEnv], smtp_server: Mailbox
) -> None:
    env = watch_env(alerts=_smtp(smtp_server.port, daily_at="06:30"))
    created = env.create(name="Daily", ciks=[LVS, WYNN], email=["desk@example.org"])
    assert created["email_digest"] == "daily"
    env.ingest(LVS)
    env.ingest(WYNN)
    assert send_due(env.settings).delivered == 0
    states = _email_states(env, created["id"])
    assert {state["status"] for state in states} == {"pending"}
    assert len({state["delivery_id"] for state in states}) == 1  # one digest for the day
    due = datetime.fromisoformat(states[0]["next_attempt_at"])
    local = due.astimezone(EDGAR_TIME)
    assert (local.hour, local.minute) == (6, 30)
    assert timedelta(0) < due - datetime.now(due.tzinfo) <= timedelta(days=1)

    names = WatchIndices(env.prefix)
    channel = email_channel(env.settings.alerts.smtp)
    before = Outbox(env.es, names, channel=channel, clock=lambda: due - timedelta(minutes=1))
    assert before.deliver_due().delivered == 0
    after = Outbox(env.es, names, channel=channel, clock=lambda: due + timedelta(minutes=1))
    assert after.deliver_due().delivered == 1
    ((_, message),) = smtp_server.messages
    total = len(states)
    assert message["Subject"] == f"[corresp] Daily: {total} new SEC comment letters"
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "LAS VEGAS SANDS" in text.upper() and "WYNN" in text.upper()
    assert "UPLOAD: staff comment letter, dated " in text


def test_unreachable_smtp_server_parks_the_digest_and_retry_sends_it(
    watch_env: Callable[..., WatchEnv], smtp_server: Mailbox
) -> None:
    dead = free_port()  # nothing listens there
    env = watch_env(alerts=_smtp(dead, max_attempts=2))
    created = env.create(
        name="Casinos", ciks=[LVS], email=["desk@example.org"], email_digest="immediate"
    )
    report = env.ingest(LVS)
    assert report.alerts == 9  # the ingest is not held up by the mail server

    first = send_due(env.settings)
    assert (first.delivered, first.retrying) == (0, 1)
    second = send_due(env.settings)
    assert (second.delivered, second.parked) == (0, 1)
    summary = env.client.get(f"/watchlists/{created['id']}").json()["alerts"]
    assert summary["emails"] == {"parked": 9}
    last = summary["last_email"]
    assert last["attempts"] == 2
    assert f"SMTP server 127.0.0.1:{dead} unreachable" in last["last_error"]
    assert f"127.0.0.1:{dead} unreachable" in env.client.get(f"/watch/{created['id']}").text
    assert send_due(env.settings).delivered == 0  # parked stays parked

    # The user fixes the server's port and sends the parked digest again.
    result = CliRunner().invoke(
        cli, ["alerts", "retry", "--json"], env=_cli_env(env, smtp_server.port)
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["email"]["requeued"], summary["email"]["delivered"]) == (1, 1)
    assert len(smtp_server.messages) == 1
    assert {state["status"] for state in _email_states(env, created["id"])} == {"delivered"}


def _cli_env(env: WatchEnv, port: int) -> dict[str, str]:
    """``corresp`` on the test's cluster, prefix and data folder, mailing to ``port``."""
    return {
        "CORRESP__ELASTICSEARCH__URL": env.settings.elasticsearch.url,
        "CORRESP__ELASTICSEARCH__INDEX_PREFIX": env.prefix,
        "CORRESP__STORAGE__DATA_DIR": str(env.data_dir),
        "CORRESP__ALERTS__SMTP__HOST": "127.0.0.1",
        "CORRESP__ALERTS__SMTP__PORT": str(port),
        "CORRESP__ALERTS__SMTP__SECURITY": "none",
        "CORRESP__ALERTS__SMTP__USERNAME": USER,
        "CORRESP__ALERTS__SMTP__PASSWORD": PASSWORD,
        "CORRESP__ALERTS__SMTP__FROM_ADDRESS": SENDER,
    }


def test_refused_login_parks_at_once_with_the_servers_answer(
    watch_env: Callable[..., WatchEnv], smtp_server: Mailbox
) -> None:
    env = watch_env(alerts=_smtp(smtp_server.port, password="a-wrong-password-99"))
    created = env.create(
        name="Casinos", ciks=[LVS], email=["desk@example.org"], email_digest="immediate"
    )
    env.ingest(LVS)
    sent = send_due(env.settings)
    assert (sent.delivered, sent.parked) == (0, 1)  # not retried: a wrong password stays wrong
    last = env.client.get(f"/watchlists/{created['id']}").json()["alerts"]["last_email"]
    assert last["attempts"] == 1
    assert last["last_error"].startswith(f"login refused by 127.0.0.1:{smtp_server.port}: SMTP 535")
    assert last["response_status"] == 535
    assert "a-wrong-password-99" not in str(last)
    assert smtp_server.messages == []


def test_email_addresses_are_checked_and_need_smtp(
    watch_env: Callable[..., WatchEnv], smtp_server: Mailbox
) -> None:
    off = watch_env()
    response = off.client.post(
        "/watchlists",
        json={"name": "X", "ciks": [LVS], "email": ["desk@example.org"]},
        headers=WRITE,
    )
    body = assert_error(response, 400, "email")
    assert "alerts.smtp.host" in body["error"]

    on = watch_env(alerts=_smtp(smtp_server.port))
    for bad in (["not-an-address"], ["Desk <desk@example.org>"], ["a@b.c, d@e.f"]):
        response = on.client.post(
            "/watchlists", json={"name": "X", "ciks": [LVS], "email": bad}, headers=WRITE
        )
        assert assert_error(response, 400, "email[0]")["error"].startswith("email[0]: not an")
    response = on.client.post(
        "/watchlists",
        json={"name": "X", "ciks": [LVS], "email": ["a@example.org"], "email_digest": "hourly"},
        headers=WRITE,
    )
    assert_error(response, 400, "email_digest")


def test_the_web_form_sets_addresses_and_the_digest_when_email_is_on(
    watch_env: Callable[..., WatchEnv], smtp_server: Mailbox
) -> None:
    off = watch_env()
    assert 'name="email"' not in off.client.get("/watch").text  # no field without SMTP
    env = watch_env(alerts=_smtp(smtp_server.port))
    assert 'name="email_digest"' in env.client.get("/watch").text
    form = {
        "name": "Desk",
        "ciks": LVS,
        "email": "desk@example.org, legal@example.org",
        "email_digest": "immediate",
        "api_key": KEY,
    }
    created = env.client.post("/watch", data=form, follow_redirects=False)
    assert created.status_code == 303
    watchlist_id = created.headers["location"].rsplit("/", 1)[-1]
    stored = env.client.get(f"/watchlists/{watchlist_id}").json()
    assert stored["email"] == ["desk@example.org", "legal@example.org"]
    assert stored["email_digest"] == "immediate"
    refused = env.client.post("/watch", data=form | {"email": "nobody"})
    assert refused.status_code == 400
    assert "email[0]: not an e-mail address" in refused.text
