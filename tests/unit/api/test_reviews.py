"""Thread views, company views and the statistics answer, from Elasticsearch answers. Pure.

The request bodies they answer are tested in ``tests/unit/indexer/search/``.
"""

from __future__ import annotations

from api.reviews import build_company_view, build_thread_view
from api.stats import build_stats

THREAD = {
    "thread_id": "A",
    "status": "closed",
    "rounds": 2,
    "letters": [
        {"accession": "A", "date": "2022-01-01", "form": "UPLOAD", "role": "comment"},
        {"accession": "R1", "date": "2022-01-10", "form": "CORRESP", "role": "response"},
        {"accession": "B", "date": "2022-02-01", "form": "UPLOAD", "role": "follow_up"},
        {"accession": "C", "date": "2022-03-01", "form": "UPLOAD", "role": "closing"},
    ],
}


def _comment(accession: str, number: int, answer: str | None = None) -> dict:
    return {
        "comment_id": f"{accession}-{number}",
        "accession": accession,
        "number": number,
        "text": f"comment {number}",
        "response": answer,
        "response_accession": "R1" if answer else None,
    }


def test_thread_view_puts_rounds_in_letter_order_and_comments_in_number_order() -> None:
    comments = [_comment("B", 1), _comment("A", 10, "ten"), _comment("A", 2, "two")]
    letters = [{"accession": "A", "url": "u/A"}, {"accession": "B", "url": "u/B"}]
    view = build_thread_view(THREAD, letters, comments)
    assert [m["accession"] for m in view["letters"]] == ["A", "R1", "B", "C"]
    assert view["letters"][0]["url"] == "u/A"
    assert view["letters"][1]["url"] is None
    rounds = view["comment_rounds"]
    assert [(r["accession"], r["letter_date"]) for r in rounds] == [
        ("A", "2022-01-01"),
        ("B", "2022-02-01"),
    ]
    assert [(c["number"], c["response"]) for c in rounds[0]["comments"]] == [
        (2, "two"),
        (10, "ten"),
    ]
    assert (view["status"], view["rounds"]) == ("closed", 2)


def test_company_view_takes_each_detail_from_the_newest_letter_naming_it() -> None:
    letters = {
        "hits": {
            "total": {"value": 3},
            "hits": [
                {"_source": {"company": None, "ciks": ["0000000001"], "sic": None}},
                {"_source": {"company": "New Name", "ciks": ["0000000001"], "sic": "7011"}},
                {"_source": {"company": "Old Name", "state": "NV"}},
            ],
        },
        "aggregations": {"years": {"buckets": [{"key": 2021, "doc_count": 1}]}},
    }
    view = build_company_view("0000000001", letters, [{"thread_id": "A", "status": "open"}])
    assert (view["name"], view["sic"], view["state"]) == ("New Name", "7011", "NV")
    assert view["letter_count"] == 3
    assert view["letters_per_year"] == [{"year": 2021, "count": 1}]
    assert view["reviews"][0]["thread_id"] == "A"
    assert view["reviews"][0]["rounds"] is None


def test_stats_are_read_from_the_three_answers() -> None:
    letters = {
        "hits": {"total": {"value": 5}},
        "aggregations": {
            "years": {"buckets": [{"key": 2022, "doc_count": 5, "reviews": {"value": 2}}]},
            "reviews": {"value": 2},
            "topics": {"buckets": [{"key": "non_gaap_measures", "doc_count": 4}]},
            "review_ids": {"buckets": [{"key": "A"}], "sum_other_doc_count": 3},
        },
    }
    threads = {
        "hits": {"total": {"value": 2}},
        "aggregations": {"mean": {"value": 30.25}, "median": {"values": {"50.0": 28.0}}},
    }
    answers = {
        "hits": {"total": {"value": 4}},
        "aggregations": {
            "outcomes": {"buckets": [{"key": "will_revise", "doc_count": 3}]},
            "by_topic": {
                "buckets": [
                    {"key": "non_gaap_measures", "doc_count": 4, "no_change": {"doc_count": 1}}
                ]
            },
            "by_year": {"buckets": [{"key": 2022, "doc_count": 0, "no_change": {"doc_count": 0}}]},
        },
    }
    stats = build_stats(letters, threads, answers, ids_truncated=True)
    assert stats["answers"] == {
        "answered": 4,
        "outcomes": [{"value": "will_revise", "count": 3}],
        "no_change_by_topic": [
            {"topic": "non_gaap_measures", "answered": 4, "no_change": 1, "share": 0.25}
        ],
        "no_change_by_year": [{"year": 2022, "answered": 0, "no_change": 0, "share": None}],
    }
    assert stats["letters"] == 5
    assert stats["years"] == [{"year": 2022, "letters": 5, "reviews": 2}]
    assert stats["days_to_close"] == {"closed_reviews": 2, "mean": 30.2, "median": 28.0}
    assert stats["top_topics"] == [{"value": "non_gaap_measures", "count": 4}]
    assert stats["warnings"]
