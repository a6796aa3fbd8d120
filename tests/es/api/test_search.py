"""``GET /search`` and ``GET /comments/search`` over the indexed sample letters."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.es.api.conftest import Indexed

pytestmark = pytest.mark.samples

PHRASE = "Adjusted Property EBITDA"


def _search(client: TestClient, path: str = "/search", **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.json()
    return response.json()


def _walk(client: TestClient, path: str, **params: Any) -> tuple[int, list[dict[str, Any]]]:
    """Every hit, page by page with the cursor; and the total."""
    hits: list[dict[str, Any]] = []
    page = _search(client, path, **params)
    total = page["total"]
    while True:
        hits += page["hits"]
        if page["next_cursor"] is None:
            return total, hits
        page = _search(client, path, **params, cursor=page["next_cursor"])


def test_phrase_search_returns_marked_snippets_containing_the_phrase(client: TestClient) -> None:
    body = _search(client, q=f'"{PHRASE}"')
    assert body["total"] >= 2
    assert body["query"]["highlight_terms"] == [PHRASE]
    for hit in body["hits"]:
        assert any(f"<mark>{PHRASE}</mark>" in snippet for snippet in hit["highlights"]), hit
        assert all(len(re.sub(r"</?mark>", "", s)) < 400 for s in hit["highlights"])
    assert body["hits"][0]["score"] > 0


def test_snippets_are_escaped_html(client: TestClient) -> None:
    body = _search(client, q="Management's Discussion", size=50)
    snippets = [s for hit in body["hits"] for s in hit["highlights"]]
    assert snippets
    for snippet in snippets:
        assert "'" not in snippet  # apostrophes come escaped
        assert re.sub(r"</?mark>", "", snippet).count("<") == 0


def test_file_number_filter_returns_exactly_that_file_numbers_letters(
    client: TestClient,
) -> None:
    body = _search(client, file_number="1-32373", size=100)  # Las Vegas Sands, any spelling
    assert body["total"] == 9
    _, everything = _walk(client, "/search", size=100)
    expected = {hit["accession"] for hit in everything if "001-32373" in hit["file_numbers"]}
    assert {hit["accession"] for hit in body["hits"]} == expected
    assert len(everything) > len(expected)


@pytest.mark.parametrize(
    ("path", "key", "params"),
    [
        ("/search", "accession", {"size": 7}),
        ("/search", "accession", {"size": 3, "q": "non-GAAP"}),
        ("/search", "accession", {"size": 11, "sort": "date_asc", "form": "UPLOAD"}),
        ("/comments/search", "comment_id", {"size": 13}),
        ("/comments/search", "comment_id", {"size": 5, "q": "revenue"}),
    ],
)
def test_cursor_paging_walks_every_result_once(
    client: TestClient, path: str, key: str, params: dict[str, Any]
) -> None:
    total, hits = _walk(client, path, **params)
    seen = [hit[key] for hit in hits]
    assert total > params["size"]  # more than one page
    assert len(seen) == total
    assert len(set(seen)) == total


def test_everything_is_searchable_and_counted(client: TestClient, indexed: Indexed) -> None:
    body = _search(client)
    assert body["total"] == indexed.letters
    assert len(body["hits"]) == 20
    assert sum(b["count"] for b in body["facets"]["form"]) == indexed.letters
    assert set(body["facets"]) == {"form", "letter_type", "year", "office", "topics", "sic"}
    assert body["hits"][0]["score"] is None  # sorted by date without a query


def test_date_sort_and_date_filters(client: TestClient) -> None:
    newest = _search(client, size=50, date_from="2020-01-01", date_to="2021-12-31")
    dates = [hit["letter_date"] for hit in newest["hits"]]
    assert dates == sorted(dates, reverse=True)
    assert all("2020-01-01" <= d <= "2021-12-31" for d in dates)
    oldest = _search(client, size=50, date_from="2020-01-01", date_to="2021-12-31", sort="date_asc")
    assert [h["letter_date"] for h in oldest["hits"]] == sorted(dates)
    assert (
        newest["total"]
        == oldest["total"]
        == sum(b["count"] for b in newest["facets"]["year"] if b["value"] in ("2020", "2021"))
    )


def test_released_filter(client: TestClient) -> None:
    body = _search(client, released_from="2022-05-26", released_to="2022-05-26", size=100)
    assert body["total"] >= 1
    assert {hit["released_on"] for hit in body["hits"]} == {"2022-05-26"}


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"form": "upload"}, lambda h: h["form"] == "UPLOAD"),
        ({"letter_type": "Review Complete"}, lambda h: h["letter_type"] == "review_complete"),
        ({"cik": "1300514"}, lambda h: h["ciks"] == ["0001300514"]),
        ({"company": "las vegas"}, lambda h: h["company"] == "LAS VEGAS SANDS CORP"),
        ({"q": "company:wynn"}, lambda h: h["company"] == "WYNN RESORTS LTD"),
        ({"q": "file:1-32373 Macao"}, lambda h: "001-32373" in h["file_numbers"]),
    ],
)
def test_filters_and_prefixes(client: TestClient, params: dict[str, str], check: Any) -> None:
    body = _search(client, size=100, **params)
    assert body["total"] >= 1
    assert all(check(hit) for hit in body["hits"])


def test_facet_filters_agree_with_facet_counts(client: TestClient) -> None:
    facets = _search(client)["facets"]
    for name, param in (("sic", "sic"), ("office", "office"), ("topics", "topic")):
        bucket = facets[name][0]
        assert _search(client, **{param: bucket["value"]})["total"] == bucket["count"], name


def test_forgiving_query_is_repaired_and_reported(client: TestClient) -> None:
    body = _search(client, q='"Adjusted Property EBITDA')  # unbalanced quote
    assert body["total"] >= 2
    assert body["query"]["warnings"]
    long = _search(client, q="revenue " * 200)  # 1,600 characters, 200 terms
    assert any("characters" in w or "terms" in w for w in long["query"]["warnings"])


def test_comment_search_returns_comments_with_answers(client: TestClient) -> None:
    body = _search(client, "/comments/search", q="Macao", cik="1300514", size=50)
    assert body["total"] >= 1
    for hit in body["hits"]:
        assert hit["comment_id"] == f"{hit['accession']}-{hit['number']}"
        assert hit["thread_id"] == "0000000000-22-005802"
        assert any("<mark>Macao</mark>" in s for s in hit["highlights"])
    answered = [hit for hit in body["hits"] if hit["has_response"]]
    assert answered
    assert all(hit["response"] and hit["response_accession"] for hit in answered)


def test_comment_search_filters_on_answers(client: TestClient) -> None:
    everything = _search(client, "/comments/search")["total"]
    answered = _search(client, "/comments/search", has_response="true", size=100)
    unanswered = _search(client, "/comments/search", has_response="false", size=100)
    assert answered["total"] + unanswered["total"] == everything
    assert all(hit["response"] for hit in answered["hits"])
    assert not any(hit["response"] for hit in unanswered["hits"])


def test_comment_heading_prefix(client: TestClient) -> None:
    body = _search(client, "/comments/search", q="heading:goodwill", size=100)
    assert body["total"] >= 1
    assert all("goodwill" in hit["heading"].lower() for hit in body["hits"])


def test_year_facet_counts_letters(client: TestClient) -> None:
    body = _search(client, cik="1300514")
    assert body["facets"]["year"] == [{"value": "2022", "count": 9}]
    assert date.fromisoformat(body["hits"][0]["letter_date"]).year == 2022


def test_snippets_false_answers_the_same_hits_without_highlights(client: TestClient) -> None:
    params = {"q": "revenue recognition", "size": 50}
    marked = _search(client, **params)
    plain = _search(client, **params, snippets="false")
    assert marked["total"] == plain["total"] > 0
    assert [h["accession"] for h in plain["hits"]] == [h["accession"] for h in marked["hits"]]
    assert any(hit["highlights"] for hit in marked["hits"])
    assert all(hit["highlights"] == [] for hit in plain["hits"])
    assert plain["query"]["highlight_terms"] == marked["query"]["highlight_terms"]


def test_comment_search_without_snippets_keeps_the_answers(client: TestClient) -> None:
    plain = _search(client, "/comments/search", q="goodwill", snippets="0")
    assert plain["total"] > 0
    assert all(hit["highlights"] == [] for hit in plain["hits"])
    assert any(hit["response"] for hit in plain["hits"])


def test_a_malformed_snippets_value_is_a_400_naming_it(client: TestClient) -> None:
    response = client.get("/search", params={"q": "goodwill", "snippets": "maybe"})
    assert response.status_code == 400
    assert response.json()["parameter"] == "snippets"
