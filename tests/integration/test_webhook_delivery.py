"""Webhook delivery to a real HTTP server on loopback: the address check at delivery time, the
connection pinned to the checked address, and redirects never followed."""

from __future__ import annotations

import http.server
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from indexer.watchlists.addresses import UnresolvableHostError
from indexer.watchlists.models import WatchlistSpec, WebhooksConfig
from indexer.watchlists.webhooks import DeliveryPolicy, DeliveryResult, deliver, verify_signature

pytestmark = pytest.mark.integration

SECRET = "a-webhook-secret-of-some-length"
HOST = "hooks.example.test"  # .test never resolves: only the fake resolver knows it
REDIRECTS = (301, 302, 303, 307, 308)


@dataclass
class Receiver:
    """Records every POST; ``/status/N`` answers N (with a Location for 3xx), ``/flaky``
    500 the first time, anything else 200."""

    port: int = 0
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str) -> int:
        if path.startswith("/status/"):
            return int(path.removeprefix("/status/"))
        if path.startswith("/flaky"):
            return 500 if len(self.requests) == 1 else 200
        return 200


def _serve(tls: ssl.SSLContext | None = None) -> Iterator[Receiver]:
    state = Receiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with state.lock:
                state.requests.append(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers)}
                    | {"body": body}
                )
                status = state.answer(self.path)
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "/landing")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler) as server:
        if tls is not None:
            server.socket = tls.wrap_socket(server.socket, server_side=True)
        state.port = server.server_address[1]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield state  # pytest resumes here after the test, whether it passed or not
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from _serve()


@pytest.fixture
def tls_receiver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    """An HTTPS receiver whose self-signed certificate names only ``HOST``, trusted through
    ``SSL_CERT_FILE`` (read by ``ssl.create_default_context``)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subject = ["-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}"]
    files = ["-keyout", str(key), "-out", str(cert)]
    command = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subprocess.run([*command, *subject, *files], check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    yield from _serve(tls)


class Dns:
    """A resolver whose answers the test changes; counts lookups."""

    def __init__(self, **answers: list[str]) -> None:
        self.answers = {name.replace("_", "."): value for name, value in answers.items()}
        self.lookups: list[str] = []

    def __call__(self, host: str) -> Sequence[str]:
        self.lookups.append(host)
        if host not in self.answers:
            raise UnresolvableHostError(host, f"{host} does not resolve")
        return self.answers[host]


def _deliver(url: str, dns: Dns, *, allow: bool, max_attempts: int = 3) -> DeliveryResult:
    policy = DeliveryPolicy(
        timeout_seconds=3,
        max_attempts=max_attempts,
        backoff_seconds=0,
        allow_private_networks=allow,
    )
    return deliver(url, {"alerts": [1]}, SECRET, policy=policy, sleep=lambda _s: None, resolve=dns)


def test_a_host_that_turns_private_after_creation_is_refused_and_nothing_is_sent(
    receiver: Receiver,
) -> None:
    url = f"http://{HOST}:{receiver.port}/hooks/corresp"
    dns = Dns(hooks_example_test=["93.184.215.14"])  # public when the watchlist is written
    context = WebhooksConfig().validation_context(resolve=dns)
    spec = WatchlistSpec.model_validate({"name": "n", "webhook_url": url}, context=context)
    assert spec.webhook_url == url

    dns.answers[HOST] = ["127.0.0.1"]  # ... and loopback when the alerts go out
    result = _deliver(url, dns, allow=False)

    (attempt,) = result.attempts
    assert not result.delivered
    assert (attempt.status, attempt.retryable) == (None, False)
    assert attempt.error == (
        f"refused: webhook host {HOST} resolves to 127.0.0.1, a loopback address; "
        "set webhooks.allow_private_networks to allow it"
    )
    assert receiver.requests == []

    allowed = _deliver(url, dns, allow=True)  # the same receiver is reachable when allowed
    assert allowed.delivered
    assert [r["path"] for r in receiver.requests] == ["/hooks/corresp"]


def test_the_post_goes_to_the_checked_address_under_the_urls_host_name(
    receiver: Receiver,
) -> None:
    """``hooks.example.test`` exists only in the fake resolver: the connection is made to
    the address it answered, checked once per attempt, never looked up a second time."""
    dns = Dns(hooks_example_test=["127.0.0.1"])
    result = _deliver(f"http://{HOST}:{receiver.port}/flaky?token=1", dns, allow=True)

    assert result.delivered
    assert [a.error for a in result.attempts] == ["HTTP 500", None]
    assert dns.lookups == [HOST, HOST]
    for request in receiver.requests:
        assert (request["method"], request["path"]) == ("POST", "/flaky?token=1")
        assert request["headers"]["Host"] == f"{HOST}:{receiver.port}"
        signature = request["headers"]["X-Corresp-Signature"]
        assert verify_signature(SECRET, request["body"], signature)


def test_a_loopback_literal_needs_the_setting(receiver: Receiver) -> None:
    url = f"http://127.0.0.1:{receiver.port}/hook"
    refused = _deliver(url, Dns(), allow=False)
    assert refused.attempts[-1].error is not None
    assert refused.attempts[-1].error.startswith("refused: webhook host 127.0.0.1 is a loopback")
    assert receiver.requests == []
    assert _deliver(url, Dns(), allow=True).delivered
    assert len(receiver.requests) == 1


@pytest.mark.parametrize("status", REDIRECTS)
def test_a_redirect_is_a_failed_delivery_and_is_not_followed(
    receiver: Receiver, status: int
) -> None:
    result = _deliver(f"http://127.0.0.1:{receiver.port}/status/{status}", Dns(), allow=True)

    (attempt,) = result.attempts
    assert not result.delivered
    assert (attempt.status, attempt.error, attempt.retryable) == (status, f"HTTP {status}", False)
    assert [r["path"] for r in receiver.requests] == [f"/status/{status}"]  # no /landing


def test_https_goes_to_the_checked_address_and_verifies_the_urls_host_name(
    tls_receiver: Receiver,
) -> None:
    dns = Dns(hooks_example_test=["127.0.0.1"], other_example_test=["127.0.0.1"])
    result = _deliver(f"https://{HOST}:{tls_receiver.port}/hook", dns, allow=True)
    assert result.delivered
    assert tls_receiver.requests[0]["headers"]["Host"] == f"{HOST}:{tls_receiver.port}"

    # The same address under a name the certificate does not carry: TLS refuses it.
    other = _deliver(f"https://other.example.test:{tls_receiver.port}/hook", dns, allow=True)
    assert not other.delivered
    assert other.attempts[-1].error is not None
    assert "certificate verify failed" in other.attempts[-1].error
    assert len(tls_receiver.requests) == 1
