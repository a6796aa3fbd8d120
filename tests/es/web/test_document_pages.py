"""Letter, thread, company and statistics pages over the indexed sample letters."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.es.web.conftest import get_page
from tests.unit.web.page_parts import Element

pytestmark = pytest.mark.samples

LVS_CIK = "1300514"
LVS_THREAD = "0000000000-22-005802"
LVS_FIRST_LETTER = "0000000000-22-005802"
LVS_FIRST_RESPONSE = "0001300514-22-000075"


def _facts(page: Element) -> dict[str, str]:
    facts = page.find("dl", cls="facts-list")
    terms = [term.text for term in facts.find_all("dt")]
    values = [value.text for value in facts.find_all("dd")]
    return dict(zip(terms, values, strict=True))


def test_letter_page_shows_the_text_with_its_comments_set_off(client: TestClient) -> None:
    page = get_page(client, f"/letter/{LVS_FIRST_LETTER}")
    assert page.find("title").text == (
        "LAS VEGAS SANDS CORP – Staff comment letter, May 26, 2022 · corresp"
    )
    text = page.find("article", id="text")
    comments = text.find_all("section", cls="comment")
    assert [c.get("id") for c in comments] == ["comment-1", "comment-2"]
    assert "Macao" in comments[0].text
    assert "reconciliation from GAAP-based" in comments[1].text
    assert "Dear Mr. Hyzak:" in text.text
    facts = _facts(page)
    assert facts["Letter date"] == "May 26, 2022"
    assert facts["Filed"] == "May 26, 2022"
    assert facts["Released"] == "May 26, 2022"
    assert facts["File number"] == "001-32373"
    assert "10-K for the period ended Dec. 31, 2021" in facts["Reviewed filing"]
    assert "Frank Knapp" in facts["Staff"]
    assert facts["Office"] == "Real Estate & Construction"
    assert "Non-GAAP measures" in facts["Topics"]
    assert facts["Accession"] == LVS_FIRST_LETTER
    assert page.find("a", cls="company-link").get("href") == f"/company/{LVS_CIK}"
    thread = page.find("a", cls="thread-link")
    assert thread.get("href") == f"/thread/{LVS_THREAD}"
    assert "4 rounds" in thread.text
    assert "Closed" in thread.text
    edgar = page.find("a", cls="edgar-link").get("href")
    assert edgar.startswith("https://www.sec.gov/Archives/edgar/data/1300514/")
    toc = [link.get("href") for link in page.find("nav", cls="toc").find_all("a")]
    assert toc == ["#comment-1", "#comment-2"]


def test_a_response_letter_marks_the_search_words_and_its_responses(client: TestClient) -> None:
    page = get_page(client, f"/letter/{LVS_FIRST_RESPONSE}", q="Macao")
    text = page.find("article", id="text")
    assert "<mark>Macao</mark>" in text.source
    assert [c.get("id") for c in text.find_all("section", cls="comment")] == [
        "comment-1",
        "comment-2",
    ]
    assert text.find_all("p", cls="response-para")
    crumbs = page.find("nav", cls="crumbs").find("a")
    assert crumbs.get("href") == "/?q=Macao"


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/letter/0000000000-00-000001", "no letter with accession number 0000000000-00-000001"),
        ("/letter/not-an-accession", "no letter with accession number not-an-accession"),
        ("/thread/0000000000-00-000001", "no review thread 0000000000-00-000001"),
        ("/company/999999999", "no company with CIK 999999999"),
        ("/company/apple", "no company with CIK apple"),
    ],
)
def test_unknown_ids_are_html_404_pages(client: TestClient, path: str, words: str) -> None:
    page = get_page(client, path, status=404)
    assert page.find("title").text == "Not found · corresp"
    assert words in page.find("section", cls="error-page").text
    assert page.find("input", id="q")


def test_thread_page_is_a_timeline_and_comments_beside_answers(client: TestClient) -> None:
    page = get_page(client, f"/thread/{LVS_THREAD}")
    assert page.find("title").text.startswith("LAS VEGAS SANDS CORP – review of 10-K")
    assert page.find("dd", id="rounds").text == "4"
    steps = page.find("ol", cls="timeline").find_all("li", cls="step")
    assert len(steps) == 9
    labels = [step.find("a", cls="step-link").text for step in steps]
    assert labels == [
        "Staff comments",
        *["Company response", "Follow-up comments"] * 3,
        "Company response",
        "Review complete",
    ]
    assert ["step-staff" in step.classes for step in steps] == [True, False] * 4 + [True]
    gaps = [gap.text for gap in page.find("ol", cls="timeline").find_all("li", cls="gap")]
    assert len(gaps) == 8
    assert gaps[0] == "8 days later"  # May 26 -> June 3
    assert "176" in page.find("dl", cls="figures").text
    rounds = page.find_all("section", cls="round")
    assert [r.get("id") for r in rounds] == ["round-1", "round-2", "round-3", "round-4"]
    first = rounds[0].find_all("div", cls="exchange")
    assert len(first) == 2
    comment, answer = first[0].find("div", cls="comment"), first[0].find("div", cls="answer")
    assert "Macao" in comment.text
    assert "We acknowledge the Staff’s comment" in answer.text
    assert answer.find("a").get("href") == f"/letter/{LVS_FIRST_RESPONSE}"
    assert first[0].get("id") == f"comment-{LVS_FIRST_LETTER}-1"
    assert "8 days later" in rounds[0].find("h3", cls="round-title").text
    why = [step.find_all("p", cls="step-why") for step in steps]
    assert why[0] == []  # the letter that opened the review
    assert "cites the staff letter of 2022-05-26" in why[1][0].text
    assert all(len(found) == 1 for found in why[1:])


def test_reviewed_filings_link_to_edgar_on_the_letter_and_thread_pages(client: TestClient) -> None:
    letter = get_page(client, "/letter/0001104659-22-099242")  # Chubb's 2022 proxy review
    (item,) = letter.find_all("li", cls="reviewed-filing")
    link = item.find("a")
    assert link.text == "DEF 14A"
    assert (link.get("href") or "").endswith("/0001104659-22-042195-index.htm")
    hrefs = [a.get("href") or "" for a in letter.find_all("a")]
    thread = get_page(client, next(h for h in hrefs if h.startswith("/thread/")))
    items = thread.find_all("li", cls="reviewed-filing")
    assert [(i.find("a").get("href") or "")[-31:] for i in items] == [
        "/0001104659-22-042195-index.htm"
    ]


def test_company_page_lists_reviews_and_draws_letters_per_year(client: TestClient) -> None:
    page = get_page(client, f"/company/{LVS_CIK}")
    assert page.find("h1").text == "LAS VEGAS SANDS CORP"
    rows = page.find("table", cls="reviews").find("tbody").find_all("tr")
    assert len(rows) == 1
    cells = {cell.get("data-label"): cell.text for cell in rows[0].find_all("td")}
    assert cells["Status"] == "Closed"
    assert (cells["Rounds"], cells["Days"]) == ("4", "176")
    assert cells["Opened"] == "May 26, 2022"
    assert rows[0].find("a", cls="thread-link").get("href") == f"/thread/{LVS_THREAD}"
    chart = page.find("figure", id="letters-per-year")
    svgs = chart.find_all("svg")
    assert len(svgs) == 3
    assert all(svg.get("role") == "img" for svg in svgs)
    assert "2022: 9 letters" in svgs[0].find("rect", cls="bar").text


def test_a_company_with_several_reviews_lists_them_newest_first(client: TestClient) -> None:
    page = get_page(client, "/company/1103982")  # Mondelez
    opened = [
        row.find("td").find("a").text
        for row in page.find("table", cls="reviews").find("tbody").find_all("tr")
    ]
    assert len(opened) >= 2
    api = client.get("/companies/1103982").json()
    assert len(opened) == len(api["reviews"])
    years = [int(text[-4:]) for text in opened]
    assert years == sorted(years, reverse=True)


def test_statistics_page_draws_every_chart(client: TestClient) -> None:
    page = get_page(client, "/statistics")
    stats = client.get("/stats").json()
    assert page.find("dd", id="letter-total").text == f"{stats['letters']:,}"
    for chart in ("chart-years", "chart-spread", "chart-median", "chart-topics"):
        svgs = page.find("figure", id=chart).find_all("svg")
        assert len(svgs) == 3, chart
        assert svgs[0].find_all("rect"), chart
    topic_links = page.find("figure", id="chart-topics").find_all("a")
    assert topic_links[0].get("href") == f"/?topic={stats['top_topics'][0]['value']}"


def test_statistics_of_a_search_use_the_same_filters(client: TestClient) -> None:
    page = get_page(client, "/statistics", topic="non_gaap_measures", q="EBITDA")
    stats = client.get("/stats", params={"topic": "non_gaap_measures", "q": "EBITDA"}).json()
    assert page.find("dd", id="letter-total").text == str(stats["letters"])
    chips = page.find("ul", cls="chips")
    assert "Non-GAAP measures" in chips.text
    assert "EBITDA" in chips.text
    back = {link.text: link.get("href") for link in chips.find_all("a", cls="chip-clear")}
    assert back["Show these letters"] == "/?q=EBITDA&topic=non_gaap_measures"
    assert get_page(client, "/statistics", status=400, date_from="someday").find(
        "section", cls="error-page"
    )


def test_who_else_got_this_comment_shows_how_others_answered(client: TestClient) -> None:
    letter = get_page(client, f"/letter/{LVS_FIRST_LETTER}")
    link = letter.find("a", cls="similar-link")
    assert link.get("href") == f"/comment/{LVS_FIRST_LETTER}-1/similar"
    comment_id = f"{LVS_FIRST_LETTER}-2"  # Segment Adjusted Property EBITDA (non-GAAP)
    page = get_page(client, f"/comment/{comment_id}/similar")
    similar = client.get(f"/comments/{comment_id}/similar").json()
    hits = page.find("ol", cls="similar-hits").find_all("li", cls="hit")
    assert len(hits) == len(similar["hits"]) > 0
    answered = [hit for hit in similar["hits"] if hit["outcomes"]]
    assert answered
    shown = {link.text for hit in hits for link in hit.find_all("a") if "outcome" in link.classes}
    labels = {"will_revise": "Will revise in future filings", "no_change": "No change needed"}
    expected = {labels.get(o) for hit in answered for o in hit["outcomes"]} - {None}
    assert expected and expected <= shown
    evidence = [p.text for hit in hits for p in hit.find_all("p", cls="evidence")]
    assert evidence and all("“" in text for text in evidence)
    assert get_page(client, "/comment/0000000000-22-005802-99/similar", status=404)


def test_comment_search_filters_and_counts_outcomes(client: TestClient) -> None:
    page = get_page(client, "/", mode="comments", outcome="no_change")
    facet = page.find("section", id="facet-outcomes")
    assert facet is not None and "No change needed" in facet.text
    chips = page.find("ul", cls="chips")
    assert "No change needed" in chips.text
    hits = page.find_all("li", cls="comment-hit")
    assert hits
    assert all("No change needed" in hit.find("ul", cls="outcomes").text for hit in hits)


def test_the_review_page_says_whether_the_filing_was_amended(client: TestClient) -> None:
    page = get_page(client, f"/thread/{LVS_THREAD}")
    facts = page.find("dl", cls="thread-facts").text
    assert "Filing amended" in facts
    assert "Answers" in facts
    assert page.find("ul", cls="outcomes") is not None


def test_statistics_page_shows_no_change_answers_by_topic_and_year(client: TestClient) -> None:
    page = get_page(client, "/statistics")
    stats = client.get("/stats").json()["answers"]
    assert page.find("figure", id="chart-outcomes").find_all("svg")
    by_topic = page.find("table", id="no-change-by-topic").find_all("tr")
    assert len(by_topic) == len(stats["no_change_by_topic"]) + 1
    by_year = page.find("table", id="no-change-by-year").find_all("tr")
    assert len(by_year) == len(stats["no_change_by_year"]) + 1
    first = by_topic[1].find("a").get("href")
    assert first.startswith("/?") and "mode=comments" in first
