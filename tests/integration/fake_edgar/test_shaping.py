"""The fake EDGAR's shaping for the fault matrix, over loopback: an injected block (with its
window and an optional Retry-After), successive versions of a file, resets mid-body and a
Content-Length shorter than the body."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.fake_edgar import Admission, FakeEdgar, FakeEdgarConfig
from tests.fake_edgar.errors import BLOCK_TITLE

pytestmark = pytest.mark.samples

UA = {"User-Agent": "Corresp Tests tests@example.com"}
IDENTITY = {**UA, "Accept-Encoding": "identity"}
APPLE_UPLOAD = "/Archives/edgar/data/320193/000000000024003505/0000000000-24-003505.txt"
SMALL = "/Archives/edgar/daily-index/2018/QTR4/master.20181231.idx"


@pytest.fixture
def serve(samples_dir: Path) -> Iterator:
    with ExitStack() as stack:

        def start(**settings: object) -> FakeEdgar:
            config = FakeEdgarConfig(**{"limit_per_second": 10_000, **settings})
            return stack.enter_context(FakeEdgar(samples_dir, config))

        yield start


def test_an_injected_block_refuses_everything_until_it_ends(serve) -> None:
    edgar = serve(block_seconds=0.5)
    edgar.inject(APPLE_UPLOAD, "block")
    with httpx.Client(base_url=edgar.base_url, headers=UA, timeout=5) as client:
        triggering = client.get(APPLE_UPLOAD)
        elsewhere = client.get(SMALL)
        time.sleep(0.6)  # the refused request pushed the end to its arrival + 0.5 s
        after = client.get(APPLE_UPLOAD)

    assert (triggering.status_code, elsewhere.status_code, after.status_code) == (403, 403, 200)
    assert BLOCK_TITLE in triggering.text
    assert "retry-after" not in triggering.headers
    first, second, third = edgar.requests
    assert (first.fault, first.admission) == ("block", Admission.TRIGGERED)
    assert second.admission is Admission.BLOCKED
    (window,) = edgar.block_windows
    assert window.manual
    assert window.start == first.monotonic
    assert window.end == pytest.approx(second.monotonic + 0.5)
    assert window.holds(second.monotonic) and not window.holds(third.monotonic)
    assert edgar.violations == 0  # the crawler did not exceed the limit: the fault did


def test_the_block_page_can_carry_retry_after(serve) -> None:
    edgar = serve(block_seconds=4.0, block_status=429, retry_after=True)
    edgar.set_block()
    with httpx.Client(base_url=edgar.base_url, headers=UA, timeout=5) as client:
        refused = client.get(SMALL)

    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "4"


def test_versions_are_served_in_turn_with_one_last_modified(serve) -> None:
    edgar = serve()
    edgar.add_versions(SMALL, [b"version A\n", None, b"version B\n"])
    with httpx.Client(base_url=edgar.base_url, headers=UA, timeout=5) as client:
        first = client.get(SMALL)
        missing = client.get(SMALL)
        conditional = client.get(SMALL, headers={"If-None-Match": first.headers["etag"]})
        repeat = client.get(SMALL)
        edgar.restore(SMALL)
        beneath = client.get(SMALL)

    assert first.content == b"version A\n"
    assert (missing.status_code, b"<Code>AccessDenied</Code>" in missing.content) == (403, True)
    assert (conditional.status_code, conditional.content) == (200, b"version B\n")
    assert repeat.content == b"version B\n"
    assert conditional.headers["etag"] != first.headers["etag"]
    assert conditional.headers["last-modified"] == first.headers["last-modified"]
    assert beneath.status_code == 200 and beneath.content.startswith(b"Description:")


def test_a_reset_mid_body_delivers_part_of_it_then_fails(serve) -> None:
    edgar = serve()
    edgar.inject(APPLE_UPLOAD, "truncate(2000, 0, True)")
    received = bytearray()
    with httpx.Client(base_url=edgar.base_url, headers=IDENTITY, timeout=5) as client:
        broken = (httpx.ReadError, httpx.RemoteProtocolError)
        with pytest.raises(broken), client.stream("GET", APPLE_UPLOAD) as response:
            assert response.status_code == 200
            for chunk in response.iter_raw():
                received += chunk
        recovered = client.get(APPLE_UPLOAD)

    assert len(received) <= 2000
    assert recovered.status_code == 200
    assert edgar.requests[0].fault == "truncate"


def test_a_content_length_shorter_than_the_body_reads_as_a_short_body(
    serve, samples_dir: Path
) -> None:
    edgar = serve()
    edgar.inject(APPLE_UPLOAD, "wrong_length(-100)")
    with httpx.Client(base_url=edgar.base_url, headers=IDENTITY, timeout=5) as client:
        short = client.get(APPLE_UPLOAD)
    # The rest of the body is still on that connection: a new client starts clean.
    with httpx.Client(base_url=edgar.base_url, headers=IDENTITY, timeout=5) as client:
        whole = client.get(APPLE_UPLOAD)

    body = (samples_dir / "submissions/0000000000-24-003505.txt").read_bytes()
    assert short.status_code == 200  # nothing on the wire says it is short
    assert short.content == body[:-100]
    assert whole.content == body
