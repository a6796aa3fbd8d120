"""Alerts made by an ingest: one per match, none twice; saved searches; reading; Atom feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from api.watch_feed import ATOM_NS
from tests.es.watchlists.conftest import LVS, WYNN, WatchEnv, assert_error

pytestmark = pytest.mark.samples

MakeEnv = Callable[..., WatchEnv]
A = f"{{{ATOM_NS}}}"
LVS_UPLOADS_CITING_MACAO = {
    "0000000000-22-005802",
    "0000000000-22-006896",
    "0000000000-22-007711",
    "0000000000-22-009869",
}


def today_eastern() -> date:
    return datetime.now(ZoneInfo("America/New_York")).date()


def _all_alerts(env: WatchEnv, watchlist_id: str) -> list[dict]:
    return env.alerts(watchlist_id, size=100)["alerts"]


def test_an_ingest_makes_one_alert_per_match_and_a_repeat_makes_none(watch_env: MakeEnv) -> None:
    env = watch_env()
    env.create(id="lvs", name="LVS", ciks=[LVS], file_numbers=["1-32373"])
    env.create(id="other", name="Someone else", ciks=["320193"])
    report = env.ingest(LVS)
    assert report.letters == 9
    alerts = _all_alerts(env, "lvs")
    assert report.alerts == len(alerts) == 18  # each letter: its CIK and its file number
    pairs = [(alert["accession"], alert["matched_by"]) for alert in alerts]
    assert len(set(pairs)) == len(pairs)
    assert {matched for _, matched in pairs} == {"cik:0001300514", "file_number:001-32373"}
    assert _all_alerts(env, "other") == []
    letter = next(a for a in alerts if a["accession"] == "0000000000-22-005802")
    assert letter["company"] == "LAS VEGAS SANDS CORP"
    assert (letter["form"], letter["letter_type"]) == ("UPLOAD", "comment")
    assert letter["letter_date"] == "2022-05-26"
    assert letter["thread_id"] == "0000000000-22-005802"
    assert letter["url"].startswith("https://www.sec.gov/Archives/edgar/data/1300514/")
    assert letter["web_path"] == "/letter/0000000000-22-005802"
    assert letter["delivery"] is None  # no webhook

    again = env.ingest(LVS)
    assert again.alerts == 0
    assert env.alerts("lvs")["total"] == 18
    summary = env.client.get("/watchlists/lvs").json()["alerts"]
    assert summary["total"] == 18


def test_saved_searches_alert_on_matching_new_letters_only(watch_env: MakeEnv) -> None:
    env = watch_env()
    env.create(
        id="s",
        name="Searches",
        searches=[
            {"name": "macao", "params": {"q": "Macao", "form": ["UPLOAD"]}},
            {"name": "never", "params": "q=xyzzyplugh"},
        ],
    )
    report = env.ingest(LVS)
    alerts = _all_alerts(env, "s")
    assert report.alerts == len(alerts)
    assert {a["matched_by"] for a in alerts} == {"search:macao"}
    assert {a["accession"] for a in alerts} == LVS_UPLOADS_CITING_MACAO


def test_saved_searches_see_only_the_batch_being_ingested(watch_env: MakeEnv) -> None:
    env = watch_env()
    env.ingest(LVS)  # indexed before the watchlist existed
    env.create(id="late", name="Late", ciks=[WYNN], searches=[{"name": "m", "params": "q=Macao"}])
    report = env.ingest(WYNN)
    alerts = _all_alerts(env, "late")
    assert report.alerts == 1
    assert [(a["accession"], a["matched_by"]) for a in alerts] == [
        ("0000000000-18-013115", "cik:0001174922")
    ]


def test_alerts_are_paged_newest_first_and_filtered_by_time(watch_env: MakeEnv) -> None:
    env = watch_env()
    env.create(id="lvs", name="LVS", ciks=[LVS])
    before = datetime.now(UTC) - timedelta(seconds=1)
    env.ingest(LVS)
    seen: list[str] = []
    cursor = None
    while True:
        page = env.alerts("lvs", size=4, **({"cursor": cursor} if cursor else {}))
        assert page["total"] == 9
        seen += [alert["alert_id"] for alert in page["alerts"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 9
    dates = [a["letter_date"] for a in env.alerts("lvs", size=9)["alerts"]]
    assert dates == sorted(dates, reverse=True)
    assert env.alerts("lvs", since=before.isoformat())["total"] == 9
    assert env.alerts("lvs", since="2999-01-01T00:00:00")["total"] == 0
    client = env.client
    assert_error(client.get("/watchlists/lvs/alerts", params={"since": "yesterday"}), 400, "since")
    assert_error(client.get("/watchlists/lvs/alerts", params={"cursor": "zzz"}), 400, "cursor")
    assert_error(client.get("/watchlists/lvs/alerts", params={"limit": 3}), 400, "limit")
    assert_error(client.get("/watchlists/nope/alerts"), 404, "watchlist_id")


def test_the_atom_feed_is_valid_and_holds_the_alerts(watch_env: MakeEnv) -> None:
    env = watch_env()
    env.create(id="lvs", name="LVS & friends", ciks=[LVS])
    env.ingest(LVS)
    response = env.client.get("/watchlists/lvs/feed.atom", params={"size": 5})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{A}feed"
    for name in ("id", "title", "updated", "author"):
        assert len(feed.findall(f"{A}{name}")) == 1, name
    assert feed.findtext(f"{A}title") == "corresp watchlist: LVS & friends"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")}
    assert links["self"] == "http://testserver/watchlists/lvs/feed.atom?size=5"
    entries = feed.findall(f"{A}entry")
    assert len(entries) == 5
    newest = env.alerts("lvs", size=5)["alerts"]
    for entry, alert in zip(entries, newest, strict=True):
        assert entry.findtext(f"{A}id").startswith("urn:uuid:")
        datetime.fromisoformat(entry.findtext(f"{A}updated"))
        related = {link.get("rel"): link.get("href") for link in entry.findall(f"{A}link")}
        assert related["alternate"] == f"http://testserver/letter/{alert['accession']}"
        assert related["related"] == alert["url"]
        assert alert["accession"] in entry.findtext(f"{A}summary")
    assert len({entry.findtext(f"{A}id") for entry in entries}) == 5
    assert_error(env.client.get("/watchlists/nope/feed.atom"), 404)


def test_deleting_a_watchlist_deletes_its_alerts(watch_env: MakeEnv) -> None:
    env = watch_env()
    env.create(id="lvs", name="LVS", ciks=[LVS])
    env.ingest(LVS)
    deleted = env.client.delete(
        "/watchlists/lvs", headers={"X-API-Key": env.settings.api.keys[0].get_secret_value()}
    )
    assert deleted.json()["alerts_deleted"] == 9
    assert env.es.count(index=f"{env.prefix}alerts")["count"] == 0


def test_the_watch_pages_list_and_show_the_alerts(watch_env: MakeEnv) -> None:
    env = watch_env()
    env.create(id="lvs", name="Sands watch", ciks=[LVS])
    env.ingest(LVS)
    listing = env.client.get("/watch")
    assert listing.status_code == 200
    assert "Sands watch" in listing.text
    assert 'href="/watch/lvs"' in listing.text
    page = env.client.get("/watch/lvs")
    assert page.status_code == 200
    assert page.text.count('href="/letter/') == 9
    assert 'href="/watchlists/lvs/feed.atom"' in page.text
    assert env.client.get("/watch/nope").status_code == 404


def test_old_letters_raise_no_alert_unless_the_watchlist_asks_for_history(
    watch_env: MakeEnv,
) -> None:
    """A backfill indexes years of letters: a watchlist made today alerts on none of them;
    one whose ``since`` reaches back alerts on the letters released from that day."""
    env = watch_env()
    today = env.create(id="today", name="LVS from today", ciks=[LVS], since=None)
    assert today["since"] is None and today["alerts_from"] == str(today_eastern())
    env.create(id="from-2022", name="LVS from 2022", ciks=[LVS], since="2022-07-01")
    env.create(id="all", name="LVS, all of it", ciks=[LVS], since="2000-01-01")

    report = env.ingest(LVS)

    assert report.letters == 9
    assert env.alerts("today")["total"] == 0
    everything = _all_alerts(env, "all")
    assert len(everything) == 9
    recent = _all_alerts(env, "from-2022")
    assert 0 < len(recent) < 9
    assert all((a["released_on"] or a["letter_date"]) >= "2022-07-01" for a in recent)
    assert report.alerts == len(everything) + len(recent)
    shown = env.client.get("/watchlists/from-2022").json()
    assert (shown["since"], shown["alerts_from"]) == ("2022-07-01", "2022-07-01")
