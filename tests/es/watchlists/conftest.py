"""Watchlists against a real node: the API on its own index prefix, ingests, a webhook receiver.

``watch_env(**settings)`` builds settings (cluster, a unique prefix, a data folder, an API
key, fast webhook retries, plus any overrides), starts the API on them and returns a
``WatchEnv`` whose ``ingest`` indexes sample letters through the same ``Ingester`` and
``AlertEngine`` a crawl uses. ``receiver`` is a real HTTP server on loopback (in a thread)
that records every POST and answers with scripted statuses.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient

from api.app import create_app
from crawler.handoff import alert_engine_for, send_due
from indexer.ingest import Ingester, IngestReport
from indexer.lifecycle import ensure_schema, index_names
from indexer.settings import Settings
from indexer.watchlists.outbox import OutboxReport
from tests.es.api.conftest import sample_letters

KEY = "test-api-key-0123456789"
SECRET = "webhook-secret-0123456789"
LVS = "1300514"
WYNN = "1174922"
WRITE = {"Authorization": f"Bearer {KEY}"}


@dataclass
class WatchEnv:
    es: Elasticsearch
    settings: Settings
    samples_dir: Path
    client: TestClient

    @property
    def prefix(self) -> str:
        return self.settings.elasticsearch.index_prefix

    @property
    def data_dir(self) -> Path:
        return self.settings.storage.data_dir

    def ingest(self, *ciks: str) -> IngestReport:
        """Index the companies' sample letters with alerts, as ``ingest_pending`` does."""
        targets = ensure_schema(self.es, index_names(self.prefix))
        engine = alert_engine_for(self.es, self.settings)
        return Ingester(self.es, targets, alerts=engine).ingest(
            sample_letters(self.samples_dir, ciks)
        )

    def send(self, *, passes: int = 40) -> OutboxReport:
        """Run the outbox worker's passes until no delivery waits (retries come due after
        the short test backoff); their figures added up."""
        total = OutboxReport()
        for _ in range(passes):
            sent = send_due(self.settings)
            total.delivered += sent.delivered
            total.retrying += sent.retrying
            total.parked += sent.parked
            if not self.waiting():
                return total
            time.sleep(0.05)
        raise AssertionError("deliveries still waiting after the outbox passes")

    def waiting(self) -> int:
        """Alerts whose delivery is pending or retrying."""
        self.es.indices.refresh(index=f"{self.prefix}alerts")
        query = {"terms": {"delivery.status": ["pending", "retrying"]}}
        return int(self.es.count(index=f"{self.prefix}alerts", query=query)["count"])

    def create(self, **definition: Any) -> dict[str, Any]:
        """A watchlist through the API; it alerts on the samples' old letters (``since``)
        unless the definition says otherwise."""
        definition.setdefault("since", "2000-01-01")
        response = self.client.post("/watchlists", json=definition, headers=WRITE)
        assert response.status_code == 201, response.json()
        return response.json()

    def alerts(self, watchlist_id: str, **params: Any) -> dict[str, Any]:
        response = self.client.get(f"/watchlists/{watchlist_id}/alerts", params=params)
        assert response.status_code == 200, response.json()
        return response.json()


def watch_settings(url: str, prefix: str, data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "elasticsearch": {"url": url, "index_prefix": prefix},
        "storage": {"data_dir": str(data_dir)},
        "api": {"keys": [KEY]},
        # The receiver listens on loopback, which webhooks may reach only when allowed.
        "webhooks": {"backoff_seconds": 0.05, "timeout_seconds": 3, "allow_private_networks": True},
    }
    for section, value in overrides.items():
        if isinstance(value, dict) and isinstance(values.get(section), dict):
            values[section] = values[section] | value
        else:
            values[section] = value
    return Settings.model_validate(values)


@pytest.fixture
def watch_env(
    es: Elasticsearch, es_url: str, es_prefix: str, samples_dir: Path, tmp_path: Path
) -> Iterator[Callable[..., WatchEnv]]:
    """A factory of API environments on this test's prefix (closed at the end)."""
    clients: list[TestClient] = []

    def make(**overrides: Any) -> WatchEnv:
        settings = watch_settings(es_url, es_prefix, tmp_path / "data", **overrides)
        client = TestClient(create_app(settings))
        client.__enter__()
        clients.append(client)
        return WatchEnv(es, settings, samples_dir, client)

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@dataclass
class Receiver:
    """A webhook receiver on loopback: records POSTs, answers ``statuses`` then 200."""

    statuses: list[int] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                state.posts.append({"headers": dict(self.headers), "body": body})
                status = state.statuses.pop(0) if state.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/corresp"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def assert_error(response: Any, status: int, parameter: str | None = None) -> dict[str, Any]:
    """The API's one error shape."""
    body = response.json()
    assert response.status_code == status, body
    assert (body["ok"], body["status"]) == (False, status)
    assert body["error"]
    if parameter is not None:
        assert body.get("parameter") == parameter, body
    return body
