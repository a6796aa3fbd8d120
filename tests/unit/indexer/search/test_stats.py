"""Bodies of the statistics requests: letters per year, days to close, their spread. Pure."""

from __future__ import annotations

from indexer.search.params import LetterFilters
from indexer.search.stats import (
    DAY_RANGES,
    MAX_REVIEW_IDS,
    add_duration_aggs,
    build_stats_letters_body,
    build_stats_threads_body,
    needs_review_ids,
    read_review_ids,
)


def test_stats_select_reviews_by_thread_ids_only_for_letter_only_filters() -> None:
    by_company = LetterFilters.model_validate({"cik": ["7084"], "date_from": "2020-01-01"})
    assert not needs_review_ids(by_company)
    assert "review_ids" not in build_stats_letters_body(by_company)["aggs"]
    threads = build_stats_threads_body(by_company, review_ids=None)["query"]["bool"]["filter"]
    assert {"term": {"status": "closed"}} in threads
    assert {"terms": {"ciks": ["0000007084"]}} in threads
    assert {"range": {"opened_on": {"gte": "2020-01-01", "format": "yyyy-MM-dd"}}} in threads
    by_text = LetterFilters(q="goodwill")
    assert needs_review_ids(by_text)
    review_ids = build_stats_letters_body(by_text)["aggs"]["review_ids"]
    assert review_ids == {"terms": {"field": "thread_id", "size": MAX_REVIEW_IDS}}
    none = build_stats_threads_body(by_text, review_ids=[])["query"]["bool"]["filter"]
    assert {"match_none": {}} in none
    some = build_stats_threads_body(by_text, review_ids=["A"])["query"]["bool"]["filter"]
    assert {"terms": {"thread_id": ["A"]}} in some


def test_the_letters_body_counts_and_searches_like_search() -> None:
    body = build_stats_letters_body(LetterFilters(q="goodwill", form=["UPLOAD"]))
    assert (body["size"], body["track_total_hits"]) == (0, True)
    assert body["query"]["bool"]["filter"] == [{"terms": {"form": ["UPLOAD"]}}]
    (must,) = body["query"]["bool"]["must"]
    assert must["multi_match"]["query"] == "goodwill"
    assert {"years", "reviews", "topics", "review_ids"} == set(body["aggs"])


def test_review_ids_are_read_with_whether_some_were_left_out() -> None:
    answer = {"aggregations": {"review_ids": {"buckets": [{"key": "A"}], "sum_other_doc_count": 3}}}
    assert read_review_ids(answer) == (["A"], True)
    assert read_review_ids({"aggregations": {"review_ids": {"buckets": []}}}) == ([], False)


def test_duration_figures_extend_the_threads_request() -> None:
    threads = build_stats_threads_body(LetterFilters(), review_ids=None)
    body = add_duration_aggs(threads)
    assert set(body["aggs"]) == {"mean", "median", "spread", "per_year"}
    assert body["query"] == threads["query"]
    ranges = body["aggs"]["spread"]["range"]["ranges"]
    assert [r["key"] for r in ranges] == [label for label, _, _ in DAY_RANGES]
    assert ranges[0] == {"key": "≤ 30", "to": 31}
    assert ranges[1] == {"key": "31–60", "from": 31, "to": 61}
    assert ranges[-1] == {"key": "> 365", "from": 366}
    assert body["aggs"]["per_year"]["date_histogram"]["field"] == "opened_on"
    assert "spread" not in threads["aggs"]  # the request of /stats is left as it was
