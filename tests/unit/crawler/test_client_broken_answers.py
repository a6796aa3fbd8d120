"""What the client makes of EDGAR's broken answers (crawler.client): a 429 whose Retry-After
outlasts the cool-down, and a gzip body cut short by a Content-Length that lied.

The transport is in process; the throttle runs on a fake clock, retries wait through a no-op.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator

import httpx
import pytest

from crawler.client import EdgarClient
from crawler.errors import DownloadError
from tests.unit.crawler.fake_client import COOLDOWN, FakeClock, fast_client

PATH = "/Archives/edgar/daily-index/2023/QTR1/form.20230109.idx"
BODY = b"".join(b"UPLOAD      Company %04d   0000320193  20230109\n" % i for i in range(300))
Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def connect(clock: FakeClock) -> Iterator[Callable[[Handler], EdgarClient]]:
    opened: list[EdgarClient] = []

    def build(handler: Handler) -> EdgarClient:
        opened.append(fast_client(handler, clock))
        return opened[-1]

    yield build
    for client in opened:
        client.close()


@pytest.mark.parametrize(("retry_after", "silence"), [("900", 900.0), ("60", COOLDOWN)])
def test_a_429_keeps_every_host_silent_for_its_retry_after_or_the_cooldown(
    connect, clock: FakeClock, retry_after: str, silence: float
) -> None:
    times: list[float] = []

    def handle(_request: httpx.Request) -> httpx.Response:
        times.append(clock())
        if len(times) == 1:
            return httpx.Response(
                429, text="Too Many Requests", headers={"Retry-After": retry_after}
            )
        return httpx.Response(200, content=b"ok")

    client = connect(handle)

    assert client.get("www", PATH).content == b"ok"
    assert client.throttle.cooldown_remaining() == 0
    assert times[1] - times[0] >= silence


def cut_gzip(declared_shortfall: int) -> Handler:
    """A gzip body as read under a Content-Length `declared_shortfall` bytes too short."""
    data = gzip.compress(BODY)[:-declared_shortfall]

    def reply(_request: httpx.Request) -> httpx.Response:
        headers = {"Content-Encoding": "gzip", "Content-Length": str(len(data))}
        return httpx.Response(200, headers=headers, stream=httpx.ByteStream(data))

    return reply


def whole_gzip(_request: httpx.Request) -> httpx.Response:
    data = gzip.compress(BODY)
    headers = {"Content-Encoding": "gzip", "Content-Length": str(len(data))}
    return httpx.Response(200, headers=headers, stream=httpx.ByteStream(data))


def test_a_gzip_body_cut_short_is_retried_not_returned(connect) -> None:
    answers = [cut_gzip(100), whole_gzip]

    def handle(request: httpx.Request) -> httpx.Response:
        return answers.pop(0)(request)

    result = connect(handle).get("www", PATH)

    assert result.content == BODY
    assert result.attempts == 2


@pytest.mark.parametrize("shortfall", [4, 100])
def test_a_gzip_body_always_cut_short_fails_naming_the_cause(connect, shortfall: int) -> None:
    with pytest.raises(DownloadError) as caught:
        connect(cut_gzip(shortfall)).get("www", PATH)

    assert caught.value.attempts == 3
    assert "gzip body ends early" in caught.value.reason
    assert "Content-Length" in caught.value.reason
