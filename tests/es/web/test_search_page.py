"""The search page over the indexed sample letters: hits, snippets, facets, paging, export."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.es.api.conftest import Indexed
from tests.es.web.conftest import get_page
from tests.unit.web.page_parts import Element

pytestmark = pytest.mark.samples

PHRASE = "Adjusted Property EBITDA"


def _api(client: TestClient, path: str, **params: object) -> dict:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _count(page: Element) -> int:
    return int(page.find(id="result-count").find("strong").text.replace(",", ""))


def _hit_ids(page: Element) -> list[str]:
    return [hit.get("id") or "" for hit in page.find_all("li", cls="hit")]


def _facet_link(page: Element, facet: str, label: str) -> Element:
    section = page.find("section", id=f"facet-{facet}")
    for link in section.find_all("a", cls="facet-link"):
        if link.find("span", cls="facet-label").text == label:
            return link
    raise AssertionError(f"no facet link {label!r} in {facet}")


def test_home_page_lists_the_newest_letters_with_the_search_form(
    client: TestClient, indexed: Indexed
) -> None:
    page = get_page(client, "/")
    assert page.find("title").text == "Search SEC comment letters · corresp"
    assert page.find("input", id="q").get("name") == "q"
    assert "company:" in page.find("details", cls="syntax-help").text
    assert _count(page) == indexed.letters
    dates = [hit.find("time").get("datetime") for hit in page.find_all("li", cls="hit")]
    assert len(dates) == 20
    assert dates == sorted(dates, reverse=True)
    assert {"facet-form", "facet-letter_type", "facet-year", "facet-topics"} <= {
        section.get("id") for section in page.find_all("section", cls="facet")
    }
    assert page.find("a", id="export-link").get("href") == "/export"
    nav = [link.get("href") for link in page.find("nav", cls="site-nav").find_all("a")]
    assert nav == ["/", "/statistics", "/watch"]


def test_a_phrase_search_marks_the_phrase_in_every_snippet(client: TestClient) -> None:
    page = get_page(client, "/", q=f'"{PHRASE}"')
    api = _api(client, "/search", q=f'"{PHRASE}"')
    assert _count(page) == api["total"] >= 2
    hits = page.find_all("li", cls="hit")
    assert len(hits) == len(api["hits"])
    for hit in hits:
        snippets = [snippet.source for snippet in hit.find_all("li", cls="snippet")]
        assert any(f"<mark>{PHRASE}</mark>" in snippet for snippet in snippets), hit.text
        assert hit.find("a", cls="hit-link").get("href").startswith("/letter/")
    assert page.find("title").text.startswith(f'"{PHRASE}"')


def test_facet_links_narrow_the_search_to_their_count(client: TestClient) -> None:
    page = get_page(client, "/", q="EBITDA")
    total = _count(page)
    link = _facet_link(page, "form", "UPLOAD")
    count = int(link.find("span", cls="facet-count").text)
    assert 0 < count < total
    narrowed = get_page(client, link.get("href"))
    assert parse_qs(urlsplit(link.get("href")).query)["form"] == ["UPLOAD"]
    assert _count(narrowed) == count
    active = _facet_link(narrowed, "form", "UPLOAD")
    assert "is-active" in active.classes
    chip = narrowed.find("a", cls="chip")
    assert "UPLOAD" in chip.text
    assert _count(get_page(client, chip.get("href"))) == total
    year = narrowed.find("section", id="facet-year").find("a", cls="facet-link")
    label = year.find("span", cls="facet-label").text
    by_year = get_page(client, year.get("href"))
    assert _count(by_year) == int(year.find("span", cls="facet-count").text)
    query = parse_qs(urlsplit(year.get("href")).query)
    assert (query["date_from"], query["date_to"]) == ([f"{label}-01-01"], [f"{label}-12-31"])
    assert "is-active" in _facet_link(by_year, "year", label).classes


def test_a_second_topic_narrows_too(client: TestClient) -> None:
    page = get_page(client, "/", topic="non_gaap_measures")
    link = next(
        link
        for link in page.find("section", id="facet-topics").find_all("a", cls="facet-link")
        if "is-active" not in link.classes
    )
    count = int(link.find("span", cls="facet-count").text)
    narrowed = get_page(client, link.get("href"))
    assert _count(narrowed) == count <= _count(page)
    assert "topic:" in (narrowed.find("input", id="q").get("value") or "")


def test_download_csv_carries_the_search_and_its_filters(client: TestClient) -> None:
    params = {"q": "EBITDA", "form": "UPLOAD", "date_from": "2016-01-01", "sort": "date"}
    page = get_page(client, "/", **params)
    href = page.find("a", id="export-link").get("href")
    assert href.startswith("/export?")
    assert {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()} == params
    export = client.get(href)
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert len(rows) == _count(page)
    assert {row["form"] for row in rows} == {"UPLOAD"}
    comments = get_page(client, "/", q="EBITDA", mode="comments")
    assert "kind=comments" in comments.find("a", id="export-link").get("href")


def test_next_and_previous_pages_walk_with_the_cursor(client: TestClient) -> None:
    first = get_page(client, "/", size=5)
    assert first.find_all("a", cls="pager-prev") == []
    second = get_page(client, first.find("a", cls="pager-next").get("href"))
    third = get_page(client, second.find("a", cls="pager-next").get("href"))
    assert "cursor=" in second.find("a", cls="pager-next").get("href")
    pages = [_hit_ids(first), _hit_ids(second), _hit_ids(third)]
    assert len({hit for ids in pages for hit in ids}) == 15
    assert "page 3" in third.find(id="result-count").text
    back = get_page(client, third.find("a", cls="pager-prev").get("href"))
    assert _hit_ids(back) == pages[1]
    assert _hit_ids(get_page(client, back.find("a", cls="pager-prev").get("href"))) == pages[0]
    assert _hit_ids(get_page(client, third.find("a", cls="pager-first").get("href"))) == pages[0]


def test_sort_links_order_the_hits(client: TestClient) -> None:
    page = get_page(client, "/", q="revenue")
    sorts = {link.text: link.get("href") for link in page.find_all("a", cls="sort-link")}
    assert set(sorts) == {"Relevance", "Newest", "Oldest"}
    oldest = get_page(client, sorts["Oldest"])
    dates = [hit.find("time").get("datetime") for hit in oldest.find_all("li", cls="hit")]
    assert dates == sorted(dates)


def test_comment_search_shows_each_comment_beside_the_company_answer(client: TestClient) -> None:
    page = get_page(client, "/", q="Macao", mode="comments")
    api = _api(client, "/comments/search", q="Macao")
    assert _count(page) == api["total"] > 0
    current = page.find("nav", cls="tabs").find_all("a", cls="tab")
    assert [tab.text for tab in current if tab.get("aria-current")] == ["Comments and answers"]
    hit = page.find("li", cls="comment-hit")
    assert "<mark>Macao</mark>" in hit.find("div", cls="comment").source
    answer = hit.find("div", cls="answer")
    assert "Company's answer" in answer.text
    assert api["hits"][0]["response"][:40] in answer.text
    assert hit.find("a", cls="thread-link").get("href").startswith("/thread/")
    assert page.find("select", id="f-answered")


def test_a_malformed_filter_shows_the_form_with_the_problem(client: TestClient) -> None:
    page = get_page(client, "/", status=400, q="revenue", date_from="2024-13-01")
    assert "Dated from" in page.find("div", cls="notice-error").text
    assert page.find("input", id="q").get("value") == "revenue"
    assert page.find_all("li", cls="hit") == []
    assert get_page(client, "/", status=400, cursor="!!!").find("div", cls="notice-error")


def test_unknown_parameters_are_ignored(client: TestClient, indexed: Indexed) -> None:
    page = get_page(client, "/", utm_source="newsletter", form="", q="")
    assert _count(page) == indexed.letters
