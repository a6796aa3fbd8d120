"""The polite EDGAR client on an in-process transport (crawler.client).

Each test scripts the server's answers with a ``Server`` handler behind ``MockTransport``; the
throttle runs on a fake clock, so cool-downs of 660 s take no time, and retries wait through a
recording ``sleep`` with millisecond delays.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

import crawler.client as client_module
from crawler.client import EdgarClient, MockTransport, make_client
from crawler.errors import (
    CrawlAborted,
    DownloadError,
    EdgarNotFoundError,
    RateLimitedError,
    ResponseTooLargeError,
    UserAgentError,
)
from crawler.retry import RetryPolicy
from crawler.throttle import Throttle
from indexer.settings import EdgarConfig

UA = "Example Research jane@example.org"
HOSTS = {"www": "www.sec.gov", "data": "data.sec.gov", "efts": "efts.sec.gov"}
PATH = "/Archives/edgar/data/320193/000032019324000061/0000320193-24-000061.txt"
COOLDOWN = 660.0
FAST = RetryPolicy(max_attempts=3, base_delay_seconds=0.001, max_delay_seconds=0.004, jitter=0)

ACCESS_DENIED = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
    b"<Message>Access Denied</Message><RequestId>R1</RequestId><HostId>H1</HostId></Error>"
)
NO_SUCH_KEY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>'
    b"<Message>The specified key does not exist.</Message>"
    b"<Key>submissions/CIK-000000001.json</Key></Error>"
)
BLOCK_PAGE = (
    b"<!DOCTYPE html><html><head><title>SEC.gov | Request Rate Threshold Exceeded</title>"
    b"</head><body><h1>Your Request Rate Threshold Exceeded</h1><p>To allow for equitable "
    b"access to all users, SEC reserves the right to limit requests.</p></body></html>"
)
UNDECLARED_TOOL_PAGE = (
    b"<html><head><title>SEC.gov | Request Rate Threshold Exceeded</title></head><body>"
    b"<p>Your request has been identified as part of a network of automated tools outside of "
    b"the acceptable policy and will be managed until action is taken to declare your traffic."
    b" SEC reserves the right to limit requests originating from undeclared automated tools."
    b"</p></body></html>"
)

Reply = Callable[[httpx.Request], httpx.Response]


class FakeClock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


class Server:
    """A scripted EDGAR: answers in order, the last one repeated; records every request."""

    def __init__(self, *replies: Reply, clock: Callable[[], float] | None = None) -> None:
        assert replies
        self.replies = list(replies)
        self.clock = clock
        self.requests: list[httpx.Request] = []
        self.times: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.times.append(self.clock() if self.clock else 0.0)
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        return reply(request)

    @property
    def hosts(self) -> list[str]:
        return [request.url.host for request in self.requests]


def ok(body: bytes = b"hello", **headers: str) -> Reply:
    return lambda _request: httpx.Response(200, content=body, headers=headers)


def status(code: int, body: bytes = b"", content_type: str = "text/html", **headers: str) -> Reply:
    return lambda _request: httpx.Response(
        code, content=body, headers={"content-type": content_type, **headers}
    )


def access_denied() -> Reply:
    return status(403, ACCESS_DENIED, "application/xml")


def block_page() -> Reply:
    return status(403, BLOCK_PAGE, "text/html; charset=utf-8")


def raises(exc_type: type[httpx.HTTPError]) -> Reply:
    def reply(request: httpx.Request) -> httpx.Response:
        raise exc_type("simulated", request=request)

    return reply


def edgar_config(**overrides: object) -> EdgarConfig:
    return EdgarConfig(user_agent=UA, **overrides)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def connect(clock: FakeClock, waits: list[float]) -> Iterator[Callable[..., EdgarClient]]:
    """Build clients on a fake-clock throttle; every client is closed after the test."""
    opened: list[EdgarClient] = []

    def build(
        server: Server,
        *,
        cfg: EdgarConfig | None = None,
        policy: RetryPolicy = FAST,
        rate: float = 10,
    ) -> EdgarClient:
        cfg = cfg or edgar_config()
        throttle = Throttle(rate, COOLDOWN, clock=clock, sleep=clock.sleep)
        client = EdgarClient(
            cfg,
            throttle=throttle,
            policy=policy,
            transport=MockTransport(server),
            sleep=waits.append,
        )
        opened.append(client)
        return client

    yield build
    for client in opened:
        client.close()


# -- identity ----------------------------------------------------------------------------------


def test_every_request_declares_the_user_agent_and_accept_encoding(connect, clock) -> None:
    server = Server(ok(), clock=clock)
    client = connect(server)

    client.get("www", PATH)
    client.get("data", "/submissions/CIK0000320193.json")
    client.get("efts", "/LATEST/search-index?q=comment")

    assert server.hosts == ["www.sec.gov", "data.sec.gov", "efts.sec.gov"]
    for request in server.requests:
        assert request.headers["user-agent"] == UA
        assert request.headers["accept-encoding"] == "gzip, deflate"
        assert request.method == "GET"


@pytest.mark.parametrize(
    "user_agent",
    ["", "   ", "python-httpx/0.28", "jane@example.org", "Example Research"],
    ids=["empty", "blank", "library-default", "email-only", "name-only"],
)
def test_missing_or_invalid_user_agent_is_refused_before_any_request(user_agent: str) -> None:
    server = Server(ok())
    cfg = EdgarConfig().model_copy(update={"user_agent": user_agent})
    throttle = Throttle(9, COOLDOWN)

    with pytest.raises(UserAgentError, match=r"edgar\.user_agent"):
        EdgarClient(cfg, throttle=throttle, policy=FAST, transport=MockTransport(server))
    with pytest.raises(UserAgentError):
        make_client(cfg, transport=MockTransport(server))

    assert server.requests == []
    assert throttle.stats.granted == 0


# -- objects that are not there ------------------------------------------------------------------


def test_403_access_denied_xml_means_absent_after_exactly_one_request(connect) -> None:
    server = Server(access_denied())
    client = connect(server)

    with pytest.raises(EdgarNotFoundError) as caught:
        client.get("www", PATH)

    assert len(server.requests) == 1
    assert caught.value.status == 403
    assert caught.value.url == "https://www.sec.gov" + PATH
    assert not client.throttle.in_cooldown()
    assert client.stats.blocks == 0
    assert client.stats.by_outcome == {"not-found": 1}


def test_404_no_such_key_means_absent_after_exactly_one_request(connect) -> None:
    server = Server(status(404, NO_SUCH_KEY, "application/json"))
    client = connect(server)

    with pytest.raises(EdgarNotFoundError) as caught:
        client.get("data", "/submissions/CIK-000000001.json")

    assert len(server.requests) == 1
    assert caught.value.status == 404
    assert not client.throttle.in_cooldown()


@pytest.mark.samples
def test_the_real_sec_error_bodies_are_classified_as_absent(connect, samples_dir: Path) -> None:
    forbidden = (samples_dir / "index/errors/full-index_2099_QTR1_form.gz.403.xml").read_bytes()
    missing = (samples_dir / "json/errors/CIK-000000001.json.404.json").read_bytes()
    server = Server(status(403, forbidden, "application/xml"), status(404, missing, "text/plain"))
    client = connect(server)

    with pytest.raises(EdgarNotFoundError):
        client.get("www", "/Archives/edgar/full-index/2099/QTR1/form.gz")
    with pytest.raises(EdgarNotFoundError):
        client.get("data", "/submissions/CIK-000000001.json")

    assert len(server.requests) == 2
    assert client.stats.blocks == 0


def test_other_client_errors_are_not_retried(connect) -> None:
    server = Server(status(400, b"bad request"), ok())
    client = connect(server)

    with pytest.raises(DownloadError) as caught:
        client.get("www", PATH)

    assert type(caught.value) is DownloadError
    assert (caught.value.status, caught.value.attempts) == (400, 1)
    assert len(server.requests) == 1


# -- retries -----------------------------------------------------------------------------------


def test_server_error_then_success_is_retried(connect, waits) -> None:
    server = Server(status(500, b"oops"), ok(b"the filing"))
    client = connect(server)

    result = client.get("www", PATH)

    assert len(server.requests) == 2
    assert (result.status, result.content, result.attempts) == (200, b"the filing", 2)
    assert waits, "the retry must wait through the injected sleep"
    assert client.stats.by_outcome == {"server-error": 1, "ok": 1}


@pytest.mark.parametrize("code", [500, 502, 503, 504])
def test_server_errors_forever_give_up_after_max_attempts(connect, code: int) -> None:
    server = Server(status(code, b"unavailable"))
    client = connect(server)

    with pytest.raises(DownloadError) as caught:
        client.get("www", PATH)

    assert type(caught.value) is DownloadError
    assert (caught.value.status, caught.value.attempts) == (code, FAST.max_attempts)
    assert len(server.requests) == FAST.max_attempts
    assert client.stats.blocks == 0


@pytest.mark.parametrize(
    "failure", [httpx.ConnectError, httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ReadError]
)
def test_transport_errors_are_retried_then_reported_as_download_error(connect, failure) -> None:
    server = Server(raises(failure))
    client = connect(server)

    with pytest.raises(DownloadError) as caught:
        client.get("www", PATH)

    assert type(caught.value) is DownloadError
    assert not isinstance(caught.value, httpx.HTTPError)
    assert (caught.value.status, caught.value.attempts) == (None, FAST.max_attempts)
    assert len(server.requests) == FAST.max_attempts
    assert client.stats.by_outcome == {"transient": FAST.max_attempts}


@pytest.mark.parametrize("failure", [httpx.ConnectError, httpx.ReadTimeout])
def test_a_transport_error_then_success_is_retried(connect, failure) -> None:
    server = Server(raises(failure), ok(b"body"))
    client = connect(server)

    result = client.get("www", PATH)

    assert (result.content, result.attempts) == (b"body", 2)
    assert len(server.requests) == 2


def test_a_connection_dropped_mid_body_is_retried(connect) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        def body() -> Iterator[bytes]:
            yield b"first half of the "
            raise httpx.ReadError("connection reset", request=request)

        return httpx.Response(200, content=body())

    server = Server(broken, ok(b"complete body"))
    client = connect(server)

    result = client.get("www", PATH)

    assert result.content == b"complete body"
    assert len(server.requests) == 2


def test_retry_after_header_is_honoured(monkeypatch, connect, clock) -> None:
    # _wait() measures time with time.monotonic: run it on the fake clock too.
    monkeypatch.setattr(client_module, "time", SimpleNamespace(monotonic=clock, sleep=clock.sleep))
    server = Server(status(503, b"busy", **{"retry-after": "120"}), ok(), clock=clock)
    client = connect(server)
    client._sleep = clock.sleep

    client.get("www", PATH)

    assert server.times[1] - server.times[0] >= 120


@pytest.mark.parametrize("header", ["999999999", "9" * 400, "Fri, 31 Dec 9999 23:59:59 GMT"])
def test_an_absurd_retry_after_is_cut_to_an_hour(
    monkeypatch, connect, clock, caplog, header: str
) -> None:
    fake_time = SimpleNamespace(monotonic=clock, sleep=clock.sleep, time=time.time)
    monkeypatch.setattr(client_module, "time", fake_time)
    server = Server(status(429, b"", **{"retry-after": header}), ok(), clock=clock)
    client = connect(server)
    client._sleep = clock.sleep

    client.get("www", PATH)

    waited = server.times[1] - server.times[0]
    assert 3600 == client_module.MAX_RETRY_AFTER_SECONDS <= waited < 3600 + 5
    assert "longer than the 3600 s the crawler waits at most" in caplog.text


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", None),
        ("١٢٠", None),
        ("120", 120.0),
        (" 7 ", 7.0),
        ("Mon, 01 Jan 2001 00:00:00 GMT", 0.0),
    ],
)
def test_retry_after_values(header: str | None, expected: float | None) -> None:
    assert client_module._retry_after_seconds(header) == expected


def test_injected_sleep_receives_exactly_the_retry_delay(connect, waits) -> None:
    policy = RetryPolicy(max_attempts=2, base_delay_seconds=0.02, max_delay_seconds=1, jitter=0)
    server = Server(status(500), ok())
    client = connect(server, policy=policy)

    client.get("www", PATH)

    assert sum(waits) == pytest.approx(0.02)


# -- SEC's block page ---------------------------------------------------------------------------


def test_block_page_silences_all_hosts_for_the_cooldown_then_retries(connect, clock) -> None:
    server = Server(block_page(), ok(b"finally"), clock=clock)
    client = connect(server)

    result = client.get("www", PATH)

    assert result.content == b"finally"
    assert len(server.requests) == 2
    assert server.times[1] - server.times[0] >= COOLDOWN
    assert client.throttle.stats.cooldowns == 1
    assert client.stats.blocks == 1
    assert result.attempts == 1, "the blocked attempt is not one of the URL's attempts"


def test_cooldown_covers_the_other_hosts_too(connect, clock) -> None:
    server = Server(ok(), clock=clock)
    client = connect(server, policy=RetryPolicy(max_attempts=1))
    client.throttle.start_cooldown()
    started = clock.now

    client.get("data", "/submissions/CIK0000320193.json")

    assert server.times[0] >= started + COOLDOWN
    assert server.hosts[0] == "data.sec.gov"


def test_a_blocked_attempt_does_not_use_up_the_urls_attempts(connect) -> None:
    server = Server(block_page(), status(500), ok(b"body"))
    client = connect(server, policy=RetryPolicy(max_attempts=2, base_delay_seconds=0.001))

    result = client.get("www", PATH)

    assert result.attempts == 2
    assert len(server.requests) == 3


def test_three_consecutive_blocks_raise_rate_limited(connect, clock) -> None:
    server = Server(block_page(), clock=clock)
    client = connect(server)

    with pytest.raises(RateLimitedError) as caught:
        client.get("www", PATH)

    assert isinstance(caught.value, DownloadError)
    assert caught.value.status == 403
    assert len(server.requests) == 3
    assert all(b - a >= COOLDOWN for a, b in pairwise(server.times))
    assert client.stats.blocks == 3
    assert client.throttle.in_cooldown(), "the last block must leave all hosts silenced"


def test_a_success_between_blocks_resets_the_block_count(connect) -> None:
    server = Server(block_page(), block_page(), ok(b"a"), block_page(), block_page(), ok(b"b"))
    client = connect(server)

    first = client.get("www", PATH)
    second = client.get("www", PATH)

    assert (first.content, second.content) == (b"a", b"b")
    assert client.stats.blocks == 4


@pytest.mark.parametrize(
    "reply",
    [
        status(429, b""),
        status(429, b"Too Many Requests", "text/plain", **{"retry-after": "1"}),
        status(403, UNDECLARED_TOOL_PAGE),
        status(403, b"<html><body>Forbidden</body></html>"),
    ],
    ids=["429", "429-retry-after", "undeclared-tool", "unrecognized-403"],
)
def test_other_refusals_are_treated_as_blocks(connect, clock, reply: Reply) -> None:
    server = Server(reply, ok(), clock=clock)
    client = connect(server)

    client.get("www", PATH)

    assert client.stats.blocks == 1
    assert client.throttle.stats.cooldowns == 1
    assert server.times[1] - server.times[0] >= COOLDOWN


def test_three_429s_raise_rate_limited_with_their_status(connect) -> None:
    server = Server(status(429))
    client = connect(server)

    with pytest.raises(RateLimitedError) as caught:
        client.get("data", "/submissions/CIK0000320193.json")

    assert caught.value.status == 429
    assert len(server.requests) == 3


def test_a_short_real_cooldown_delays_the_retry() -> None:
    server = Server(block_page(), ok(b"after"), clock=time.monotonic)
    throttle = Throttle(10, 0.3)
    with EdgarClient(
        edgar_config(), throttle=throttle, policy=FAST, transport=MockTransport(server)
    ) as client:
        result = client.get("www", PATH)

    assert result.content == b"after"
    assert server.times[1] - server.times[0] >= 0.3
    assert throttle.stats.cooldowns == 1


# -- pacing --------------------------------------------------------------------------------------


def test_requests_wait_for_their_turn_in_the_shared_throttle(connect, clock) -> None:
    server = Server(ok(), clock=clock)
    client = connect(server, rate=5)

    for host in ["www", "data", "efts", "www", "data", "efts"]:
        client.get(host, "/x")

    gaps = [b - a for a, b in pairwise(server.times)]
    assert min(gaps) >= client.throttle.interval - 1e-9


def test_cancel_while_waiting_to_retry_aborts(connect) -> None:
    server = Server(status(500), ok())
    client = connect(server, policy=RetryPolicy(max_attempts=3, base_delay_seconds=30))

    with pytest.raises(CrawlAborted):
        client.get("www", PATH, cancelled=lambda: len(server.requests) >= 1)

    assert len(server.requests) == 1


def test_cancel_during_a_cooldown_aborts_without_sending(connect, clock) -> None:
    server = Server(ok(), clock=clock)
    client = connect(server)
    client.throttle.start_cooldown()
    cancel_at = clock.now + 5

    with pytest.raises(CrawlAborted):
        client.get("www", PATH, cancelled=lambda: clock.now >= cancel_at)

    assert server.requests == []


# -- size limits ---------------------------------------------------------------------------------


def test_a_declared_content_length_over_the_limit_is_refused(connect) -> None:
    limit = 1_000_000
    server = Server(ok(b"x" * (limit + 1)))
    client = connect(server, cfg=edgar_config(max_response_bytes=limit))

    with pytest.raises(ResponseTooLargeError) as caught:
        client.get("www", PATH)

    assert server.requests[0].url.path == PATH
    assert len(server.requests) == 1
    assert caught.value.limit == limit
    assert isinstance(caught.value, DownloadError)


def test_a_streamed_body_without_content_length_is_cut_off_at_the_limit(connect) -> None:
    limit = 1_000_000
    chunk = b"y" * 65_536
    total_chunks = 100
    sent: list[int] = []

    def streamed(_request: httpx.Request) -> httpx.Response:
        def body() -> Iterator[bytes]:
            for index in range(total_chunks):
                sent.append(index)
                yield chunk

        response = httpx.Response(200, content=body())
        assert "content-length" not in response.headers
        return response

    server = Server(streamed)
    client = connect(server, cfg=edgar_config(max_response_bytes=limit))

    with pytest.raises(ResponseTooLargeError):
        client.get("www", PATH)

    assert len(server.requests) == 1
    assert len(sent) < total_chunks, "the client must stop reading once over the limit"
    assert len(sent) * len(chunk) <= limit + 2 * len(chunk)


def test_max_bytes_argument_overrides_the_configured_limit(connect) -> None:
    server = Server(ok(b"z" * 2_000))
    client = connect(server)

    with pytest.raises(ResponseTooLargeError):
        client.get("www", PATH, max_bytes=1_000)
    assert client.get("www", PATH, max_bytes=2_000).content == b"z" * 2_000


def test_a_body_at_exactly_the_limit_is_accepted(connect) -> None:
    limit = 1_000_000
    server = Server(ok(b"q" * limit))
    client = connect(server, cfg=edgar_config(max_response_bytes=limit))

    assert len(client.get("www", PATH).content) == limit


def test_a_too_large_response_is_still_counted_as_sent(connect) -> None:
    server = Server(ok(b"x" * 2_000))
    client = connect(server)

    with pytest.raises(ResponseTooLargeError):
        client.get("www", PATH, max_bytes=1_000)

    assert client.stats.requests == 1
    assert client.stats.by_host == {"www": 1}


def test_gzip_content_encoding_is_decoded(connect) -> None:
    original = b"<SEC-DOCUMENT>" + b"letter text " * 1000
    server = Server(
        lambda _request: httpx.Response(
            200, content=gzip.compress(original), headers={"content-encoding": "gzip"}
        )
    )
    client = connect(server)

    assert client.get("www", PATH).content == original


# -- conditional requests ------------------------------------------------------------------------


def test_304_is_returned_as_not_modified_when_if_none_match_was_sent(connect) -> None:
    def conditional(request: httpx.Request) -> httpx.Response:
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304, headers={"etag": '"v1"'})
        return httpx.Response(200, content=b"index", headers={"etag": '"v1"'})

    server = Server(conditional)
    client = connect(server)

    fresh = client.get("www", "/Archives/edgar/daily-index/2024/QTR2/form.20240614.idx")
    again = client.get(
        "www", "/Archives/edgar/daily-index/2024/QTR2/form.20240614.idx", etag=fresh.etag
    )

    assert (fresh.status, fresh.not_modified, fresh.content, fresh.etag) == (
        200,
        False,
        b"index",
        '"v1"',
    )
    assert (again.status, again.not_modified, again.content) == (304, True, b"")
    assert server.requests[1].headers["if-none-match"] == '"v1"'
    assert "if-none-match" not in server.requests[0].headers
    assert len(server.requests) == 2


def test_last_modified_is_sent_as_if_modified_since(connect) -> None:
    stamp = "Fri, 14 Jun 2024 22:05:11 GMT"
    server = Server(lambda _request: httpx.Response(304))
    client = connect(server)

    result = client.get("www", "/x", last_modified=stamp)

    assert server.requests[0].headers["if-modified-since"] == stamp
    assert result.not_modified


# -- only the configured hosts -------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "https://evil.example/Archives/x.txt",
        "http://www.sec.gov/Archives/x.txt",
        "//evil.example/x",
        "Archives/edgar/data/1/x.txt",
        "",
        "/redirect?to=https://evil.example/",
    ],
)
def test_anything_but_a_plain_path_is_refused_without_a_request(connect, path: str) -> None:
    server = Server(ok())
    client = connect(server)

    with pytest.raises(DownloadError):
        client.url("www", path)
    with pytest.raises(DownloadError):
        client.get("www", path)

    assert server.requests == []


@pytest.mark.parametrize(
    "path",
    ["/@evil.example/x", "/.evil.example/x", "/..//evil.example/x", "/%2F%2Fevil.example/x"],
)
def test_odd_paths_stay_on_the_configured_host(connect, path: str) -> None:
    server = Server(ok())
    client = connect(server)

    client.get("www", path)

    assert server.hosts == ["www.sec.gov"]


def test_configured_base_urls_are_the_only_hosts_contacted(connect) -> None:
    server = Server(ok())
    cfg = edgar_config(
        base_urls={
            "www": "http://mirror.test:8080",
            "data": "http://data.mirror.test",
            "efts": "http://efts.mirror.test/",
        }
    )
    client = connect(server, cfg=cfg)

    for host in ("www", "data", "efts"):
        client.get(host, "/path")

    assert [str(request.url) for request in server.requests] == [
        "http://mirror.test:8080/path",
        "http://data.mirror.test/path",
        "http://efts.mirror.test/path",
    ]


def test_redirects_to_another_host_are_not_followed(connect) -> None:
    server = Server(status(302, b"", location="https://evil.example/x"), ok())
    client = connect(server)

    with pytest.raises(DownloadError) as caught:
        client.get("www", PATH)

    assert caught.value.status == 302
    assert server.hosts == ["www.sec.gov"]


# -- statistics and construction ----------------------------------------------------------------


def test_stats_count_requests_by_host_and_outcome(connect) -> None:
    server = Server(
        ok(b"12345"),
        status(404, NO_SUCH_KEY, "application/xml"),
        status(503),
        ok(b"abc"),
        block_page(),
        lambda _request: httpx.Response(304),
    )
    client = connect(server)

    client.get("www", "/a")
    with pytest.raises(EdgarNotFoundError):
        client.get("data", "/submissions/CIK0000000001.json")
    client.get("efts", "/LATEST/search-index")
    client.get("www", "/b", etag='"e"')

    assert client.stats.requests == 6
    assert client.stats.by_host == {"www": 3, "data": 1, "efts": 2}
    assert client.stats.by_outcome == {
        "ok": 2,
        "not-found": 1,
        "server-error": 1,
        "rate-limited": 1,
        "not-modified": 1,
    }
    assert client.stats.bytes_received == len(b"12345") + len(b"abc")
    assert client.stats.blocks == 1


def test_make_client_wires_throttle_and_policy_from_the_configuration() -> None:
    cfg = edgar_config(max_requests_per_second=5, block_cooldown_seconds=700, max_attempts=1)
    server = Server(status(500))

    with make_client(cfg, transport=MockTransport(server)) as client:
        assert client.throttle.max_requests_per_second == 5
        assert client.throttle.cooldown_seconds == 700
        assert client.policy.max_attempts == 1
        assert (
            client.url("data", "/submissions/x.json") == "https://data.sec.gov/submissions/x.json"
        )
        with pytest.raises(DownloadError) as caught:
            client.get("www", PATH)

    assert caught.value.attempts == 1
    assert len(server.requests) == 1
    assert server.requests[0].headers["user-agent"] == UA
    assert client.throttle.stats.granted == 1


def test_fetch_result_parses_last_modified() -> None:
    server = Server(ok(b"x", **{"last-modified": "Fri, 14 Jun 2024 22:05:11 GMT"}), ok(b"y"))
    throttle = Throttle(10, COOLDOWN)
    transport = MockTransport(server)
    with EdgarClient(edgar_config(), throttle=throttle, policy=FAST, transport=transport) as client:
        dated = client.get("www", "/a")
        undated = client.get("www", "/b")

    assert dated.last_modified_at() == 1718402711.0
    assert undated.last_modified_at() is None


def test_block_pages_for_requests_already_in_flight_are_one_block() -> None:
    """Requests sent before the first block page arrived are refused too: that is one block
    (it extends the cool-down), not several, so the crawl waits instead of giving up."""
    in_flight = 5
    arrived = threading.Barrier(in_flight)
    served: list[str] = []
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        with lock:
            first_wave = len(served) < in_flight
            served.append(request.url.path)
        if first_wave:
            arrived.wait(timeout=5)  # all five are on the wire before any answer comes back
            return block_page()(request)
        return ok()(request)

    throttle = Throttle(10, 0.3)  # a short real cool-down
    client = EdgarClient(
        edgar_config(), throttle=throttle, policy=FAST, transport=MockTransport(handler)
    )
    results: list[object] = []
    try:
        threads = [
            threading.Thread(target=lambda: results.append(client.get("www", PATH)))
            for _ in range(in_flight)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        client.close()
    assert len(results) == in_flight  # every request succeeded after the cool-down
    assert throttle.block_epoch == 1
    assert client.stats.blocks == in_flight
