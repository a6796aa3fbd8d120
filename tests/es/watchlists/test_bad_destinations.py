"""Bad alert destinations get a clear error or a parked delivery and hold nobody else up.

A receiver that never answers costs its own deliveries the timeout, not the other
watchlists' (the outbox attempts deliveries side by side); an address where nothing listens
is retried, then parked with its reason; a watchlist of 10,000 companies is refused with the
limit named. The throughput of the ingest with dead destinations is measured by
``bench/alert_faults_bench.py``.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from crawler.handoff import send_due
from tests.es.watchlists.conftest import LVS, SECRET, WRITE, WYNN, Receiver, WatchEnv, assert_error
from tests.ports import free_port

pytestmark = pytest.mark.samples


class Holding:
    """A receiver that accepts connections and answers nothing until ``release()``, which
    closes them (the sender then sees the connection end without an answer)."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/hook"
        self.received = threading.Event()
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.held.append(connection)
            self.received.set()

    def release(self) -> None:
        for connection in self.held:
            connection.close()

    def close(self) -> None:
        self.listener.close()
        self.release()
        self.thread.join(5)


@pytest.fixture
def holding() -> Iterator[Holding]:
    server = Holding()
    try:
        yield server
    finally:
        server.close()


def test_a_receiver_that_never_answers_holds_up_only_its_own_deliveries(
    watch_env: Callable[..., WatchEnv], receiver: Receiver, holding: Holding
) -> None:
    env = watch_env(webhooks={"timeout_seconds": 30, "max_attempts": 1})
    env.create(name="Silent", ciks=[LVS, WYNN], webhook_url=holding.url, webhook_secret=SECRET)
    env.ingest(LVS)  # the silent receiver's first delivery is the oldest: attempted first
    env.create(name="Healthy", ciks=[WYNN], webhook_url=receiver.url, webhook_secret=SECRET)
    env.ingest(WYNN)

    outcome: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: outcome.update(sent=send_due(env.settings)))
    worker.start()
    try:
        assert holding.received.wait(20), "the silent receiver never got its POST"
        waited = threading.Event()
        for _ in range(200):  # the healthy POST arrives while the silent ones are held
            if receiver.posts:
                break
            waited.wait(0.05)
        assert len(receiver.posts) == 1, "the healthy delivery waited behind the silent one"
    finally:
        holding.release()
        worker.join(60)
    sent = outcome["sent"]
    assert (sent.delivered, sent.parked) == (1, 2)  # Silent's two batches: no answer


def test_an_address_where_nothing_listens_is_retried_then_parked(
    watch_env: Callable[..., WatchEnv],
) -> None:
    dead = f"http://127.0.0.1:{free_port()}/hook"
    env = watch_env(webhooks={"max_attempts": 3, "backoff_seconds": 0})
    created = env.create(name="Dead", ciks=[LVS], webhook_url=dead, webhook_secret=SECRET)
    assert env.ingest(LVS).alerts == 9
    sent = env.send()
    assert (sent.delivered, sent.retrying, sent.parked) == (0, 2, 1)
    last = env.client.get(f"/watchlists/{created['id']}").json()["alerts"]["last_delivery"]
    assert (last["status"], last["attempts"], last["response_status"]) == ("parked", 3, None)
    assert "no answer" in last["last_error"] or "refused" in last["last_error"].lower()


def test_a_watchlist_of_ten_thousand_companies_is_refused_with_the_limit(
    watch_env: Callable[..., WatchEnv],
) -> None:
    env = watch_env()
    ciks = [str(number) for number in range(1, 10_001)]
    response = env.client.post(
        "/watchlists", json={"name": "Everyone", "ciks": ciks}, headers=WRITE
    )
    body = assert_error(response, 400, "ciks")
    assert "at most 1000" in body["error"]
    assert env.client.get("/watchlists").json()["total"] == 0
