"""Webhook hosts against server-side request forgery: the address check, with a fake resolver."""

from __future__ import annotations

import socket
from collections.abc import Sequence
from typing import Any

import pytest
from pydantic import ValidationError

from api.watch_actions import describe_input_error
from api.watch_schemas import WatchlistInput
from indexer.settings import Settings
from indexer.watchlists.addresses import (
    AddressPolicy,
    ForbiddenAddressError,
    UnresolvableHostError,
    WebhookAddressError,
    parse_ip_literal,
    resolve_host,
)
from indexer.watchlists.models import Watchlist, WatchlistConfig, WatchlistSpec, WebhooksConfig
from indexer.watchlists.webhooks import DeliveryPolicy, deliver

DNS = {
    "hooks.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
    "intranet.example.com": ["10.0.0.5"],
    "metadata.example.com": ["169.254.169.254"],
    "mixed.example.com": ["93.184.215.14", "::1"],
    "mapped.example.com": ["::ffff:192.168.1.20"],
    "localhost": ["127.0.0.1", "::1"],
}


def fake_dns(host: str) -> Sequence[str]:
    if host not in DNS:
        raise UnresolvableHostError(host, f"{host} does not resolve")
    return DNS[host]


def no_dns(host: str) -> Sequence[str]:
    raise AssertionError(f"an address literal was looked up: {host}")


STRICT = AddressPolicy(resolve=fake_dns)
ALLOWING = AddressPolicy(allow_private_networks=True, resolve=fake_dns)

FORBIDDEN_LITERALS = [
    ("http://127.0.0.1/hook", "127.0.0.1 is a loopback address"),
    ("https://127.0.0.1:8443/hook?token=x", "127.0.0.1 is a loopback address"),
    ("http://user:password@127.0.0.1/", "127.0.0.1 is a loopback address"),
    ("http://127.0.0.1./", "127.0.0.1. (127.0.0.1) is a loopback address"),
    ("http://127.1/", "127.1 (127.0.0.1) is a loopback address"),
    ("http://2130706433/", "2130706433 (127.0.0.1) is a loopback address"),
    ("http://0x7f.1/", "0x7f.1 (127.0.0.1) is a loopback address"),
    ("http://0X7F000001/", "0x7f000001 (127.0.0.1) is a loopback address"),
    ("http://017700000001/", "017700000001 (127.0.0.1) is a loopback address"),
    ("http://0177.0.0.01/", "0177.0.0.01 (127.0.0.1) is a loopback address"),
    ("http://127。0。0。1/", "127.0.0.1 is a loopback address"),  # ideographic full stops
    ("http://[::1]:8080/", "::1 is a loopback address"),
    ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1 (127.0.0.1) is a loopback address"),
    ("http://[::ffff:7f00:1]/", "::ffff:7f00:1 (127.0.0.1) is a loopback address"),
    ("http://10.0.0.5/", "10.0.0.5 is a private address"),
    ("http://172.16.0.1/", "172.16.0.1 is a private address"),
    ("http://192.168.1.1/", "192.168.1.1 is a private address"),
    ("http://0xa000005/", "0xa000005 (10.0.0.5) is a private address"),
    ("http://[fc00::1]/", "fc00::1 is a private address"),
    ("http://[fd12:3456::1]/", "fd12:3456::1 is a private address"),
    ("http://[fec0::1]/", "fec0::1 is a site-local address"),
    ("http://[::ffff:10.0.0.5]/", "::ffff:10.0.0.5 (10.0.0.5) is a private address"),
    ("http://[64:ff9b::a00:5]/", "64:ff9b::a00:5 (10.0.0.5) is a private address"),
    ("http://[2002:a00:5::1]/", "2002:a00:5::1 (10.0.0.5) is a private address"),
    ("http://100.64.0.1/", "100.64.0.1 is a shared (CGNAT) address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://[fe80::1]/", "fe80::1 is a link-local address"),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
    ("http://[ff02::1]/", "ff02::1 is a multicast address"),
    ("http://240.0.0.1/", "240.0.0.1 is a reserved address"),
    ("http://255.255.255.255/", "255.255.255.255 is a reserved address"),
    ("http://0.0.0.0:9200/", "0.0.0.0 is an unspecified address"),
    ("http://0/", "0 (0.0.0.0) is an unspecified address"),
    ("http://[::]/", ":: is an unspecified address"),
    ("http://localhost:9200/", "localhost is a loopback address"),
    ("http://LocalHost./", "localhost. is a loopback address"),
    ("http://es.localhost/", "es.localhost is a loopback address"),
]

FORBIDDEN_NAMES = [
    ("http://intranet.example.com/h", "intranet.example.com resolves to 10.0.0.5, a private"),
    ("http://metadata.example.com/", "metadata.example.com resolves to 169.254.169.254, a link"),
    ("http://mixed.example.com/", "mixed.example.com resolves to ::1, a loopback address"),
    ("http://mapped.example.com/", "mapped.example.com resolves to 192.168.1.20, a private"),
]

ALLOWED = [
    ("https://93.184.215.14/hook", ("93.184.215.14",)),
    ("http://8.8.8.8:8080/", ("8.8.8.8",)),
    ("https://[2606:4700:4700::1111]/x", ("2606:4700:4700::1111",)),
    ("https://hooks.example.com/x", tuple(DNS["hooks.example.com"])),
]


@pytest.mark.parametrize(("url", "message"), FORBIDDEN_LITERALS + FORBIDDEN_NAMES)
def test_hosts_that_are_or_resolve_to_non_public_addresses_are_refused(
    url: str, message: str
) -> None:
    with pytest.raises(ForbiddenAddressError) as exc_info:
        STRICT.target(url)
    text = str(exc_info.value)
    assert text.startswith(message)
    assert text.endswith("; set webhooks.allow_private_networks to allow it")
    assert "token" not in text and "password" not in text  # only the host is named


@pytest.mark.parametrize(("url", "addresses"), ALLOWED)
def test_public_hosts_are_allowed_and_every_answer_is_kept(
    url: str, addresses: tuple[str, ...]
) -> None:
    target = STRICT.target(url)
    assert tuple(str(address) for address in target.addresses) == addresses


@pytest.mark.parametrize(
    "url", [url for url, _ in FORBIDDEN_LITERALS if "localhost" not in url.lower()]
)
def test_address_literals_are_never_looked_up(url: str) -> None:
    with pytest.raises(ForbiddenAddressError):
        AddressPolicy(resolve=no_dns).target(url)
    assert AddressPolicy(allow_private_networks=True, resolve=no_dns).target(url).addresses


def test_allow_private_networks_allows_loopback_and_private_names() -> None:
    assert [str(a) for a in ALLOWING.target("http://127.0.0.1:8000/h").addresses] == ["127.0.0.1"]
    assert ALLOWING.target("http://0x7f.1/").host == "127.0.0.1"
    assert [str(a) for a in ALLOWING.target("http://localhost/").addresses] == [
        "127.0.0.1",
        "::1",
    ]
    assert ALLOWING.target("http://intranet.example.com/").host == "intranet.example.com"
    ALLOWING.check_new_url("http://169.254.169.254/")


def test_a_name_without_an_address_is_unresolvable() -> None:
    with pytest.raises(UnresolvableHostError, match=r"nowhere\.example\.com does not resolve"):
        STRICT.target("https://nowhere.example.com/")
    with pytest.raises(UnresolvableHostError, match="has no address"):
        AddressPolicy(resolve=lambda _host: []).target("https://empty.example.com/")
    with pytest.raises(UnresolvableHostError, match="not an address"):
        AddressPolicy(resolve=lambda _host: ["junk"]).target("https://junk.example.com/")
    STRICT.check_new_url("https://nowhere.example.com/")  # accepted: checked at delivery


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("4294967295", "255.255.255.255"),
        ("1.0x10000", "1.1.0.0"),
        ("4294967296", None),
        ("256.1", None),
        ("1.16777216", None),
        ("08.1.1.1", None),  # 08 is no octal number
        ("1.2.3.4.5", None),
        ("1..2", None),
        ("+1", None),
        ("hooks.example.com", None),
    ],
)
def test_ipv4_spellings_are_read_like_inet_aton(host: str, address: str | None) -> None:
    parsed = parse_ip_literal(host)
    assert (str(parsed) if parsed else None) == address


def test_the_system_resolver_is_translated(monkeypatch: pytest.MonkeyPatch) -> None:
    def unknown(*_args: Any, **_kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)
    with pytest.raises(UnresolvableHostError, match="Name or service not known"):
        resolve_host("nowhere.example.com")

    def answers(*_args: Any, **_kwargs: Any) -> Any:
        stream = (socket.AF_INET, socket.SOCK_STREAM, 6, "")
        return [
            (*stream, ("93.184.215.14", 0)),
            (*stream, ("93.184.215.14", 0)),
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("2606:4700::1", 0, 0, 0)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", answers)
    assert resolve_host("hooks.example.com") == ["93.184.215.14", "2606:4700::1"]


def test_a_host_that_is_no_valid_name_is_an_address_error() -> None:
    with pytest.raises(WebhookAddressError, match="not a valid host name"):
        STRICT.target("http://" + "é" * 70 + ".example.com/")


def _context(*, allow: bool = False) -> dict[str, Any]:
    hooks = WebhooksConfig(allow_private_networks=allow)
    return hooks.validation_context(resolve=fake_dns)


def test_the_api_answers_a_forbidden_webhook_naming_webhook_url() -> None:
    with pytest.raises(ValidationError) as exc_info:
        WatchlistInput.model_validate(
            {"name": "n", "webhook_url": "http://10.0.0.5/hook"}, context=_context()
        )
    assert describe_input_error(exc_info.value) == (
        "webhook_url",
        "10.0.0.5 is a private address; set webhooks.allow_private_networks to allow it",
    )
    with pytest.raises(ValidationError, match=r"resolves to 169\.254\.169\.254"):
        WatchlistSpec.model_validate(
            {"name": "n", "webhook_url": "https://metadata.example.com/"}, context=_context()
        )


def test_creation_accepts_public_unresolved_and_allowed_private_hosts() -> None:
    for url in ("https://hooks.example.com/x", "https://not-yet.example.com/x"):
        spec = WatchlistSpec.model_validate({"name": "n", "webhook_url": url}, context=_context())
        assert spec.webhook_url == url
    allowed = WatchlistSpec.model_validate(
        {"name": "n", "webhook_url": "http://127.0.0.1:9/hook"}, context=_context(allow=True)
    )
    assert allowed.webhook_url == "http://127.0.0.1:9/hook"


def test_stored_and_configured_watchlists_are_read_without_a_check() -> None:
    """No context, no lookup: the store reads what was accepted; delivery checks again."""
    url = "http://127.0.0.1:9/hook"
    secret = "s3cret-s3cret-s3cret"
    stored = Watchlist.model_validate(
        {"id": "w", "name": "W", "webhook_url": url, "webhook_secret": secret}
    )
    configured = WatchlistConfig.model_validate(
        {"id": "w", "name": "W", "webhook_url": url, "webhook_secret_env": "HOOK_SECRET"}
    )
    assert stored.webhook_url == configured.webhook_url == url


def test_the_setting_is_off_by_default() -> None:
    assert Settings().webhooks.allow_private_networks is False
    assert DeliveryPolicy().allow_private_networks is False
    loaded = Settings.model_validate({"webhooks": {"allow_private_networks": True}})
    assert loaded.webhooks.allow_private_networks is True


def test_a_host_unresolvable_at_delivery_is_a_retried_no_answer() -> None:
    sleeps: list[float] = []
    result = deliver(
        "https://nowhere.example.com/hook",
        {"alerts": []},
        "a-webhook-secret-of-some-length",
        policy=DeliveryPolicy(max_attempts=3, backoff_seconds=0.5),
        sleep=sleeps.append,
        resolve=fake_dns,
    )
    assert not result.delivered
    assert [a.error for a in result.attempts] == [
        "no answer: nowhere.example.com does not resolve"
    ] * 3
    assert all(a.retryable for a in result.attempts)
    assert sleeps == [0.5, 1.0]


def test_a_forbidden_host_at_delivery_is_refused_at_once() -> None:
    sleeps: list[float] = []
    seen: list[str | None] = []
    result = deliver(
        "http://intranet.example.com/hook",
        {"alerts": []},
        "a-webhook-secret-of-some-length",
        policy=DeliveryPolicy(max_attempts=4),
        sleep=sleeps.append,
        on_attempt=lambda _result, attempt: seen.append(attempt.error),
        resolve=fake_dns,
    )
    (attempt,) = result.attempts
    assert not result.delivered and not attempt.retryable and attempt.status is None
    assert attempt.error == (
        "refused: webhook host intranet.example.com resolves to 10.0.0.5, a private address; "
        "set webhooks.allow_private_networks to allow it"
    )
    assert (seen, sleeps) == ([attempt.error], [])
