"""The app without a cluster: OpenAPI, error shape and handlers, metrics. No sockets.

The app points at a port where nothing listens, and only requests that are answered before
any Elasticsearch call are made (documentation, validation errors, unknown routes).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import ROUTERS, create_app
from api.errors import NotFoundError, describe_validation_error, error_body
from indexer.settings import Settings

ROUTES = {
    "/search",
    "/comments/search",
    "/letters/{accession}",
    "/threads",
    "/threads/{thread_id}",
    "/companies/{cik}",
    "/comments/{comment_id}/similar",
    "/stats",
    "/export",
    "/watchlists",
    "/watchlists/{watchlist_id}",
    "/watchlists/{watchlist_id}/alerts",
    "/watchlists/{watchlist_id}/feed.atom",
    "/health",
    "/metrics",
}


@pytest.fixture
def app() -> FastAPI:
    settings = Settings.model_validate({"elasticsearch": {"url": "http://127.0.0.1:9"}})
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_openapi_lists_every_route_with_400_not_422(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert set(document["paths"]) == ROUTES
    for path, operations in document["paths"].items():
        for operation in operations.values():
            assert "422" not in operation["responses"], path
            assert operation.get("description") or operation.get("summary"), path
            if path not in ("/health", "/metrics"):
                assert "400" in operation["responses"], path
                assert "503" in operation["responses"], path
    assert "HTTPValidationError" not in document["components"]["schemas"]
    search = {p["name"]: p for p in document["paths"]["/search"]["get"]["parameters"]}
    assert {
        "q",
        "form",
        "file_number",
        "date_from",
        "released_to",
        "sort",
        "size",
        "cursor",
    } <= set(search)
    assert all(p.get("description") for p in search.values())
    assert "has_response" in {
        p["name"] for p in document["paths"]["/comments/search"]["get"]["parameters"]
    }
    assert client.get("/docs").status_code == 200


def test_every_route_of_every_router_is_documented(app: FastAPI) -> None:
    paths = {getattr(route, "path", None) for router in ROUTERS for route in router.routes}
    assert paths == set(app.openapi()["paths"]) == ROUTES


def test_validation_errors_are_400_in_the_one_shape(client: TestClient) -> None:
    response = client.get("/search", params={"date_from": "2024-13-01"})
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    assert body["status"] == 400
    assert body["parameter"] == "date_from"
    assert body["error"].startswith("date_from: Input should be a valid date")
    assert "2024-13-01" in body["error"]


def test_unexpected_errors_are_a_logged_500_in_the_one_shape(
    app: FastAPI, client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    def boom() -> None:
        raise RuntimeError("secret detail")

    app.add_api_route("/boom", boom)
    with caplog.at_level(logging.ERROR, logger="api.errors"):
        response = client.get("/boom")
    assert response.status_code == 500
    assert response.json() == {
        "ok": False,
        "error": "internal error; it has been logged",
        "status": 500,
    }
    assert "secret detail" not in response.text
    assert any(record.exc_info for record in caplog.records)


def test_api_errors_carry_their_parameter(app: FastAPI, client: TestClient) -> None:
    def missing() -> None:
        raise NotFoundError("no letter with accession X", parameter="accession")

    app.add_api_route("/missing", missing)
    assert client.get("/missing").json() == error_body(
        404, "no letter with accession X", parameter="accession"
    )


def test_describe_validation_error() -> None:
    assert describe_validation_error([]) == (None, "invalid request")
    extra = {"type": "extra_forbidden", "loc": ("query", "frm"), "msg": "x", "input": "1"}
    assert describe_validation_error([extra]) == ("frm", "unknown parameter")
    item = {
        "type": "value_error",
        "loc": ("query", "cik", 0),
        "msg": "Value error, not a CIK",
        "input": "x" * 500,
    }
    assert describe_validation_error([item]) == ("cik", "not a CIK")


def test_metrics_count_requests_by_route_template(client: TestClient) -> None:
    client.get("/letters/not-an-accession")
    client.get("/no/such/route")
    text = client.get("/metrics").text
    assert (
        'corresp_api_requests_total{method="GET",route="/letters/{accession}",status="400"} 1.0'
        in text
    )
    assert 'corresp_api_requests_total{method="GET",route="unmatched",status="404"} 1.0' in text
    assert "corresp_api_request_duration_seconds_count" in text
    assert "corresp_api_elasticsearch_errors_total 0.0" in text


def test_each_app_has_its_own_metrics(app: FastAPI) -> None:
    other = create_app(Settings())
    assert other.state.metrics.registry is not app.state.metrics.registry


def test_a_wrong_method_is_a_405_allowing_every_method_of_the_path(client: TestClient) -> None:
    for method, path, allowed in [
        ("OPTIONS", "/watchlists", "GET, POST"),
        ("PATCH", "/watchlists/casinos", "DELETE, GET, PUT"),
        ("POST", "/search", "GET"),
    ]:
        response = client.request(method, path)
        assert response.status_code == 405
        assert response.headers["allow"] == allowed
        assert response.json()["status"] == 405
