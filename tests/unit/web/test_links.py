"""The search page's URL state and the links that change it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import ValidationError

from api.web.links import MAX_BACK_PAGES, SearchState, build_url


def _state(query: str) -> SearchState:
    return SearchState.from_query(parse_qs(query, keep_blank_values=True))


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def test_values_are_validated_and_canonical() -> None:
    state = _state("q=ebitda&cik=1300514&file_number=1-32373&form=upload&topic=Non-GAAP+measures")
    assert state.filter_pairs == [
        ("q", "ebitda"),
        ("form", "UPLOAD"),
        ("cik", "0001300514"),
        ("file_number", "001-32373"),
        ("topic", "non_gaap_measures"),
    ]
    assert state.url() == (
        "/?q=ebitda&form=UPLOAD&cik=0001300514&file_number=001-32373&topic=non_gaap_measures"
    )


def test_unknown_and_empty_parameters_are_ignored() -> None:
    state = _state("q=&form=&utm_source=x&company=+&prev=abc")
    assert state.url() == "/"
    assert state.prev == ()  # no cursor: the first page


@pytest.mark.parametrize("query", ["date_from=2024-13-01", "form=10-K", "sort=score", "size=0"])
def test_malformed_values_raise(query: str) -> None:
    with pytest.raises(ValidationError):
        _state(query)


def test_adding_and_removing_filters_go_back_to_the_first_page() -> None:
    state = _state("q=x&form=UPLOAD&sort=date&cursor=c2&prev=&prev=c1")
    added = state.adding("topic", "income_taxes")
    assert _params(added) == {
        "q": ["x"],
        "form": ["UPLOAD"],
        "topic": ["income_taxes"],
        "sort": ["date"],
    }
    assert _params(state.removing("form", "UPLOAD")) == {"q": ["x"], "sort": ["date"]}
    assert state.has("form", "UPLOAD")
    assert not state.has("form", "CORRESP")
    assert _params(state.replacing({"date_from": "2020-01-01"}))["date_from"] == ["2020-01-01"]
    assert _params(state.cleared()) == {"q": ["x"], "sort": ["date"]}
    assert _params(state.adding_term("topic:x"))["q"] == ["x topic:x"]
    assert "form" not in _params(state.without("form", "topic"))


def test_modes_keep_the_search_and_drop_what_does_not_apply() -> None:
    comments = _state("q=x&mode=comments&has_response=true&cursor=c1&prev=")
    assert comments.mode == "comments"
    assert _params(comments.in_mode("letters")) == {"q": ["x"]}
    letters = _state("q=x&has_response=true")
    assert letters.mode == "letters"
    assert "has_response" not in _params(letters.url())
    assert _params(letters.in_mode("comments")) == {"q": ["x"], "mode": ["comments"]}


def test_paging_forward_and_back_through_the_url() -> None:
    first = _state("q=x")
    assert first.page_number == 1
    assert first.previous_page() is None
    second_url = first.next_page("c1")
    assert _params(second_url) == {"q": ["x"], "cursor": ["c1"], "prev": [""]}
    second = SearchState.from_query(_params(second_url))
    assert second.page_number == 2
    assert second.previous_page() == "/?q=x"
    third = SearchState.from_query(_params(second.next_page("c2")))
    assert third.page_number == 3
    assert _params(third.previous_page() or "") == {"q": ["x"], "cursor": ["c1"], "prev": [""]}
    assert third.first_page() == "/?q=x"


def test_the_back_stack_is_bounded() -> None:
    query = {"cursor": ["c"], "prev": [str(n) for n in range(100)]}
    state = SearchState.from_query(query)
    assert len(state.prev) == MAX_BACK_PAGES
    assert len(_params(state.next_page("d"))["prev"]) == MAX_BACK_PAGES


def test_export_and_statistics_links_carry_the_filters() -> None:
    state = _state("q=x&form=UPLOAD&sort=date&size=50&cursor=c&prev=")
    assert state.export_url() == "/export?q=x&form=UPLOAD&sort=date"
    assert state.statistics_url() == "/statistics?q=x&form=UPLOAD"
    comments = _state("q=x&mode=comments&has_response=false")
    assert comments.export_url() == "/export?q=x&has_response=false&kind=comments"
    assert comments.statistics_url() == "/statistics?q=x"


def test_links_of_another_page_keep_its_path() -> None:
    state = SearchState.from_query({"topic": ["income_taxes"]}, path="/statistics")
    assert state.removing("topic") == "/statistics"
    assert build_url("/x", []) == "/x"
