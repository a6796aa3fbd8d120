"""The fake EDGAR in process under `httpx.MockTransport`, with a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fake_edgar import EdgarApp, FakeEdgarConfig, mock

pytestmark = pytest.mark.samples

UA = {"User-Agent": "Corresp Tests tests@example.com"}
UPLOAD = "/Archives/edgar/data/320193/0000000000-24-003505.txt"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(samples_dir: Path, clock: FakeClock) -> EdgarApp:
    return EdgarApp(samples_dir, FakeEdgarConfig(block_seconds=600), clock=clock)


@pytest.fixture
def client(app: EdgarApp) -> Iterator[httpx.Client]:
    transport = httpx.MockTransport(mock.handler(app))
    with httpx.Client(transport=transport, base_url="https://www.sec.gov", headers=UA) as client:
        yield client


def test_serves_samples(client: httpx.Client, samples_dir: Path) -> None:
    response = client.get(UPLOAD)

    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert response.content == (samples_dir / "submissions/0000000000-24-003505.txt").read_bytes()


def test_block_on_a_fake_clock(app: EdgarApp, client: httpx.Client, clock: FakeClock) -> None:
    burst = [client.get(UPLOAD).status_code for _ in range(11)]
    clock.now += 599
    extended = client.get(UPLOAD).status_code
    clock.now += 599
    still = client.get(UPLOAD).status_code
    clock.now += 601
    free = client.get(UPLOAD).status_code

    assert burst == [200] * 10 + [403]
    assert (extended, still, free) == (403, 403, 200)
    assert app.violations == 1
    assert len(app.requests_during_block()) == 2


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("drop", httpx.RemoteProtocolError),
        ("drop(True)", httpx.ReadError),
        ("timeout(30)", httpx.ReadTimeout),
        ("truncate(100)", httpx.RemoteProtocolError),
        ("truncate(100, 5)", httpx.ReadTimeout),
        ("wrong_length", httpx.RemoteProtocolError),
        ("bad_gzip", httpx.DecodingError),
    ],
)
def test_wire_faults_become_httpx_errors(
    app: EdgarApp, client: httpx.Client, fault: str, error: type[Exception]
) -> None:
    app.inject(UPLOAD, fault)

    with pytest.raises(error):
        client.get(UPLOAD)
    assert client.get(UPLOAD).status_code == 200


def test_slow_body_arrives_at_once_and_status_faults_answer(
    app: EdgarApp, client: httpx.Client
) -> None:
    app.inject(UPLOAD, "slow_body(30)")

    assert client.get(UPLOAD).status_code == 200
    assert client.get("/_fault/status/502").status_code == 502
