"""Polling EDGAR's current-filings feed: a published letter is found at once, an unchanged
feed costs one 304 per form, and the listing day of a feed filing is the day it was polled."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest

from crawler.cycle import Crawler
from crawler.discovery import eastern_today
from crawler.edgar.feed import parse_current_feed
from indexer.settings import Settings
from tests.fake_edgar import FakeEdgar
from tests.fake_edgar.letters import sample_letters
from tests.integration.crawler.conftest import USER_AGENT

pytestmark = pytest.mark.samples


def _settings(edgar: FakeEdgar, data_dir: Path) -> Settings:
    return Settings.model_validate(
        {
            "edgar": {
                "user_agent": USER_AGENT,
                "base_urls": dict.fromkeys(("www", "data", "efts"), edgar.base_url),
            },
            "storage": {"data_dir": str(data_dir)},
            "elasticsearch": {"url": "http://127.0.0.1:9"},
        }
    )


def _feed_requests(edgar: FakeEdgar) -> list[int | None]:
    return [r.status for r in edgar.requests if r.path == "/cgi-bin/browse-edgar"]


def test_published_letter_is_stored_and_an_unchanged_feed_costs_a_304(
    edgar: FakeEdgar, tmp_path: Path
) -> None:
    letters = [letter for letter in sample_letters(edgar.store) if letter.form == "UPLOAD"]
    first, second = letters[0], letters[1]
    settings = _settings(edgar, tmp_path)
    with Crawler(settings) as crawler:
        empty = crawler.poll_feed()
        assert (empty.found, empty.fetched) == (0, 0)
        forms = len(_feed_requests(edgar))
        assert forms >= 2  # one page per form: UPLOAD, CORRESP (and any other configured)

        edgar.publish(first)
        found = crawler.poll_feed()
        assert (found.found, found.fetched, found.failed) == (1, 1, 0)

        edgar.reset()
        unchanged = crawler.poll_feed()
        assert unchanged.fetched == 0
        assert _feed_requests(edgar) == [304] * forms

        edgar.publish(second)
        again = crawler.poll_feed()
        assert (again.found, again.new, again.already_stored, again.fetched) == (2, 1, 1, 1)

    with sqlite3.connect(tmp_path / "crawl-state.sqlite3") as db:
        rows = dict(
            db.execute(
                "SELECT accession, disseminated_on FROM filings WHERE status = 'fetched'"
            ).fetchall()
        )
    today = eastern_today().isoformat()
    assert rows == {first.accession: today, second.accession: today}


def test_feed_pages_newest_first_and_filters_by_form(edgar: FakeEdgar) -> None:
    letters = list(sample_letters(edgar.store))
    uploads = [letter for letter in letters if letter.form == "UPLOAD"][:3]
    corresp = [letter for letter in letters if letter.form == "CORRESP"][:2]
    for letter in [*uploads, *corresp]:
        edgar.publish(letter)
    headers = {"User-Agent": USER_AGENT}
    url = edgar.url("/cgi-bin/browse-edgar")
    params = {"action": "getcurrent", "type": "UPLOAD", "count": 10, "output": "atom"}
    answer = httpx.get(url, params=params, headers=headers)
    assert answer.headers["content-type"].startswith("application/atom+xml")
    refs = parse_current_feed(answer.content, source="test")
    assert [ref.accession for ref in refs] == [u.accession for u in reversed(uploads)]
    assert int(refs[0].cik) == uploads[-1].cik
    paged = httpx.get(url, params=params | {"count": 10, "start": 2}, headers=headers)
    assert [r.accession for r in parse_current_feed(paged.content, source="t")] == [
        uploads[0].accession
    ]
