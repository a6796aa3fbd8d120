"""The Atom feed is valid Atom 1.0 (RFC 4287), checked structurally with ElementTree."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

from api.watch_feed import ATOM_NS, build_atom_feed
from indexer.watchlists.models import Watchlist

A = f"{{{ATOM_NS}}}"
CREATED = datetime(2026, 1, 1, 12, tzinfo=UTC)
NOW = datetime(2026, 1, 3, tzinfo=UTC)
ALERT = {
    "alert_id": "w:0000000000-22-005802:cik:0001300514",
    "watchlist_id": "w",
    "accession": "0000000000-22-005802",
    "matched_by": "cik:0001300514",
    "found_at": "2026-01-02T08:30:00.000+00:00",
    "company": "LAS VEGAS SANDS CORP",
    "form": "UPLOAD",
    "letter_type": "comment",
    "letter_date": "2022-05-26",
    "released_on": "2022-07-01",
    "url": "https://www.sec.gov/Archives/edgar/data/1300514/000000000022005802/x-index.htm",
    "thread_id": "0000000000-22-005802",
}


def _watchlist(**fields: Any) -> Watchlist:
    values = {"id": "w", "name": "Casinos & co", "created_at": CREATED, "updated_at": CREATED}
    return Watchlist.model_validate(values | fields)


def _feed(alerts: list[dict[str, Any]], watchlist: Watchlist | None = None) -> ET.Element:
    document = build_atom_feed(
        watchlist or _watchlist(),
        alerts,
        base_url="http://corresp.example:8000/",
        self_url="http://corresp.example:8000/watchlists/w/feed.atom",
        generated_at=NOW,
    )
    assert document.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.fromstring(document)


def _is_rfc3339(text: str) -> bool:
    moment = datetime.fromisoformat(text)
    return moment.tzinfo is not None and "T" in text


def test_feed_has_the_required_elements() -> None:
    feed = _feed([ALERT, ALERT | {"alert_id": "other", "url": None}])
    assert feed.tag == f"{A}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{A}{name}")) == 1, name
    assert feed.findtext(f"{A}id").startswith("urn:uuid:")
    assert feed.findtext(f"{A}title") == "corresp watchlist: Casinos & co"
    assert feed.findtext(f"{A}updated") == "2026-01-02T08:30:00+00:00"
    assert feed.find(f"{A}author/{A}name").text == "corresp"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")}
    assert links == {
        "self": "http://corresp.example:8000/watchlists/w/feed.atom",
        "alternate": "http://corresp.example:8000/watch/w",
    }
    assert all(element.tag.startswith(A) for element in feed.iter())  # no stray namespace


def test_entries_link_the_letter_here_and_on_edgar() -> None:
    entries = _feed([ALERT]).findall(f"{A}entry")
    assert len(entries) == 1
    entry = entries[0]
    for name in ("id", "title", "updated", "summary"):
        assert len(entry.findall(f"{A}{name}")) == 1, name
    assert entry.findtext(f"{A}id").startswith("urn:uuid:")
    assert _is_rfc3339(entry.findtext(f"{A}updated"))
    assert entry.findtext(f"{A}title") == (
        "LAS VEGAS SANDS CORP: staff comment letter (UPLOAD) dated 2022-05-26"
    )
    links = {link.get("rel"): link.get("href") for link in entry.findall(f"{A}link")}
    assert links["alternate"] == "http://corresp.example:8000/letter/0000000000-22-005802"
    assert links["related"] == ALERT["url"]
    assert "Matched by cik:0001300514" in entry.findtext(f"{A}summary")
    assert entry.find(f"{A}summary").get("type") == "text"
    assert entry.find(f"{A}category").get("term") == "cik:0001300514"


def test_ids_are_stable_and_differ_after_recreation() -> None:
    first = _feed([ALERT])
    again = _feed([ALERT])
    recreated = _feed([ALERT], _watchlist(created_at=NOW))
    ids = [feed.findtext(f"{A}id") for feed in (first, again, recreated)]
    entry_ids = [feed.find(f"{A}entry").findtext(f"{A}id") for feed in (first, again, recreated)]
    assert ids[0] == ids[1] != ids[2]
    assert entry_ids[0] == entry_ids[1] != entry_ids[2]
    assert ids[0] != entry_ids[0]


def test_an_empty_feed_is_still_valid() -> None:
    feed = _feed([])
    assert feed.findall(f"{A}entry") == []
    assert feed.findtext(f"{A}updated") == CREATED.isoformat()


def test_markup_and_control_characters_leave_the_feed_valid() -> None:
    """Names come from EDGAR and from API users: markup is text, control characters go."""
    alert = ALERT | {"company": "Evil <script>alert(1)</script>\x00\x1b Inc.\ufffe"}
    feed = _feed([alert], _watchlist(name="<b>Watch</b>\x1b\x07 me"))  # parses, or fails here
    assert feed.find(f"{A}title").text == "corresp watchlist: <b>Watch</b> me"
    entry = feed.find(f"{A}entry")
    assert entry.find(f"{A}title").text.startswith("Evil <script>alert(1)</script> Inc.:")
    assert "\x1b" not in entry.find(f"{A}summary").text
