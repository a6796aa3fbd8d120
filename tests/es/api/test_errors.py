"""Errors: one JSON shape, 400 naming the parameter, 404 for unknown ids, 503 when ES is down."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from indexer.search.cursor import encode_cursor
from tests.es.api.conftest import Indexed, api_settings, assert_error
from tests.es.api.relay import TcpRelay

pytestmark = pytest.mark.samples

DEAD_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
LVS_COMMENT = "0000000000-22-005802-1"

INVALID = [
    ("/search", {"date_from": "2024-13-01"}, "date_from"),
    ("/search", {"date_to": "yesterday"}, "date_to"),
    ("/search", {"date_from": "2024-02-01", "date_to": "2024-01-01"}, "date_to"),
    ("/search", {"released_from": "2024-02-30"}, "released_from"),
    ("/search", {"released_from": "2024-02-02", "released_to": "2024-02-01"}, "released_to"),
    ("/search", {"size": "-1"}, "size"),
    ("/search", {"size": "0"}, "size"),
    ("/search", {"size": "101"}, "size"),
    ("/search", {"size": "1" + "0" * 30}, "size"),
    ("/search", {"size": "twenty"}, "size"),
    ("/search", {"sort": "score"}, "sort"),
    ("/search", {"form": "10-K"}, "form"),
    ("/search", {"letter_type": "memo"}, "letter_type"),
    ("/search", {"cik": "apple"}, "cik"),
    ("/search", {"cik": "12345678901"}, "cik"),
    ("/search", {"file_number": "abc"}, "file_number"),
    ("/search", {"sic": "12a"}, "sic"),
    ("/search", {"state": "Texas"}, "state"),
    ("/search", {"topic": "<script>"}, "topic"),
    ("/search", {"company": "x" * 201}, "company"),
    ("/search", {"cursor": "!!!not-base64!!!"}, "cursor"),
    ("/search", {"cursor": "bm90IGpzb24"}, "cursor"),  # base64 of "not json"
    ("/search", {"cursor": "x" * 5000}, "cursor"),
    ("/search", {"cursor": encode_cursor("comments:date", [1, "a-1"])}, "cursor"),
    ("/search", {"cursor": encode_cursor("letters:date", ["x", "y"])}, "cursor"),
    ("/search", {"cursor": encode_cursor("letters:relevance", [1.0, "a"])}, "cursor"),
    ("/search", {"frm": "UPLOAD"}, "frm"),
    ("/comments/search", {"has_response": "maybe"}, "has_response"),
    ("/comments/search", {"size": "1000"}, "size"),
    ("/export", {"format": "xml"}, "format"),
    ("/export", {"kind": "threads"}, "kind"),
    ("/export", {"has_response": "true"}, "has_response"),
    ("/export", {"size": "10"}, "size"),
    ("/stats", {"sort": "date"}, "sort"),
    ("/stats", {"date_from": "2024-1-1x"}, "date_from"),
    ("/threads", {"status": "pending"}, "status"),
    ("/threads", {"min_rounds": "-1"}, "min_rounds"),
    ("/threads", {"opened_from": "2024-13-01"}, "opened_from"),
    ("/threads", {"cursor": encode_cursor("letters:date", [1, "a"])}, "cursor"),
    ("/letters/not-an-accession", {}, "accession"),
    ("/letters/0000000000-22-00580", {}, "accession"),
    ("/threads/xyz", {}, "thread_id"),
    ("/companies/apple", {}, "cik"),
    ("/companies/0", {}, "cik"),
    ("/comments/abc/similar", {}, "comment_id"),
    (f"/comments/{LVS_COMMENT}/similar", {"size": "0"}, "size"),
    (f"/comments/{LVS_COMMENT}/similar", {"size": "500"}, "size"),
]


@pytest.mark.parametrize(("path", "params", "parameter"), INVALID)
def test_invalid_input_is_a_400_naming_the_parameter(
    client: TestClient, path: str, params: dict[str, str], parameter: str
) -> None:
    body = assert_error(client.get(path, params=params), 400, parameter)
    assert body["error"].startswith(f"{parameter}:")


@pytest.mark.parametrize(
    "q",
    [
        "r" * 5_000,  # over MAX_QUERY_CHARS, within api.max_url_bytes (longer: 414)
        '"unbalanced quote',
        "((((revenue",
        "revenue))))",
        "*",
        "AND OR NOT",
        "-",
        'company:"',
        "\x00\x1f\u202e revenue \ud7ff",
        "file:999999999999-1",
        "cik:-5",
        " ".join(f"w{i}" for i in range(500)),
    ],
)
def test_odd_search_strings_give_normal_results(client: TestClient, q: str) -> None:
    for path in ("/search", "/comments/search", "/stats"):
        response = client.get(path, params={"q": q})
        assert response.status_code == 200, (path, response.json())
    assert client.get("/export", params={"q": q}).status_code == 200


def test_blank_parameters_are_ignored(client: TestClient, indexed: Indexed) -> None:
    params = {"q": "", "company": "", "form": "", "date_from": " ", "cursor": ""}
    response = client.get("/search", params=params)
    assert response.status_code == 200
    assert response.json()["total"] == indexed.letters


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/letters/0000000000-00-000001", "accession"),
        ("/threads/0000000000-00-000001", "thread_id"),
        ("/companies/999999999", "cik"),
        ("/comments/0000000000-22-005802-99/similar", "comment_id"),
    ],
)
def test_unknown_ids_are_404(client: TestClient, path: str, parameter: str) -> None:
    assert_error(client.get(path), 404, parameter)


def test_unknown_routes_and_methods_have_the_same_shape(client: TestClient) -> None:
    assert_error(client.get("/nope"), 404)
    assert_error(client.post("/search"), 405)


ES_ROUTES = [
    "/search",
    "/comments/search?q=revenue",
    "/letters/0000000000-22-005802",
    "/threads",
    "/threads/0000000000-22-005802",
    "/companies/1300514",
    f"/comments/{LVS_COMMENT}/similar",
    "/stats?q=revenue",
    "/export",
]


def test_a_stopped_backend_is_a_503_everywhere(tmp_path: Path) -> None:
    with TestClient(create_app(api_settings(DEAD_URL, "test-dead-", tmp_path))) as client:
        for path in ES_ROUTES:
            body = assert_error(client.get(path), 503)
            assert "unreachable" in body["error"], path
        health = client.get("/health")
        assert health.status_code == 503
        report = health.json()
        assert (report["ok"], report["status"]) == (False, 503)
        assert report["elasticsearch"]["reachable"] is False
        assert "unreachable" in report["error"]
        metrics = client.get("/metrics").text
    assert f"corresp_api_elasticsearch_errors_total {float(len(ES_ROUTES))}" in metrics
    assert 'route="/letters/{accession}",status="503"' in metrics


def test_the_api_recovers_when_the_backend_returns(
    es_url: str, indexed: Indexed, tmp_path: Path
) -> None:
    target = urlsplit(es_url)
    with TcpRelay(target.hostname or "127.0.0.1", target.port or 9200) as relay:
        settings = api_settings(relay.url, indexed.prefix, tmp_path)
        with TestClient(create_app(settings)) as client:
            assert client.get("/search").json()["total"] == indexed.letters
            relay.stop()
            assert_error(client.get("/search"), 503)
            assert client.get("/health").status_code == 503
            relay.start()
            assert client.get("/search").json()["total"] == indexed.letters
            assert client.get("/health").status_code == 200


def test_health_reports_cluster_aliases_counts_and_last_crawl(
    es_url: str, indexed: Indexed, tmp_path: Path
) -> None:
    with sqlite3.connect(tmp_path / "crawl-state.sqlite3") as db:
        db.execute("CREATE TABLE cursors (name TEXT PRIMARY KEY, value TEXT, updated_at TEXT)")
        db.execute("CREATE TABLE filings (accession TEXT PRIMARY KEY, ingested_at TEXT)")
        db.execute("INSERT INTO cursors VALUES ('daily-index', '2024-05-01', '2024-05-02T01:30')")
        db.execute("INSERT INTO filings VALUES ('0000000000-22-005802', '2024-05-02T01:31')")
    db.close()
    with TestClient(create_app(api_settings(es_url, indexed.prefix, tmp_path))) as client:
        response = client.get("/health")
    report: dict[str, Any] = response.json()
    assert response.status_code == 200, report
    assert (report["ok"], report["status"], report["error"]) == (True, 200, None)
    assert report["elasticsearch"]["reachable"] is True
    assert report["indices"]["letters"] == {
        "alias": f"{indexed.prefix}letters",
        "present": True,
        "documents": indexed.letters,
    }
    assert report["indices"]["threads"]["documents"] > 0
    assert report["crawl"]["cursors"]["daily-index"]["value"] == "2024-05-01"
    assert report["crawl"]["last_crawl_at"] == "2024-05-02T01:30"
    assert report["crawl"]["last_indexed_at"] == "2024-05-02T01:31"


@pytest.mark.usefixtures("es")  # a node that answers, without these indices
def test_health_without_indices_is_503_naming_the_aliases(es_url: str, tmp_path: Path) -> None:
    with TestClient(create_app(api_settings(es_url, "test-absent-", tmp_path))) as client:
        response = client.get("/health")
    report = response.json()
    assert response.status_code == 503
    assert report["elasticsearch"]["reachable"] is True
    assert report["indices"]["letters"]["present"] is False
    assert "test-absent-letters" in report["error"]
    assert report["crawl"] is None


def test_metrics_count_requests_by_route_and_status(client: TestClient) -> None:
    client.get("/letters/0000000000-22-005802")
    client.get("/letters/0000000000-00-000001")
    client.get("/search", params={"size": "0"})
    text = client.get("/metrics").text
    assert (
        'corresp_api_requests_total{method="GET",route="/letters/{accession}",status="200"}' in text
    )
    assert (
        'corresp_api_requests_total{method="GET",route="/letters/{accession}",status="404"}' in text
    )
    assert 'corresp_api_requests_total{method="GET",route="/search",status="400"}' in text
    assert (
        'corresp_api_request_duration_seconds_bucket{le="0.5",method="GET",route="/search"' in text
    )
