"""Letters, threads, companies and similar comments over the indexed sample letters."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.samples

LVS_THREAD = "0000000000-22-005802"
LVS_FIRST_LETTER = "0000000000-22-005802"
LVS_FIRST_RESPONSE = "0001300514-22-000075"


def _get(client: TestClient, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.json()
    return response.json()


def test_letter_has_every_field_its_comments_text_and_thread(client: TestClient) -> None:
    letter = _get(client, f"/letters/{LVS_FIRST_LETTER}")
    assert letter["accession"] == LVS_FIRST_LETTER
    assert (letter["form"], letter["sender"], letter["letter_type"]) == ("UPLOAD", "sec", "comment")
    assert letter["company"] == "LAS VEGAS SANDS CORP"
    assert letter["filing_date"] == letter["released_on"] == "2022-05-26"
    assert letter["file_numbers"] == ["001-32373"]
    assert "Macao" in letter["text"]
    assert [c["number"] for c in letter["comments"]] == [1, 2]
    assert letter["staff"]
    assert letter["url"].endswith(f"{LVS_FIRST_LETTER}-index.htm")
    assert letter["thread"] == {
        "thread_id": LVS_THREAD,
        "status": "closed",
        "rounds": 4,
        "opened_on": "2022-05-26",
        "closed_on": "2022-11-18",
    }


def test_letter_accepts_the_folder_form_of_an_accession(client: TestClient) -> None:
    letter = _get(client, "/letters/000130051422000075")
    assert letter["accession"] == LVS_FIRST_RESPONSE
    assert letter["form"] == "CORRESP"


def test_thread_shows_a_real_review_in_order_with_comments_beside_answers(
    client: TestClient,
) -> None:
    thread = _get(client, f"/threads/{LVS_THREAD}")
    assert (thread["status"], thread["rounds"], thread["letter_count"]) == ("closed", 4, 9)
    letters = thread["letters"]
    assert [m["date"] for m in letters] == sorted(m["date"] for m in letters)
    assert [m["form"] for m in letters] == ["UPLOAD", "CORRESP"] * 4 + ["UPLOAD"]
    assert [m["role"] for m in letters] == [
        "comment",
        "response",
        *["follow_up", "response"] * 3,
        "closing",
    ]
    assert all(m["url"] and m["letter_type"] for m in letters)
    rounds = thread["comment_rounds"]
    staff_letters = [m["accession"] for m in letters if m["role"] in ("comment", "follow_up")]
    assert [r["accession"] for r in rounds] == staff_letters
    first = rounds[0]["comments"]
    assert [c["number"] for c in first] == [1, 2]
    assert "Macao" in first[0]["text"]
    assert first[0]["response"]
    assert first[0]["response_accession"] == LVS_FIRST_RESPONSE
    responses = [m["accession"] for m in letters if m["role"] == "response"]
    for answered_by, staff_round in zip(responses, rounds, strict=True):
        assert all(c["response_accession"] == answered_by for c in staff_round["comments"])


def test_reviewed_filings_link_to_their_edgar_filing_and_links_say_why(
    client: TestClient,
) -> None:
    """Chubb's 2022 DEF 14A review: the proxy resolved from Chubb's submissions JSON."""
    letter = _get(client, "/letters/0001104659-22-099242")
    (proxy,) = letter["reviewed_filings"]
    assert (proxy["form"], proxy["filed_on"]) == ("DEF 14A", "2022-04-04")
    assert proxy["accession"] == "0001104659-22-042195"  # checked in json/lehigh/
    assert proxy["url"].endswith("/896159/000110465922042195/0001104659-22-042195-index.htm")

    thread = _get(client, f"/threads/{letter['thread']['thread_id']}")
    assert [f["accession"] for f in thread["reviewed_filings"]] == ["0001104659-22-042195"]
    first, *joined = thread["letters"]
    assert (first["link_rule"], first["evidence"]) == ("opened", "")
    assert all(m["link_rule"] != "opened" and m["evidence"] and m["linked_to"] for m in joined)
    assert thread["warnings"] == []

    # Chubb's 2016 reviews of an 8-K and of the 10-K, open in the same weeks, stay apart.
    chubb = _get(client, "/threads", cik="896159", size=10)
    assert chubb["total"] == 5


def test_thread_list_filters_sorts_and_pages(client: TestClient) -> None:
    lvs = _get(client, "/threads", cik="1300514")
    assert [t["thread_id"] for t in lvs["hits"]] == [LVS_THREAD]
    assert _get(client, "/threads", file_number="1-32373", min_rounds=4)["total"] == 1
    assert _get(client, "/threads", file_number="1-32373", min_rounds=5)["total"] == 0
    closed = _get(client, "/threads", status="closed", form_reviewed="10-k", size=100)
    assert closed["total"] >= 5
    assert all(t["status"] == "closed" and "10-K" in t["reviewed_forms"] for t in closed["hits"])
    everything = _get(client, "/threads", size=100)
    opened = [t["opened_on"] or "" for t in everything["hits"]]
    assert opened == sorted(opened, reverse=True)
    seen, page = [], _get(client, "/threads", size=4)
    while True:
        seen += [t["thread_id"] for t in page["hits"]]
        if not page["next_cursor"]:
            break
        page = _get(client, "/threads", size=4, cursor=page["next_cursor"])
    assert len(seen) == len(set(seen)) == everything["total"]
    window = _get(client, "/threads", opened_from="2022-01-01", opened_to="2022-12-31", size=100)
    assert window["total"] >= 1
    assert all(t["opened_on"].startswith("2022") for t in window["hits"])
    assert _get(client, "/threads", company="las vegas")["total"] == 1


def test_company_page(client: TestClient) -> None:
    company = _get(client, "/companies/7084")
    assert company["cik"] == "0000007084"
    assert company["name"] == "Archer-Daniels-Midland Co"
    assert (company["sic"], company["state"]) == ("2070", "DE")
    assert company["letter_count"] == 21
    assert sum(year["count"] for year in company["letters_per_year"]) == 21
    years = [year["year"] for year in company["letters_per_year"]]
    assert years == sorted(years)
    reviews = company["reviews"]
    assert reviews
    assert [r["opened_on"] or "" for r in reviews] == sorted(
        (r["opened_on"] or "" for r in reviews), reverse=True
    )
    assert all(r["ciks"] == ["0000007084"] for r in reviews)
    closed = [r for r in reviews if r["status"] == "closed"]
    assert closed
    assert all(r["days_open"] is not None and r["closed_on"] for r in closed)


def test_similar_comments_come_from_other_companies(client: TestClient) -> None:
    comment_id = f"{LVS_FIRST_LETTER}-2"  # Segment Adjusted Property EBITDA (non-GAAP)
    body = _get(client, f"/comments/{comment_id}/similar", size=5)
    assert body["comment"]["comment_id"] == comment_id
    assert body["comment"]["ciks"] == ["0001300514"]
    hits = body["hits"]
    assert 1 <= len(hits) <= 5
    assert all("0001300514" not in hit["ciks"] for hit in hits)
    assert all(hit["thread_id"] for hit in hits)
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert any(hit["response"] for hit in hits)
    assert any("GAAP" in (hit["heading"] or "") + hit["text"] for hit in hits)
