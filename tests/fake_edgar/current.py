"""EDGAR's current-filings Atom feed (`/cgi-bin/browse-edgar?action=getcurrent&output=atom`).

The feed lists what `EdgarApp.publish` released, newest first, in the entry layout of
`edgar.md` §3.6: `title` "FORM - NAME (CIK) (Filer)", `summary` "Filed: YYYY-MM-DD AccNo: …",
`updated` the moment of publication in US Eastern time, a link to the filing's index page.
`type` selects entries whose form starts with it (as EDGAR's form filter does), `count` and
`start` page them. Nothing published: a valid feed with no entries. Each answer carries an
ETag and a `Last-Modified` of the newest entry, so a poller's conditional request costs a 304
until something new is published.

A published filing is served as before (a sample letter's folder, a synthetic filing): the
feed is only how a poller learns of it the moment it is released, which is what freshness
measurements need (`bench/freshness_bench.py`, `tests/es/test_freshness.py`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qs
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from . import urls
from .messages import Reply, Request, file_reply
from .synthetic import Listed

FEED_PATH = "/cgi-bin/browse-edgar"
_EASTERN = ZoneInfo("America/New_York")
_STARTED = datetime(2000, 1, 1, tzinfo=UTC)
"""Last-Modified of a feed page listing nothing yet."""


@dataclass(frozen=True)
class Published:
    """One feed entry: the filing and when it was published."""

    filing: Listed
    at: datetime


class CurrentFeed:
    """The filings published so far, served as EDGAR's current-filings feed."""

    def __init__(self) -> None:
        self._entries: list[Published] = []
        self._lock = threading.Lock()

    def publish(self, filing: Listed, at: datetime | None = None) -> Published:
        """List ``filing`` at the top of the feed from now on (``at``: its publication time)."""
        entry = Published(filing, at or datetime.now(UTC))
        with self._lock:
            self._entries.append(entry)
        return entry

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    @property
    def published(self) -> list[Published]:
        with self._lock:
            return list(self._entries)

    def resolve(self, request: Request) -> Reply | None:
        """The feed page a getcurrent request asks for; None for any other request."""
        if request.path != FEED_PATH:
            return None
        params = {key: values[-1] for key, values in parse_qs(request.query).items()}
        if params.get("action") != "getcurrent":
            return None
        form = params.get("type", "").strip().upper()
        count = _number(params.get("count"), 40)
        start = _number(params.get("start"), 0)
        with self._lock:
            newest_first = list(reversed(self._entries))
        chosen = [e for e in newest_first if e.filing.form.upper().startswith(form)]
        page = chosen[start : start + count]
        modified = chosen[0].at if chosen else _STARTED
        return file_reply(_render(page, modified), "current.xml", modified).with_headers(
            {"Content-Type": "application/atom+xml"}
        )


def _number(text: str | None, default: int) -> int:
    try:
        return max(0, int(text)) if text is not None else default
    except ValueError:
        return default


def _render(entries: list[Published], modified: datetime) -> bytes:
    body = "".join(_entry(e) for e in entries)
    return (
        '<?xml version="1.0" encoding="ISO-8859-1" ?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        "<title>Latest Filings - fake EDGAR</title>\n"
        f"<updated>{modified.astimezone(_EASTERN).isoformat(timespec='seconds')}</updated>\n"
        f"{body}</feed>\n"
    ).encode("latin-1", "xmlcharrefreplace")


def _entry(entry: Published) -> str:
    filing = entry.filing
    folder = urls.folder(filing.accession)
    link = f"https://www.sec.gov/Archives/edgar/data/{filing.cik}/{folder}/{filing.accession}-index.htm"
    title = f"{filing.form} - {filing.company} ({filing.cik:010d}) (Filer)"
    summary = f"<b>Filed:</b> {filing.filed} <b>AccNo:</b> {filing.accession} <b>Size:</b> 1 KB"
    updated = entry.at.astimezone(_EASTERN).isoformat(timespec="seconds")
    return (
        "<entry>\n"
        f"<title>{escape(title)}</title>\n"
        f'<link rel="alternate" type="text/html" href={quoteattr(link)}/>\n'
        f'<summary type="html">{escape(summary)}</summary>\n'
        f"<updated>{updated}</updated>\n"
        '<category scheme="https://www.sec.gov/" label="form type" '
        f"term={quoteattr(filing.form)}/>\n"
        f"<id>urn:tag:sec.gov,2008:accession-number={filing.accession}</id>\n"
        "</entry>\n"
    )
