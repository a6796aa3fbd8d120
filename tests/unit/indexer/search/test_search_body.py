"""Search bodies built from parameters, and answers read back. Pure."""

from __future__ import annotations

from indexer.search.body import (
    build_search_body,
    filter_clauses,
    query_info,
    read_facets,
    read_hit,
    search_query,
    with_timeout,
)
from indexer.search.kinds import COMMENTS, LETTERS
from indexer.search.paging import PageRequest
from indexer.search.params import CommentFilters, LetterFilters
from indexer.search.query import parse_query


def test_each_filter_becomes_one_clause_on_its_field() -> None:
    filters = LetterFilters.model_validate(
        {
            "form": ["UPLOAD"],
            "letter_type": ["comment", "response"],
            "cik": ["1300514"],
            "file_number": ["1-32373"],
            "sic": ["7011"],
            "state": ["NV"],
            "topic": ["non_gaap_measures"],
            "office": ["real estate & construction"],
            "staff": ["Kindelan", "Jane Doe"],
            "company": "Las Vegas",
            "date_from": "2022-01-01",
            "released_to": "2022-12-31",
        }
    )
    clauses = filter_clauses(filters)
    assert {"terms": {"form": ["UPLOAD"]}} in clauses
    assert {"terms": {"letter_type": ["comment", "response"]}} in clauses
    assert {"terms": {"ciks": ["0001300514"]}} in clauses
    assert {"terms": {"file_numbers": ["001-32373"]}} in clauses
    assert {"terms": {"sic": ["7011"]}} in clauses
    assert {"terms": {"state": ["NV"]}} in clauses
    assert {"terms": {"topics": ["non_gaap_measures"]}} in clauses
    office = {"value": "real estate & construction", "case_insensitive": True}
    assert {"term": {"office": office}} in clauses  # one value: no bool wrapper
    assert {"match": {"company": {"query": "Las Vegas", "operator": "and"}}} in clauses
    staff = next(c for c in clauses if "bool" in c)["bool"]
    assert staff["minimum_should_match"] == 1
    assert len(staff["should"]) == 2
    assert {"range": {"letter_date": {"gte": "2022-01-01", "format": "yyyy-MM-dd"}}} in clauses
    assert {"range": {"released_on": {"lte": "2022-12-31", "format": "yyyy-MM-dd"}}} in clauses
    assert len(clauses) == 12


def test_no_filters_no_clauses() -> None:
    assert filter_clauses(LetterFilters()) == []
    assert filter_clauses(CommentFilters(has_response=False)) == [{"term": {"has_response": False}}]


def test_search_string_goes_to_the_kinds_fields() -> None:
    _, letters = search_query(LETTERS, LetterFilters(q="goodwill impairment"))
    _, comments = search_query(COMMENTS, LetterFilters(q="goodwill impairment"))
    (letter_query,) = letters["bool"]["must"]
    (comment_query,) = comments["bool"]["must"]
    assert letter_query["multi_match"]["fields"][0] == "text"
    assert {"heading", "text", "response"} <= set(comment_query["multi_match"]["fields"])
    _, empty = search_query(LETTERS, LetterFilters())
    assert empty == {"bool": {"must": [{"match_all": {}}]}}


def test_prefixes_reach_real_fields() -> None:
    _, query = search_query(LETTERS, LetterFilters(q="cik:320193 file:1-7933 company:apple"))
    text = str(query)
    assert "'ciks': {'value': '0000320193'}" in text
    assert "'file_numbers': {'value': '001-07933'}" in text
    assert "'company'" in text


def test_page_body_with_query_highlights_facets_and_cursor() -> None:
    order = LETTERS.order(None, has_query=True)
    page = PageRequest(order, 20, [3.5, "0000000000-22-005802"])
    parsed, body = build_search_body(LETTERS, LetterFilters(q='"non-GAAP"'), page)
    assert not parsed.is_empty
    assert body["size"] == 21  # one more than shown: is there a next page?
    assert body["track_total_hits"] is True
    assert body["sort"] == [
        {"_score": {"order": "desc"}},
        {"accession": {"order": "asc", "missing": "_last"}},
    ]
    assert body["search_after"] == [3.5, "0000000000-22-005802"]
    highlight = body["highlight"]
    assert (highlight["type"], highlight["encoder"]) == ("unified", "html")
    assert (highlight["pre_tags"], highlight["post_tags"]) == (["<mark>"], ["</mark>"])
    assert highlight["fragment_size"] == 160
    assert list(highlight["fields"]) == ["text"]
    assert set(body["aggs"]) == {"form", "letter_type", "year", "office", "topics", "sic"}
    assert "text" not in body["source"]


def test_page_body_without_query_sorts_by_date_and_skips_highlights() -> None:
    order = COMMENTS.order(None, has_query=False)
    _, body = build_search_body(COMMENTS, CommentFilters(), PageRequest(order, 5), facets=False)
    assert order.name == "date"
    assert body["sort"][-1] == {"comment_id": {"order": "asc", "missing": "_last"}}
    assert "highlight" not in body
    assert "aggs" not in body
    assert "search_after" not in body


def test_read_hit_and_facets() -> None:
    hit = {
        "_score": 2.5,
        "_source": {"comment_id": "a-1", "accession": "a", "heading": "H", "extra": 1},
        "highlight": {"text": ["x <mark>y</mark>"], "heading": ["<mark>H</mark>"]},
    }
    read = read_hit(COMMENTS, hit)
    assert read["highlights"] == ["<mark>H</mark>", "x <mark>y</mark>"]  # heading first
    assert read["score"] == 2.5
    assert "extra" not in read
    aggs = {
        "year": {"buckets": [{"key": 2022, "doc_count": 3}]},
        "form": {"buckets": [{"key": "UPLOAD", "doc_count": 2}]},
    }
    assert read_facets(aggs, ["year", "form", "sic"]) == {
        "year": [{"value": "2022", "count": 3}],
        "form": [{"value": "UPLOAD", "count": 2}],
        "sic": [],
    }


def test_query_info_reports_repairs() -> None:
    info = query_info(parse_query('"unbalanced phrase'))
    assert info["understood"] == '"unbalanced phrase"'
    assert info["warnings"]
    assert info["highlight_terms"] == ["unbalanced phrase"]


def test_a_timed_body_asks_elasticsearch_to_stop_in_milliseconds() -> None:
    body = {"query": {"match_all": {}}, "size": 21}
    assert with_timeout(body, seconds=2.5) == {**body, "timeout": "2500ms"}
    assert "timeout" not in body
