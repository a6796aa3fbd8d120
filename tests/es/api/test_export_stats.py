"""``GET /export`` (CSV, JSON Lines) and ``GET /stats`` over the indexed sample letters."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import search as search_module
from indexer.search.kinds import COMMENTS, LETTERS
from tests.es.api.conftest import Indexed

pytestmark = pytest.mark.samples


def _total(client: TestClient, path: str, **params: Any) -> int:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.json()
    return int(response.json()["total"])


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "non-GAAP"},
        {"file_number": "1-32373"},
        {"form": "CORRESP", "date_from": "2018-01-01"},
        {"q": "nothing-matches-this-zzzz"},
    ],
)
def test_csv_export_has_one_row_per_match(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/export", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert tuple(rows[0]) == LETTERS.export_columns
    total = _total(client, "/search", **params)
    assert len(rows) - 1 == total == int(response.headers["x-total-count"])
    assert len({row[0] for row in rows[1:]}) == total  # accessions: no duplicates


def test_jsonl_export_of_comments(client: TestClient) -> None:
    params = {"kind": "comments", "format": "jsonl", "has_response": "true"}
    response = client.get("/export", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in response.text.splitlines()]
    assert len(records) == _total(client, "/comments/search", has_response="true")
    assert all(tuple(record) == COMMENTS.export_columns for record in records)
    assert all(record["has_response"] and record["response"] for record in records)


@pytest.mark.parametrize("kind", ["letters", "comments"])
def test_export_walks_many_pages_of_one_point_in_time(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    monkeypatch.setattr(search_module, "SCAN_PAGE_SIZE", 40)  # the samples fill one 1,000 page
    response = client.get("/export", params={"kind": kind, "sort": "date_asc"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    path = "/search" if kind == "letters" else "/comments/search"
    assert len(rows) == _total(client, path) > 3 * 40
    key = "accession" if kind == "letters" else "comment_id"
    assert len({row[key] for row in rows}) == len(rows)
    dates = [row["letter_date"] for row in rows if row["letter_date"]]
    assert dates == sorted(dates)
    if kind == "comments":
        assert any("\n" in row["text"] for row in rows)  # multi-line texts stay one field


def test_stats_per_year_days_to_close_and_topics(client: TestClient, indexed: Indexed) -> None:
    stats = client.get("/stats").json()
    assert stats["letters"] == indexed.letters
    assert sum(year["letters"] for year in stats["years"]) == indexed.letters
    assert all(0 < year["reviews"] <= year["letters"] for year in stats["years"])
    closing = stats["days_to_close"]
    assert closing["closed_reviews"] > 10
    assert 0 < closing["median"] <= closing["mean"] * 3
    assert stats["top_topics"]
    counts = [topic["count"] for topic in stats["top_topics"]]
    assert counts == sorted(counts, reverse=True)
    assert stats["warnings"] == []


def test_stats_accept_search_filters(client: TestClient) -> None:
    lvs = client.get("/stats", params={"cik": "1300514"}).json()
    assert lvs["letters"] == 9
    assert lvs["years"] == [{"year": 2022, "letters": 9, "reviews": 1}]
    assert lvs["days_to_close"] == {"closed_reviews": 1, "mean": 176.0, "median": 176.0}
    by_query = client.get("/stats", params={"q": '"Adjusted Property EBITDA"'}).json()
    assert by_query["reviews"] == 1  # the thread is selected through the matching letters
    assert by_query["days_to_close"]["closed_reviews"] == 1
    nothing = client.get("/stats", params={"q": "nothing-matches-this-zzzz"}).json()
    assert nothing["letters"] == 0
    assert nothing["days_to_close"] == {"closed_reviews": 0, "mean": None, "median": None}
