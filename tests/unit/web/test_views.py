"""Timelines, rounds, years, excerpts, facets and chips from API answers."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from api.web.labels import humanize, letter_type_label, long_date, role_label, topic_labels
from api.web.links import SearchState
from api.web.pages import letter_context
from api.web.statistics import read_durations
from api.web.views import (
    build_chips,
    build_facets,
    build_rounds,
    build_timeline,
    days_between,
    fill_years,
    split_excerpt,
)
from indexer.search.stats import DAY_RANGES

LETTERS = [
    {"accession": "a", "date": "2022-05-26", "form": "UPLOAD", "role": "comment"},
    {"accession": "b", "date": "2022-06-03", "form": "CORRESP", "role": "response"},
    {"accession": "c", "date": None, "form": "UPLOAD", "role": "follow_up"},
    {"accession": "d", "date": "2022-11-18", "form": "UPLOAD", "role": "closing"},
]


def test_the_timeline_labels_steps_and_counts_days_between_them() -> None:
    steps = build_timeline(LETTERS)
    assert [s.label for s in steps] == [
        "Staff comments",
        "Company response",
        "Follow-up comments",
        "Review complete",
    ]
    assert [s.side for s in steps] == ["staff", "company", "staff", "staff"]
    assert [s.days_since_previous for s in steps] == [None, 8, None, 168]


def test_days_between_dates() -> None:
    assert days_between("2022-05-26", "2022-11-18") == 176
    assert days_between(None, "2022-11-18") is None
    assert days_between("garbage", "2022-11-18") is None


def test_rounds_are_numbered_with_the_day_they_were_answered() -> None:
    thread = {
        "comment_rounds": [
            {
                "accession": "a",
                "letter_date": "2022-05-26",
                "comments": [
                    {"number": 1, "response": "yes", "response_date": "2022-06-03"},
                    {"number": 2, "response": None, "response_date": None},
                ],
            },
            {"accession": "c", "letter_date": "2022-06-28", "comments": []},
        ]
    }
    rounds = build_rounds(thread)
    assert [(r["number"], r["answered_on"], r["days_to_answer"]) for r in rounds] == [
        (1, "2022-06-03", 8),
        (2, None, None),
    ]


def test_years_without_letters_are_filled_in() -> None:
    counts = [{"year": 2016, "count": 3}, {"year": 2019, "count": 1}]
    assert fill_years(counts) == [("2016", 3), ("2017", 0), ("2018", 0), ("2019", 1)]
    assert fill_years([]) == []


def test_excerpts_end_at_a_word() -> None:
    assert split_excerpt("short", 10) == ("short", "")
    assert split_excerpt(None, 10) == ("", "")
    head, rest = split_excerpt("one two three four five", 12)
    assert (head, rest) == ("one two", "three four five")


def _label(code: str) -> str:
    return {"income_taxes": "Income taxes"}.get(code, code)


def test_facets_link_to_narrower_searches() -> None:
    state = SearchState.from_query({"q": ["tax"], "topic": ["income_taxes"]})
    facets = build_facets(
        state,
        {
            "form": [{"value": "UPLOAD", "count": 3}],
            "letter_type": [{"value": "review_complete", "count": 2}],
            "year": [{"value": "2022", "count": 5}],
            "topics": [
                {"value": "income_taxes", "count": 5},
                {"value": "segment_reporting", "count": 1},
            ],
            "office": [],
        },
        topic_label=_label,
    )
    by_name = {facet.name: facet for facet in facets}
    assert "office" not in by_name
    form = by_name["form"].links[0]
    assert parse_qs(urlsplit(form.href).query)["form"] == ["UPLOAD"]
    assert by_name["letter_type"].links[0].label == "Review complete"
    year = parse_qs(urlsplit(by_name["year"].links[0].href).query)
    assert (year["date_from"], year["date_to"]) == (["2022-01-01"], ["2022-12-31"])
    active, other = by_name["topics"].links
    assert (active.label, active.active) == ("Income taxes", True)
    assert "topic" not in parse_qs(urlsplit(active.href).query)
    other_query = parse_qs(urlsplit(other.href).query)
    assert other_query["q"] == ["tax topic:segment_reporting"]
    assert other_query["topic"] == ["income_taxes"]


def test_an_active_year_links_back_to_all_years() -> None:
    state = SearchState.from_query({"date_from": ["2022-01-01"], "date_to": ["2022-12-31"]})
    facets = build_facets(state, {"year": [{"value": "2022", "count": 5}]}, topic_label=_label)
    link = facets[0].links[0]
    assert link.active
    assert link.href == "/"


def test_chips_name_each_filter_and_remove_it() -> None:
    state = SearchState.from_query(
        {"q": ["x"], "topic": ["income_taxes"], "date_from": ["2020-02-01"], "cik": ["320193"]}
    )
    chips = build_chips(state, topic_label=_label)
    assert [(c.label, c.value) for c in chips] == [
        ("CIK", "320193"),
        ("Topic", "Income taxes"),
        ("Dated from", "Feb. 1, 2020"),
    ]
    assert "cik" not in parse_qs(urlsplit(chips[0].remove).query)
    with_q = build_chips(state, topic_label=_label, include_q=True)
    assert (with_q[0].label, with_q[0].value) == ("Search", "x")


def test_labels_for_codes_and_dates() -> None:
    assert humanize("review_complete") == "Review complete"
    assert humanize(None) == ""
    assert letter_type_label("comment") == "Staff comment letter"
    assert letter_type_label("memo") == "Memo"
    assert role_label("follow_up") == "Follow-up comments"
    assert long_date("2022-09-05") == "Sept. 5, 2022"
    assert long_date("2022-05-26T10:00:00") == "May 26, 2022"
    assert long_date(None) == ""
    assert long_date("soon") == "soon"
    labels = topic_labels("")
    assert labels["non_gaap_measures"] == "Non-GAAP measures"
    assert topic_labels("/no/such/taxonomy.yaml") == {}


def test_duration_figures_are_read_from_the_threads_answer() -> None:
    """The request's extra aggregations: ``tests/unit/indexer/search/test_stats.py``."""

    def year(key: str, reviews: int, median: float | None) -> dict:
        values = {"50.0": median}
        return {"key": 0, "key_as_string": key, "doc_count": reviews, "median": {"values": values}}

    spread = [{"key": "≤ 30", "doc_count": 4}, {"key": "> 365", "doc_count": 1}]
    answer = {
        "aggregations": {
            "spread": {"buckets": spread},
            "per_year": {"buckets": [year("2021", 3, 28.5), year("2022", 0, None)]},
        }
    }
    durations = read_durations(answer)
    assert durations["spread"][0] == ("≤ 30", 4)
    assert [label for label, _ in durations["spread"]] == [r[0] for r in DAY_RANGES]
    assert durations["per_year"] == [
        {"year": "2021", "reviews": 3, "median": 28.5},
        {"year": "2022", "reviews": 0, "median": None},
    ]


def test_the_letter_page_says_how_a_scanned_text_was_read() -> None:
    letter = {
        "comments": [],
        "text": "We have reviewed your filing.",
        "letter_type": "comment",
        "company": "Acme Corp.",
        "letter_date": "2009-05-11",
        "ciks": ["0000855654"],
        "thread_id": None,
        "warnings": [
            "OCR confidence 61%: the text may contain misread words",
            "page 2 was scanned turned by 180 degrees",
            "no letter date found",
        ],
    }
    context = letter_context(letter, terms=[], q="")
    assert context["reading_warnings"] == [
        "OCR confidence 61%: the text may contain misread words",
        "page 2 was scanned turned by 180 degrees",
    ]
