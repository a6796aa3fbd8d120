"""Keys guard every write, CORS is closed, base security headers, and no secret ever leaks.

- Every write operation of the OpenAPI document (and every write route of the app, the HTML
  forms included) is found by enumeration, so a new route is covered without a new test: it
  is refused without a key and with a wrong one (401), and when no key is configured (403).
- No ``Access-Control-Allow-*`` header answers a cross-origin preflight or read.
- JSON answers, errors included, carry ``nosniff`` and no-framing headers (the pages' own
  set, with a Content-Security-Policy, is tested in ``tests/es/web/test_safety.py``).
- With API keys, Elasticsearch credentials (in the URL, as user and password, as an API key)
  and webhook secrets configured, the app is exercised over a real uvicorn: successes, 400s,
  401s, 404s, 405s, 413s, 414s, a 500 and 503s with the backend down. No secret appears in
  any answer (body or header) nor in any log record, uvicorn's access log included, nor in
  ``corresp config show`` and ``corresp es status``.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Route

from api.app import ROUTERS, create_app
from api.web import routes as web
from api.web import watch_routes
from indexer.settings import Settings
from tests.conftest import PROJECT_ROOT
from tests.es.api.conftest import Indexed, assert_error
from tests.es.api.live import live_api

pytestmark = pytest.mark.samples

KEY = "security-key-Zq7-0123456789"
ES_PASSWORD = "es-password-Zq7-secret"
ES_URL_PASSWORD = "es-url-password-Zq7"
ES_API_KEY = "ZXMtYXBpLWtleS1acTc6c2VjcmV0"
WEBHOOK_SECRET = "webhook-secret-Zq7-0123456789"
WEBHOOK_ENV = "CORRESP_TEST_WEBHOOK_SECRET"
SECRETS = (KEY, ES_PASSWORD, ES_URL_PASSWORD, ES_API_KEY, WEBHOOK_SECRET)
DEAD_URL = "http://127.0.0.1:9"
EVIL = "https://evil.example"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _settings(url: str, prefix: str, data_dir: Path, **elasticsearch: Any) -> Settings:
    return Settings.model_validate(
        {
            "elasticsearch": {"url": url, "index_prefix": prefix, **elasticsearch},
            "storage": {"data_dir": str(data_dir)},
            "api": {"keys": [KEY]},
            "watchlists": [
                {
                    "id": "configured",
                    "name": "Configured",
                    "ciks": ["1300514"],
                    "webhook_url": "http://127.0.0.1:9/hooks/token-in-path",
                    "webhook_secret_env": WEBHOOK_ENV,
                }
            ],
        }
    )


def _write_routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every write: the OpenAPI document's and every route's."""
    found = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
        if method.upper() in WRITE_METHODS
    }
    for router in (*ROUTERS, web.router, watch_routes.router):
        for route in router.routes:
            if isinstance(route, Route):
                found |= {(method, route.path) for method in (route.methods or ()) & WRITE_METHODS}
    return sorted(found)


def _concrete(path: str) -> str:
    return path.replace("{watchlist_id}", "guarded")


@pytest.fixture(scope="module")
def keyed(
    indexed: Indexed, es_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    settings = _settings(es_url, indexed.prefix, tmp_path_factory.mktemp("keyed"))
    with TestClient(create_app(settings)) as client:
        created = client.post(
            "/watchlists", json={"id": "guarded", "name": "Guarded"}, headers={"X-API-Key": KEY}
        )
        assert created.status_code == 201, created.text
        yield client


def test_the_app_has_write_routes_to_guard() -> None:
    routes = _write_routes(create_app(Settings()))
    assert ("POST", "/watchlists") in routes
    assert ("DELETE", "/watchlists/{watchlist_id}") in routes
    assert ("POST", "/watch") in routes  # the HTML form, not in the OpenAPI document


@pytest.mark.parametrize(("method", "path"), _write_routes(create_app(Settings())))
def test_every_write_needs_a_valid_key(keyed: TestClient, method: str, path: str) -> None:
    body = {"id": "intruder", "name": "Intruder"}
    html_form = not path.startswith("/watchlists")
    for headers in ({}, {"X-API-Key": KEY + "x"}, {"Authorization": "Bearer " + KEY[:-1]}):
        if html_form:
            response = keyed.request(method, _concrete(path), data=body, headers=headers)
            assert response.status_code == 401, response.text[:300]
        else:
            response = keyed.request(method, _concrete(path), json=body, headers=headers)
            assert_error(response, 401)
            assert response.headers["www-authenticate"].startswith("Bearer")
    assert keyed.get("/watchlists/intruder").status_code == 404
    assert keyed.get("/watchlists/guarded").json()["name"] == "Guarded"


@pytest.mark.parametrize(("method", "path"), _write_routes(create_app(Settings())))
def test_without_configured_keys_every_write_is_off(
    indexed: Indexed, es_url: str, tmp_path: Path, method: str, path: str
) -> None:
    settings = Settings.model_validate(
        {
            "elasticsearch": {"url": es_url, "index_prefix": indexed.prefix},
            "storage": {"data_dir": str(tmp_path)},
        }
    )
    with TestClient(create_app(settings)) as client:
        headers = {"X-API-Key": KEY}
        if path.startswith("/watchlists"):
            response = client.request(method, _concrete(path), json={"name": "x"}, headers=headers)
            assert_error(response, 403)
        else:
            response = client.request(method, _concrete(path), data={"name": "x"}, headers=headers)
            assert response.status_code == 403, response.text[:300]


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("OPTIONS", "/search", {"Access-Control-Request-Method": "GET"}),
        ("OPTIONS", "/watchlists", {"Access-Control-Request-Method": "POST"}),
        (
            "OPTIONS",
            "/watchlists/guarded",
            {
                "Access-Control-Request-Method": "DELETE",
                "Access-Control-Request-Headers": "x-api-key",
            },
        ),
        ("GET", "/search", {}),
        ("GET", "/watchlists", {}),
        ("GET", "/health", {}),
        ("POST", "/watchlists", {"X-API-Key": KEY, "Content-Type": "text/plain"}),
    ],
)
def test_cors_is_closed(keyed: TestClient, method: str, path: str, headers: dict[str, str]) -> None:
    response = keyed.request(method, path, headers={"Origin": EVIL} | headers)
    allowing = [name for name in response.headers if name.lower().startswith("access-control-")]
    assert allowing == [], response.headers
    assert response.status_code != 204


@pytest.mark.parametrize(
    "path",
    [
        "/search?q=revenue",
        "/search?size=0",
        "/nope",
        "/health",
        "/openapi.json",
        "/watchlists",
        "/watchlists/guarded/feed.atom",
        "/metrics",
        "/search?q=" + "x" * 9000,
    ],
)
def test_every_json_answer_has_the_base_security_headers(keyed: TestClient, path: str) -> None:
    response = keyed.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def _exercise(url: str, *, backend_up: bool) -> list[httpx.Response]:
    """Requests of every outcome, as a client would send them."""
    write = {"X-API-Key": KEY}
    with httpx.Client(base_url=url, timeout=30) as client:
        responses = [
            client.get("/health"),
            client.get("/openapi.json"),
            client.get("/docs"),
            client.get("/search", params={"q": "revenue"}),
            client.get("/search", params={"size": "0"}),
            client.get("/letters/not-an-accession"),
            client.get("/nope"),
            client.request("PATCH", "/watchlists"),
            client.get("/watchlists"),
            client.get("/watchlists/configured"),
            client.get("/watchlists/configured/feed.atom"),
            client.get("/watch"),
            client.get("/metrics"),
            client.get("/boom"),
            client.get("/search", params={"q": "x" * 9000}),
            client.post("/watchlists", json={"name": "x"}),
            client.post("/watchlists", json={"name": "x"}, headers={"X-API-Key": KEY + "x"}),
            client.post(
                "/watchlists", json={"name": "x", "webhook_secret": "short"}, headers=write
            ),
            client.post("/watchlists", content=b"x" * 2_000_000, headers=write),
        ]
        if backend_up:
            created = client.post(
                "/watchlists",
                json={
                    "id": "hooked",
                    "name": "Hooked",
                    "webhook_url": "https://hooks.example.org/x",
                    "webhook_secret": WEBHOOK_SECRET,
                },
                headers=write,
            )
            assert created.status_code == 201, created.text
            responses += [
                created,
                client.get("/watchlists/hooked"),
                client.get("/watch/hooked"),
                client.delete("/watchlists/hooked", headers=write),
            ]
    return responses


@pytest.mark.parametrize(
    ("backend", "credentials"),
    [
        ("up", {"url_password": True}),
        ("up", {"api_key": ES_API_KEY}),
        ("down", {"username": "elastic", "password": ES_PASSWORD}),
        ("down", {"url_password": True}),
    ],
)
def test_no_secret_is_returned_or_logged(
    indexed: Indexed,
    es_url: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    backend: str,
    credentials: dict[str, Any],
) -> None:
    monkeypatch.setenv(WEBHOOK_ENV, WEBHOOK_SECRET)
    url = es_url if backend == "up" else DEAD_URL
    if credentials.pop("url_password", False):
        url = url.replace("://", f"://elastic:{ES_URL_PASSWORD}@", 1)
    app = create_app(_settings(url, indexed.prefix, tmp_path, **credentials))

    def boom() -> None:
        raise RuntimeError("an unexpected failure")

    app.add_api_route("/boom", boom)
    with caplog.at_level(logging.DEBUG), live_api(app) as live:
        responses = _exercise(live, backend_up=backend == "up")
    statuses = {response.status_code for response in responses}
    assert {400, 401, 404, 405, 413, 414, 500} <= statuses
    assert (503 in statuses) == (backend == "down")
    assert '"GET /health HTTP/1.1"' in caplog.text  # uvicorn's access log was captured
    for response in responses:
        seen = response.text + "\n" + "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        for secret in SECRETS:
            assert secret not in seen, (response.request.url, secret)
    for secret in SECRETS:
        assert secret not in caplog.text, secret


def test_the_command_line_shows_no_secret(tmp_path: Path) -> None:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("CORRESP__") and name != "CORRESP_CONFIG"
    }
    env |= {
        "CORRESP__ELASTICSEARCH__URL": f"http://elastic:{ES_URL_PASSWORD}@127.0.0.1:9",
        "CORRESP__ELASTICSEARCH__API_KEY": ES_API_KEY,
        "CORRESP__API__KEYS": KEY,
        "CORRESP__STORAGE__DATA_DIR": str(tmp_path),
    }
    outputs = []  # (api_key and username/password together are a configuration error)
    for command in (["config", "show"], ["config", "show", "--json"], ["es", "status"]):
        result = subprocess.run(
            [sys.executable, "-m", "indexer", *command],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        outputs.append(result.stdout + result.stderr)
    assert "http://**********@127.0.0.1:9" in outputs[0]
    assert "127.0.0.1:9" in outputs[2]
    for output in outputs:
        for secret in SECRETS:
            assert secret not in output, secret
    assert PROJECT_ROOT.is_dir()
