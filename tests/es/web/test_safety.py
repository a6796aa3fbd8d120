"""Markup in letters shows as text; security headers; an unreachable node is a 503 page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.es.web.conftest import (
    CRAFTED_CIK,
    CRAFTED_RESPONSE,
    CRAFTED_STAFF,
    CRAFTED_WORD,
    api_settings,
    get_page,
)

DEAD_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
SCRIPT = "<script>alert("
ESCAPED_SCRIPT = re.compile(r"&lt;script&gt;alert\([12]\)&lt;(/|&#x2F;|&#47;)script&gt;")
ESCAPED_BOLD = "&lt;b&gt;bold&lt;"


def _assert_shown_as_text(html: str) -> None:
    assert SCRIPT not in html
    assert "<b>" not in html
    assert ESCAPED_SCRIPT.search(html), "the letter's markup should be shown, escaped"
    assert ESCAPED_BOLD in html


def test_markup_in_a_letter_is_escaped_in_search_snippets(crafted: TestClient) -> None:
    page = get_page(crafted, "/", q=CRAFTED_WORD)
    snippets = [s.source for s in page.find_all("li", cls="snippet")]
    assert snippets
    assert any(f"<mark>{CRAFTED_WORD}</mark>" in snippet for snippet in snippets)
    for snippet in snippets:
        assert re.sub(r"</?mark>", "", snippet).count("<") == 0
    _assert_shown_as_text(page.source)
    assert "Evil &lt;b&gt;Widgets&lt;/b&gt; Inc." in page.find("a", cls="hit-link").source


def test_markup_in_a_letter_is_escaped_in_comment_search(crafted: TestClient) -> None:
    page = get_page(crafted, "/", q=CRAFTED_WORD, mode="comments")
    hit = page.find("li", cls="comment-hit")
    assert f"<mark>{CRAFTED_WORD}</mark>" in hit.find("div", cls="comment").source
    assert "alert(2)" in hit.find("div", cls="answer").text
    _assert_shown_as_text(page.source)


@pytest.mark.parametrize(
    "path",
    [
        f"/letter/{CRAFTED_STAFF}",
        f"/letter/{CRAFTED_STAFF}?q={CRAFTED_WORD}",
        f"/letter/{CRAFTED_RESPONSE}",
        f"/thread/{CRAFTED_STAFF}",
        f"/company/{CRAFTED_CIK}",
        f"/statistics?company=evil&q={CRAFTED_WORD}",
    ],
)
def test_markup_in_a_letter_is_escaped_on_every_page(crafted: TestClient, path: str) -> None:
    page = get_page(crafted, path)
    assert SCRIPT not in page.source
    assert "<b>" not in page.source
    if path.startswith("/statistics"):
        assert page.find("dd", id="letter-total").text == "2"
        return
    assert "Evil &lt;b&gt;Widgets&lt;/b&gt; Inc." in page.source
    if not path.startswith("/company"):
        _assert_shown_as_text(page.source)


ECHOED = '"><script>alert(3)</script><b x="'


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/", {"q": ECHOED}),
        ("/", {"q": ECHOED, "mode": "comments", "company": ECHOED}),
        ("/", {"date_from": ECHOED}),  # a malformed filter, shown back with its problem
        ("/statistics", {"q": ECHOED}),
        (f"/letter/{CRAFTED_STAFF}", {"q": ECHOED}),
    ],
)
def test_markup_in_a_search_is_escaped_where_it_is_shown_again(
    crafted: TestClient, path: str, params: dict[str, str]
) -> None:
    response = crafted.get(path, params=params)
    assert response.status_code in (200, 400), response.text[:300]
    assert "<script>alert(3)" not in response.text
    assert '<b x="' not in response.text
    assert "alert(3)" in response.text  # shown, as text


def test_the_thread_of_the_crafted_letters_pairs_comment_and_answer(crafted: TestClient) -> None:
    page = get_page(crafted, f"/thread/{CRAFTED_STAFF}")
    exchange = page.find("div", cls="exchange")
    assert "alert(1)" in exchange.find("div", cls="comment").text
    assert "alert(2)" in exchange.find("div", cls="answer").text


PAGES = [
    "/",
    "/?q=revenue&mode=comments",
    "/letter/0000000000-22-005802",
    "/thread/0000000000-22-005802",
    "/company/1300514",
    "/statistics",
    "/letter/0000000000-00-000001",
    "/?date_from=nonsense",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_security_headers_and_no_inline_code(
    client: TestClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code in (200, 400, 404)
    headers = response.headers
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    html = response.text
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert " style=" not in html
    assert re.search(r"\son[a-z]+=", html) is None


def test_pages_are_not_in_the_api_documentation(client: TestClient) -> None:
    paths = set(client.get("/openapi.json").json()["paths"])
    assert not paths & {"/", "/letter/{accession}", "/thread/{thread_id}", "/statistics"}


def test_an_unreachable_backend_is_a_503_page(tmp_path: Path) -> None:
    pages = [
        "/",
        "/?q=revenue&mode=comments",
        "/letter/0000000000-22-005802",
        "/thread/0000000000-22-005802",
        "/company/1300514",
        "/statistics",
    ]
    with TestClient(create_app(api_settings(DEAD_URL, "test-dead-", tmp_path))) as dead:
        for path in pages:
            page = get_page(dead, path, status=503)
            assert page.find("title").text == "Temporarily unavailable · corresp", path
            assert "Search is temporarily unavailable" in page.find("h1").text
            response = dead.get(path)
            assert response.headers["retry-after"] == "30"
            assert "script-src 'self'" in response.headers["content-security-policy"]
        metrics = dead.get("/metrics").text
    assert f"corresp_api_elasticsearch_errors_total {float(2 * len(pages))}" in metrics
    assert 'route="/letter/{accession}",status="503"' in metrics


def test_a_letter_read_by_ocr_says_so_with_its_confidence(crafted: TestClient) -> None:
    page = get_page(crafted, f"/letter/{CRAFTED_STAFF}")
    facts = page.find("dl").text
    assert "scan read by OCR (confidence 61%)" in facts
    notice = page.find("div", cls="reading-warnings")
    assert "OCR confidence 61%: the text may contain misread words" in notice.text
    api = crafted.get(f"/letters/{CRAFTED_STAFF}").json()
    assert api["text_source"] == "ocr"
    assert api["source"]["ocr_confidence"] == 61.0
    assert "OCR confidence 61%: the text may contain misread words" in api["warnings"]
