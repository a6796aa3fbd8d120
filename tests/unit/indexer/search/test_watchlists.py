"""Bodies of the watchlist, alert and saved-search requests, and the alert summary read back."""

from __future__ import annotations

from datetime import UTC, datetime

from indexer.search.paging import PageRequest
from indexer.search.params import LetterFilters
from indexer.search.watchlists import (
    build_alert_ids_page,
    build_alert_page_body,
    build_alert_summary_body,
    build_delivery_alerts_body,
    build_due_deliveries_body,
    build_parked_deliveries_body,
    build_saved_search_body,
    build_watchlists_body,
    read_alert_summary,
    read_delivery_ids,
)
from indexer.watchlists.alert_store import ALERT_ORDER

OF_WATCHLIST = {"term": {"watchlist_id": "casinos"}}


def test_watchlists_are_read_by_id_in_one_page() -> None:
    body = build_watchlists_body(50)
    assert body["query"] == {"match_all": {}}
    assert (body["sort"], body["size"]) == ([{"id": "asc"}], 50)


def test_an_alert_page_filters_by_watchlist_and_time_and_continues_after_a_cursor() -> None:
    first = build_alert_page_body("casinos", PageRequest(ALERT_ORDER, 20))
    assert first["query"] == {"bool": {"filter": [OF_WATCHLIST]}}
    assert (first["size"], first["track_total_hits"]) == (21, True)
    assert first["sort"] == ALERT_ORDER.clauses()
    assert "search_after" not in first
    since = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    later = build_alert_page_body("casinos", PageRequest(ALERT_ORDER, 20, [1, 2, "x"]), since=since)
    assert later["query"]["bool"]["filter"] == [
        OF_WATCHLIST,
        {"range": {"found_at": {"gt": "2024-05-01T12:00:00+00:00"}}},
    ]
    assert later["search_after"] == [1, 2, "x"]


def test_the_alert_summary_is_read_from_its_aggregations() -> None:
    body = build_alert_summary_body("casinos")
    assert (body["query"], body["size"]) == (OF_WATCHLIST, 0)
    assert set(body["aggs"]) == {"newest", "delivery", "latest_delivery", "email", "latest_email"}
    delivery = {"status": "delivered", "last_attempt_at": "2024-05-01T12:00:00Z"}
    answer = {
        "hits": {"total": {"value": 3}},
        "aggregations": {
            "newest": {"value": 1.7e12, "value_as_string": "2024-05-01T12:00:00.000Z"},
            "delivery": {"buckets": [{"key": "delivered", "doc_count": 2}]},
            "latest_delivery": {"hit": {"hits": {"hits": [{"_source": {"delivery": delivery}}]}}},
            "email": {"buckets": [{"key": "pending", "doc_count": 3}]},
            "latest_email": {"hit": {"hits": {"hits": []}}},
        },
    }
    assert read_alert_summary(answer) == {
        "total": 3,
        "newest_found_at": "2024-05-01T12:00:00.000Z",
        "deliveries": {"delivered": 2},
        "last_delivery": delivery,
        "emails": {"pending": 3},
        "last_email": None,
    }
    empty = read_alert_summary({"hits": {"total": {"value": 0}}, "aggregations": {}})
    assert empty == {
        "total": 0,
        "newest_found_at": None,
        "deliveries": {},
        "last_delivery": None,
        "emails": {},
        "last_email": None,
    }


def test_alert_ids_are_walked_without_their_source() -> None:
    page = build_alert_ids_page("casinos", size=100, after=["casinos:a:b"])
    assert page["query"] == OF_WATCHLIST
    assert (page["sort"], page["source"]) == ([{"alert_id": "asc"}], False)
    assert page["search_after"] == ["casinos:a:b"]


def test_a_saved_search_is_limited_to_the_new_letters() -> None:
    accessions = ["0000000000-22-000001", "0000000000-22-000002"]
    body = build_saved_search_body(LetterFilters(q="Macao", form=["UPLOAD"]), accessions)
    assert (body["size"], body["_source"], body["track_total_hits"]) == (2, False, False)
    filters = body["query"]["bool"]["filter"]
    assert filters == [{"terms": {"form": ["UPLOAD"]}}, {"terms": {"accession": accessions}}]
    everything = build_saved_search_body(LetterFilters(), accessions)["query"]["bool"]
    assert everything == {
        "must": [{"match_all": {}}],
        "filter": [{"terms": {"accession": accessions}}],
    }


def test_due_deliveries_are_pending_or_retrying_and_due_longest_waiting_first() -> None:
    now = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    body = build_due_deliveries_body(now, size=50)
    assert body["query"]["bool"]["filter"] == [
        {"terms": {"delivery.status": ["pending", "retrying"]}},
        {"range": {"delivery.next_attempt_at": {"lte": "2026-12-07T09:30:00+00:00"}}},
    ]
    terms = body["aggs"]["deliveries"]["terms"]
    assert terms == {
        "field": "delivery.delivery_id",
        "size": 50,
        "order": {"waiting_since": "asc"},
    }
    assert body["size"] == 0


def test_parked_deliveries_of_one_watchlist_or_all() -> None:
    every = build_parked_deliveries_body(None, size=5)["query"]["bool"]["filter"]
    assert every == [{"term": {"delivery.status": "parked"}}]
    one = build_parked_deliveries_body("casinos", size=5)["query"]["bool"]["filter"]
    assert one == [{"term": {"delivery.status": "parked"}}, OF_WATCHLIST]


def test_a_delivery_is_read_whole_by_its_ids() -> None:
    answer = {"aggregations": {"deliveries": {"buckets": [{"key": "d1"}, {"key": "d2"}]}}}
    ids = read_delivery_ids(answer)
    assert ids == ["d1", "d2"]
    assert read_delivery_ids({}) == []
    body = build_delivery_alerts_body(ids, size=10_000)
    assert body["query"] == {"terms": {"delivery.delivery_id": ["d1", "d2"]}}
    assert (body["size"], body["sort"]) == (10_000, [{"alert_id": "asc"}])
