"""``Server-Timing``: each answer says how long it spent in Elasticsearch and in all."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

_TIMING = re.compile(
    r'^es;dur=(?P<es>\d+\.\d);desc="(?P<calls>\d+) Elasticsearch calls?", app;dur=(?P<app>\d+\.\d)$'
)


def _timing(client: TestClient, path: str) -> tuple[float, int, float]:
    answer = client.get(path)
    assert answer.status_code == 200, answer.text
    match = _TIMING.match(answer.headers["server-timing"])
    assert match, answer.headers["server-timing"]
    return float(match["es"]), int(match["calls"]), float(match["app"])


def test_search_time_is_split_into_elasticsearch_and_the_whole(client: TestClient) -> None:
    es_ms, calls, app_ms = _timing(client, "/search?q=revenue")
    assert calls == 1
    assert 0 < es_ms <= app_ms
    letter = client.get("/search?size=1").json()["hits"][0]["accession"]
    es_ms, calls, app_ms = _timing(client, f"/letters/{letter}")
    assert calls >= 1 and 0 < es_ms <= app_ms


def test_answers_without_elasticsearch_say_so(client: TestClient) -> None:
    es_ms, calls, app_ms = _timing(client, "/openapi.json")
    assert (es_ms, calls) == (0.0, 0)
    assert app_ms >= 0
    failed = client.get("/search?size=100000")
    assert failed.status_code == 400
    assert "server-timing" in failed.headers
