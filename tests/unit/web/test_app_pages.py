"""The pages' plumbing without a cluster: static files, templates, HTML errors. No sockets.

The app points at a port where nothing listens; only requests answered before any
Elasticsearch call are made.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader

from api.app import create_app
from api.web.rendering import SECURITY_HEADERS, TEMPLATES_DIR, environment
from indexer.settings import Settings
from tests.unit.web.page_parts import parse_page


@pytest.fixture
def app() -> FastAPI:
    settings = Settings.model_validate({"elasticsearch": {"url": "http://127.0.0.1:9"}})
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("site.css", "text/css"),
        ("site.js", "text/javascript"),
        ("favicon.svg", "image/svg+xml"),
    ],
)
def test_static_files_are_served_with_nosniff(
    client: TestClient, name: str, media_type: str
) -> None:
    response = client.get(f"/static/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "max-age" in response.headers["cache-control"]


def test_a_malformed_accession_is_an_html_404_before_any_search(client: TestClient) -> None:
    response = client.get("/letter/not-an-accession")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    page = parse_page(response.text)
    assert "no letter with accession number not-an-accession" in page.find("section").text
    stylesheet = page.find("link").get("href") or ""
    assert stylesheet.startswith("/static/site.css?v=")


def test_the_json_api_keeps_its_error_shape(client: TestClient) -> None:
    response = client.get("/letters/not-an-accession")
    assert response.status_code == 400
    assert response.json()["parameter"] == "accession"


def test_every_template_autoescapes() -> None:
    env = environment()
    assert env.autoescape is True
    names = sorted(path.name for path in TEMPLATES_DIR.glob("*.html"))
    assert {"base.html", "search.html", "letter.html", "thread.html"} <= set(names)
    for name in names:
        env.get_template(name)  # every template compiles


def test_other_pages_can_extend_the_layout() -> None:
    child = (
        '{% extends "base.html" %}{% block title %}Watchlists{% endblock %}'
        "{% block content %}<p id=x>{{ value }}</p>{% endblock %}"
    )
    loader = ChoiceLoader([DictLoader({"child.html": child}), FileSystemLoader(TEMPLATES_DIR)])
    env = Environment(autoescape=True, loader=loader)  # another engine's own environment
    page = parse_page(env.get_template("child.html").render(value="<b>"))
    assert page.find("title").text == "Watchlists · corresp"
    assert page.find("p", id="x").source == "&lt;b&gt;"
    assert page.find("nav", cls="site-nav").find_all("a")[2].get("href") == "/watch"
