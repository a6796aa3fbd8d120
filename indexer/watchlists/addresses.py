"""Where webhooks may go: the address check that keeps webhook URLs from reaching inside.

Whoever defines a watchlist chooses its ``webhook_url``, and the indexer POSTs to it. Without
a check that is a server-side request forgery: ``http://169.254.169.254/…`` (cloud metadata),
``http://127.0.0.1:9200/…`` (Elasticsearch), anything on the private network. So a webhook
host that is, or resolves to, an address that is not public is refused:

- loopback (127.0.0.0/8, ::1) and the names ``localhost``, ``*.localhost``;
- private (RFC 1918, fc00::/7, fec0::/10), shared (100.64.0.0/10, CGNAT), link-local
  (169.254.0.0/16, fe80::/10), multicast, reserved and unspecified (0.0.0.0, ::) addresses,
  and whatever else ``ipaddress`` does not call global;
- the same written another way: IPv4-mapped, 6to4 and NAT64 IPv6 forms
  (``::ffff:127.0.0.1``), and the IPv4 spellings resolvers accept (``inet_aton``): decimal
  ``2130706433``, hex ``0x7f.1``, octal ``017700000001``, short ``127.1``.

A name is resolved (``socket.getaddrinfo``, every A and AAAA answer) and refused when any
answer is forbidden. ``webhooks.allow_private_networks: true`` turns the check off (for
receivers on the operator's own network, and tests).

The check runs twice: when a watchlist is written through the API (``check_new_url``: a name
that does not resolve then is accepted, since DNS may be down or the receiver not yet set up)
and before every delivery attempt (``target``: what does not resolve then is a failed,
retried attempt). The resolver is injectable (``AddressPolicy.resolve``), so tests need no DNS.

::

    ValueError
      WebhookAddressError(host)                    base; a ``ValueError``, so a model
        ForbiddenAddressError(host, address, kind)    validator's error names webhook_url
        UnresolvableHostError(host)                  no address for the name (now)
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = [
    "SETTING",
    "AddressPolicy",
    "ForbiddenAddressError",
    "IPAddress",
    "Resolver",
    "UnresolvableHostError",
    "WebhookAddressError",
    "WebhookTarget",
    "address_kind",
    "parse_ip_literal",
    "resolve_host",
    "webhook_host",
]

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], Sequence[str]]
"""A host name -> the IP addresses it resolves to, as text; raises ``UnresolvableHostError``."""

SETTING = "webhooks.allow_private_networks"

_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_SHARED = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_V4_PART = re.compile(r"0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*")


class WebhookAddressError(ValueError):
    """A webhook host that may not, or cannot, be reached."""

    def __init__(self, host: str, message: str) -> None:
        super().__init__(message)
        self.host = host


class ForbiddenAddressError(WebhookAddressError):
    """The host is, or resolves to, an address that is not public."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        if host == address:
            subject = f"{host} is"
        elif parse_ip_literal(host) is not None:
            subject = f"{host} ({address}) is"
        else:
            subject = f"{host} resolves to {address},"
        article = "an" if kind[0] in "aeiou" else "a"
        super().__init__(host, f"{subject} {article} {kind} address; set {SETTING} to allow it")
        self.address = address
        self.kind = kind


class UnresolvableHostError(WebhookAddressError):
    """The name has no address now (unknown, or DNS unreachable)."""


@dataclass(frozen=True)
class WebhookTarget:
    """Where a webhook goes: the host as sent (``Host``, TLS name) and the checked addresses."""

    host: str
    addresses: tuple[IPAddress, ...]


def resolve_host(host: str) -> list[str]:
    """Every address of ``host`` (A and AAAA), through the system resolver."""
    try:
        answers = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnresolvableHostError(host, f"{host} does not resolve: {exc}") from exc
    return list(dict.fromkeys(str(answer[4][0]) for answer in answers))


def webhook_host(url: str) -> str:
    """The host of ``url`` as resolvers see it: lower case, IDNA-encoded, no brackets."""
    host = urlsplit(url.strip()).hostname or ""
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise WebhookAddressError(host, f"{host!r} is not a valid host name") from None
    if not host:
        raise WebhookAddressError(host, "the URL has no host")
    return host


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address ``host`` spells, in any form resolvers take as an address, else ``None``."""
    text = host.removesuffix(".")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return _inet_aton(text)


def _inet_aton(text: str) -> ipaddress.IPv4Address | None:
    """IPv4 as ``inet_aton`` reads it: 1-4 parts, each decimal, octal (0…) or hex (0x…),
    the last filling the remaining bytes (``127.1`` = 127.0.0.1, ``2130706433`` too)."""
    parts = text.split(".")
    if len(parts) > 4 or not all(_V4_PART.fullmatch(part) for part in parts):
        return None
    values = [_number(part) for part in parts]
    *head, last = values
    if any(value > 255 for value in head) or last >= 256 ** (4 - len(head)):
        return None
    number = last
    for position, value in enumerate(head):
        number += value << (8 * (3 - position))
    return ipaddress.IPv4Address(number)


def _number(part: str) -> int:
    if part[:2].lower() == "0x":
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8)
    return int(part)


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, NAT64), if any."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_kind(address: IPAddress) -> str | None:
    """Why a webhook may not go to ``address`` (``"loopback"``, ``"private"``…), or
    ``None`` for a public address."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return address_kind(embedded)
    checks: list[tuple[bool, str]] = [
        (address.is_unspecified, "unspecified"),
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (address.is_reserved, "reserved"),
        (address in _SHARED, "shared (CGNAT)"),
        (address.is_private, "private"),
        (isinstance(address, ipaddress.IPv6Address) and address.is_site_local, "site-local"),
        (not address.is_global, "non-public"),
    ]
    return next((kind for forbidden, kind in checks if forbidden), None)


@dataclass(frozen=True)
class AddressPolicy:
    """Which webhook hosts may be reached, and how names are resolved."""

    allow_private_networks: bool = False
    resolve: Resolver = resolve_host

    def target(self, url: str) -> WebhookTarget:
        """The host of ``url`` and the addresses to connect to (all of them checked);
        raises ``ForbiddenAddressError``, ``UnresolvableHostError``, ``WebhookAddressError``."""
        host = webhook_host(url)
        literal = parse_ip_literal(host)
        if literal is not None:
            self._check(host, [literal])
            return WebhookTarget(str(literal), (literal,))
        if not self.allow_private_networks and _is_local_name(host):
            raise ForbiddenAddressError(host, host, "loopback")
        answers = [_parse_answer(host, text) for text in self.resolve(host)]
        if not answers:
            raise UnresolvableHostError(host, f"{host} has no address")
        self._check(host, answers)
        return WebhookTarget(host, tuple(answers))

    def check_new_url(self, url: str) -> None:
        """At creation: refuse a forbidden host; accept a name that does not resolve now
        (it is checked again before every delivery)."""
        try:
            self.target(url)
        except UnresolvableHostError as exc:
            logger.info("webhook host accepted unresolved (checked at delivery): %s", exc)

    def _check(self, host: str, addresses: Sequence[IPAddress]) -> None:
        if self.allow_private_networks:
            return
        for address in addresses:
            if kind := address_kind(address):
                reached = _embedded_ipv4(address) or address
                raise ForbiddenAddressError(host, str(reached), kind)


def _is_local_name(host: str) -> bool:
    name = host.removesuffix(".")
    return name in _LOCAL_NAMES or name.endswith(".localhost")


def _parse_answer(host: str, text: str) -> IPAddress:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        raise UnresolvableHostError(host, f"{host} resolved to {text!r}, not an address") from None
