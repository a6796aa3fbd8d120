"""Matching letters against watchlists in memory, and the saved searches' request bodies."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import Any

from indexer.documents import letter_from_document
from indexer.normalize.letter import Letter
from indexer.watchlists.matching import (
    Match,
    alert_id,
    in_window,
    match_letters,
    search_requests,
)
from indexer.watchlists.models import Watchlist
from indexer.watchlists.tickers import TickerMap

LVS = "0001300514"
WYNN = "0001174922"
TICKERS = TickerMap(MappingProxyType({"LVS": LVS, "WYNN": WYNN}), available=True)


def _letter(accession: str, **fields: Any) -> Letter:
    document = {"accession": accession, "form": "UPLOAD", "sender": "sec"}
    return letter_from_document(document | {"letter_type": "comment"} | fields)


def _watchlist(**fields: Any) -> Watchlist:
    return Watchlist.model_validate({"id": "w", "name": "W"} | fields)


LETTERS = [
    _letter("0000000000-22-005802", ciks=[LVS], sic="7011", file_numbers=["001-32373"]),
    _letter("0000000000-22-000001", ciks=[WYNN], sic="7011", file_numbers=["000-50028"]),
    _letter("0000000000-22-000002", ciks=["0000320193"], sic="3571"),
]


def test_each_reason_is_one_match() -> None:
    watchlist = _watchlist(ciks=[LVS], sic=["7011"], file_numbers=["1-32373"])
    matches = match_letters([watchlist], LETTERS, TICKERS)
    assert matches == [
        Match("w", "0000000000-22-005802", f"cik:{LVS}"),
        Match("w", "0000000000-22-005802", "sic:7011"),
        Match("w", "0000000000-22-005802", "file_number:001-32373"),
        Match("w", "0000000000-22-000001", "sic:7011"),
    ]
    assert matches[0].alert_id == f"w:0000000000-22-005802:cik:{LVS}"


def test_tickers_resolve_through_the_map_and_a_listed_cik_wins() -> None:
    watchlist = _watchlist(ciks=[LVS], tickers=["LVS", "WYNN", "NOPE"])
    matches = match_letters([watchlist], LETTERS, TICKERS)
    assert [m.matched_by for m in matches] == [f"cik:{LVS}", "ticker:WYNN"]
    assert match_letters([watchlist], LETTERS, TickerMap()) == [matches[0]]


def test_several_watchlists_match_independently() -> None:
    first = _watchlist(id="a", ciks=[WYNN])
    second = _watchlist(id="b", sic=["3571"])
    matches = match_letters([first, second], LETTERS, TICKERS)
    assert [(m.watchlist_id, m.accession) for m in matches] == [
        ("a", "0000000000-22-000001"),
        ("b", "0000000000-22-000002"),
    ]


def test_saved_searches_are_limited_to_the_new_letters() -> None:
    watchlist = _watchlist(
        searches=[{"name": "macao", "params": {"q": "Macao", "form": "UPLOAD"}}, {"name": "all"}]
    )
    accessions = [letter.accession for letter in LETTERS]
    requests = search_requests([watchlist], accessions)
    assert [r.matched_by for r in requests] == ["search:macao", "search:all"]
    body = requests[0].body
    assert body["size"] == 3
    assert body["_source"] is False
    filters = body["query"]["bool"]["filter"]
    assert {"terms": {"form": ["UPLOAD"]}} in filters
    assert filters[-1] == {"terms": {"accession": accessions}}
    assert requests[1].body["query"]["bool"]["must"] == [{"match_all": {}}]
    assert search_requests([watchlist], []) == []


def test_alert_ids_are_stable() -> None:
    made = alert_id("w", "0000000000-22-005802", "search:x y")
    assert made == "w:0000000000-22-005802:search:x y"


def test_a_watchlist_alerts_from_its_since_day_else_its_eastern_creation_day() -> None:
    created = datetime(2024, 3, 1, 3, 0, tzinfo=UTC)  # still Feb 29 in New York
    assert _watchlist(created_at=created).alerts_from == date(2024, 2, 29)
    assert _watchlist(created_at=created, since="2010-01-01").alerts_from == date(2010, 1, 1)
    assert _watchlist().alerts_from is None  # not stored yet: no window


def test_letters_released_before_the_window_raise_nothing() -> None:
    watchlist = _watchlist(ciks=[LVS], created_at=datetime(2024, 3, 1, 15, tzinfo=UTC))
    old = _letter("0000000000-22-000003", released_on="2022-06-01", filing_date="2022-05-26")
    new = _letter("0000000000-24-000004", released_on="2024-03-01", filing_date="2024-01-05")
    undated_old = _letter("0000000000-22-000005", filing_date="2022-05-26")
    assert [in_window(watchlist, letter) for letter in (old, new, undated_old)] == [
        False,
        True,  # written in January, released on the creation day: new to the user
        False,  # no release day: its filing date decides
    ]
    history = watchlist.model_copy(update={"since": date(2022, 1, 1)})
    assert all(in_window(history, letter) for letter in (old, new, undated_old))
