"""Bodies of the thread listing, a thread's page and a company's page, and their fields. Pure."""

from __future__ import annotations

from indexer.search.kinds import THREAD_ORDER
from indexer.search.paging import PageRequest
from indexer.search.params import ThreadListParams
from indexer.search.reviews import (
    LATEST_LETTERS,
    THREAD_COMMENT_FIELDS,
    THREAD_SUMMARY_FIELDS,
    build_thread_list_body,
    company_letters_body,
    company_threads_body,
    read_letters_per_year,
    read_thread_summary,
    thread_comments_body,
    thread_letters_body,
)


def test_thread_list_body() -> None:
    params = ThreadListParams.model_validate(
        {"cik": ["7084"], "status": ["closed"], "min_rounds": "2", "form_reviewed": ["10-k"]}
    )
    body = build_thread_list_body(params, PageRequest(THREAD_ORDER, 10, [1, "x"]))
    clauses = body["query"]["bool"]["filter"]
    assert {"terms": {"ciks": ["0000007084"]}} in clauses
    assert {"terms": {"status": ["closed"]}} in clauses
    assert {"terms": {"reviewed_forms": ["10-K"]}} in clauses
    assert {"range": {"rounds": {"gte": 2}}} in clauses
    assert body["size"] == 11
    assert body["search_after"] == [1, "x"]
    assert body["sort"][0] == {"opened_on": {"order": "desc", "missing": "_last"}}
    assert body["source"] == list(THREAD_SUMMARY_FIELDS)


def test_thread_list_body_without_filters_or_cursor() -> None:
    body = build_thread_list_body(ThreadListParams(), PageRequest(THREAD_ORDER, 20))
    assert body["query"] == {"bool": {"filter": []}}
    assert "search_after" not in body
    company = ThreadListParams(company="Las Vegas Sands")
    (clause,) = build_thread_list_body(company, PageRequest(THREAD_ORDER, 20))["query"]["bool"][
        "filter"
    ]
    assert clause == {"match": {"company": {"query": "Las Vegas Sands", "operator": "and"}}}


def test_a_threads_letters_and_comments_are_walked_in_a_stable_order() -> None:
    letters = thread_letters_body("0000000000-22-000001")
    assert letters["query"] == {"term": {"thread_id": "0000000000-22-000001"}}
    assert letters["sort"] == [{"accession": {"order": "asc", "missing": "_last"}}]
    assert letters["source"] == ["accession", "url"]
    comments = thread_comments_body("0000000000-22-000001")
    assert comments["query"] == letters["query"]
    assert comments["sort"] == [{"comment_id": {"order": "asc", "missing": "_last"}}]
    assert comments["source"] == list(THREAD_COMMENT_FIELDS)


def test_company_bodies_and_letters_per_year() -> None:
    letters = company_letters_body("0000007084")
    assert letters["query"] == {"bool": {"filter": [{"terms": {"ciks": ["0000007084"]}}]}}
    assert letters["size"] == LATEST_LETTERS
    assert letters["sort"][0] == {"letter_date": {"order": "desc", "missing": "_last"}}
    assert letters["aggs"]["years"]["terms"]["field"] == "year"
    threads = company_threads_body("0000007084")
    assert threads["query"] == {"term": {"ciks": "0000007084"}}
    assert threads["sort"] == THREAD_ORDER.clauses()
    assert threads["source"] == list(THREAD_SUMMARY_FIELDS)
    answer = {"aggregations": {"years": {"buckets": [{"key": 2021, "doc_count": 4}]}}}
    assert read_letters_per_year(answer) == [{"year": 2021, "count": 4}]
    assert read_letters_per_year({}) == []


def test_a_thread_summary_has_every_field() -> None:
    summary = read_thread_summary({"thread_id": "A", "status": "open", "letters": []})
    assert list(summary) == list(THREAD_SUMMARY_FIELDS)
    assert (summary["thread_id"], summary["status"], summary["rounds"]) == ("A", "open", None)
