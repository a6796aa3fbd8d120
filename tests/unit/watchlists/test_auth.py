"""API keys: how they are presented, compared, and enforced (on a small app, no cluster)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.auth import (
    KeyRequiredMiddleware,
    WriteKey,
    key_matches,
    key_problem,
    presented_key,
)
from api.errors import install_error_handlers
from indexer.settings import Settings

KEY = "first-key-0123456789"
OTHER = "second-key-0123456789"
KEYS = [SecretStr(KEY), SecretStr(OTHER)]


def test_presented_key_forms() -> None:
    basic = base64.b64encode(f"anyone:{KEY}".encode()).decode()
    assert presented_key({"authorization": f"Bearer {KEY}"}) == KEY
    assert presented_key({"authorization": f"bearer  {KEY} "}) == KEY
    assert presented_key({"x-api-key": KEY}) == KEY
    assert presented_key({"authorization": f"Basic {basic}"}) == KEY
    assert presented_key({"authorization": "Basic !!!"}) is None
    assert presented_key({}) is None
    assert presented_key({"x-api-key": "  "}) is None


def test_keys_are_compared_with_every_configured_key() -> None:
    assert key_matches(KEY, KEYS)
    assert key_matches(OTHER, KEYS)
    assert not key_matches(KEY[:-1], KEYS)
    assert not key_matches("", KEYS)
    assert key_problem(KEY, KEYS) is None
    assert key_problem(None, KEYS)[0] == 401
    assert key_problem("wrong-key-0123456789", KEYS) == (401, "the API key is not valid")
    assert key_problem(KEY, [])[0] == 403


def _app(*, keys: list[str], reads: bool) -> FastAPI:
    settings = Settings.model_validate({"api": {"keys": keys, "require_key_for_reads": reads}})
    app = FastAPI()
    app.state.settings = settings
    install_error_handlers(app)
    if reads:
        app.add_middleware(KeyRequiredMiddleware, keys=settings.api.keys)
    app.add_api_route("/read", lambda: {"ok": True})
    app.add_api_route("/health", lambda: {"ok": True})
    app.add_api_route("/write", lambda: {"ok": True}, methods=["POST"], dependencies=[WriteKey])
    return app


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(_app(keys=[KEY], reads=False)) as test_client:
        yield test_client


def _error(response: Any, status: int) -> dict[str, Any]:
    body = response.json()
    assert response.status_code == status, body
    assert (body["ok"], body["status"]) == (False, status)
    return body


def test_writes_need_a_key(client: TestClient) -> None:
    missing = client.post("/write")
    assert "API key is required" in _error(missing, 401)["error"]
    assert missing.headers["www-authenticate"] == 'Bearer realm="corresp"'
    wrong = client.post("/write", headers={"Authorization": "Bearer wrong-key-0123456789"})
    assert _error(wrong, 401)["error"] == "the API key is not valid"
    assert 'error="invalid_token"' in wrong.headers["www-authenticate"]
    assert client.post("/write", headers={"X-API-Key": KEY}).status_code == 200
    assert client.post("/write", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
    assert client.get("/read").status_code == 200


def test_without_configured_keys_changes_are_off() -> None:
    with TestClient(_app(keys=[], reads=False)) as test_client:
        body = _error(test_client.post("/write", headers={"X-API-Key": KEY}), 403)
    assert "api.keys" in body["error"]


def test_require_key_for_reads_covers_everything_but_health() -> None:
    with TestClient(_app(keys=[KEY], reads=True)) as test_client:
        assert test_client.get("/health").status_code == 200
        _error(test_client.get("/read"), 401)
        assert test_client.get("/read", headers={"X-API-Key": KEY}).status_code == 200
        page = test_client.get("/read", headers={"Accept": "text/html"})
        _error(page, 401)
        assert page.headers["www-authenticate"].startswith("Basic")
        basic = base64.b64encode(f"me:{KEY}".encode()).decode()
        assert test_client.get("/read", headers={"Authorization": f"Basic {basic}"}).json()
        _error(test_client.get("/nope"), 401)  # even unknown paths say nothing without a key
