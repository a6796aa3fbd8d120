"""EDGAR URL → real sample file (style.md §6.2 table).

`SampleRoutes.resolve` answers a request from the samples folder, or returns None when EDGAR
would have no object there (the app then answers with the S3 error of that host). The first
route whose pattern matches decides; the more specific filing-folder patterns come first.

Submissions are only served under a CIK they belong to (MANIFEST.tsv or the SGML header), like
EDGAR, whose wrong-CIK paths get S3's 403. `/LATEST/search-index` answers with the canned EFTS
response whose `match_phrase` terms equal the request's `q`, else with the zero-hit response.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from urllib.parse import parse_qs

from . import urls
from .messages import Reply, Request, file_reply, nightly_build, released
from .samples import SampleStore

_SEC_DOCUMENT_DAY = re.compile(rb"<SEC-DOCUMENT>\S+ : (\d{8})")
_QUERY_TERMS = re.compile(r'"([^"]+)"|(\S+)')
_NO_HITS = "json/efts/0_hits.json"

Handler = Callable[[re.Match[str], Request], Reply | None]


class SampleRoutes:
    """Maps EDGAR paths on www/data/efts.sec.gov to files of a `SampleStore`."""

    def __init__(self, store: SampleStore) -> None:
        self._store = store
        self._search = _search_table(store)
        self._routes: list[tuple[re.Pattern[str], Handler]] = [
            (urls.DAILY_INDEX, self._daily_index),
            (urls.FULL_INDEX, self._full_index),
            (urls.INDEX_LISTING, self._listing),
            (urls.FILING_INDEX_JSON, self._filing_index_json),
            (urls.SUBMISSION, self._submission),
            (urls.INDEX_PAGE, self._index_page),
            (urls.DOCUMENT, self._document),
            (urls.SUBMISSIONS_JSON, self._submissions_json),
            (urls.TICKERS, self._tickers),
            (urls.SEARCH, self._search_index),
        ]

    def resolve(self, request: Request) -> Reply | None:
        """The sample answering `request`, or None if EDGAR has no such object."""
        for pattern, handler in self._routes:
            match = pattern.fullmatch(request.path)
            if match is not None:
                return handler(match, request)
        return None

    def _serve(self, relative: str | None, last_modified: datetime | None = None) -> Reply | None:
        body = None if relative is None else self._store.read(relative)
        if relative is None or body is None:
            return None
        moment = last_modified or self._store.modified(relative)
        return file_reply(body, relative, moment)

    def _first(self, *patterns: str) -> str | None:
        return next((p for p in map(self._store.first, patterns) if p is not None), None)

    def _daily_index(self, match: re.Match[str], _: Request) -> Reply | None:
        url = urls.DailyIndexUrl.from_match(match)
        if url is None:
            return None
        stem = f"index/daily-index/{url.kind}.{url.day:%Y%m%d}"
        return self._serve(self._first(f"{stem}.idx", f"{stem}.*.idx"), nightly_build(url.day))

    def _full_index(self, match: re.Match[str], _: Request) -> Reply | None:
        url = urls.FullIndexUrl.from_match(match)
        stem = f"index/full-index/{url.kind}.{url.year}QTR{url.qtr}"
        built = nightly_build(urls.quarter_end(url.year, url.qtr))
        return self._serve(self._first(f"{stem}.idx", f"{stem}.*.idx"), built)

    def _listing(self, match: re.Match[str], _: Request) -> Reply | None:
        name = f"{match['tree']}_{match['year']}_QTR{match['qtr']}.directory-listing.htm*"
        return self._serve(self._first(f"index/listings/{name}"))

    def _filing_index_json(self, match: re.Match[str], _: Request) -> Reply | None:
        return self._serve(f"filing-index/{int(match['cik'])}/{match['folder']}/index.json")

    def _submission(self, match: re.Match[str], _: Request) -> Reply | None:
        url = urls.SubmissionUrl.from_match(match)
        if url is None:
            return None
        relative = f"submissions/{url.accession}.txt"
        body = self._store.read(relative)
        if body is None or url.cik not in self._store.submission_ciks(url.accession, body):
            return None
        day = _SEC_DOCUMENT_DAY.search(body)
        release = released(datetime.strptime(day[1].decode(), "%Y%m%d").date()) if day else None
        return self._serve(relative, release)

    def _index_page(self, match: re.Match[str], _: Request) -> Reply | None:
        accession = match["accession"]
        if match["folder"] is not None and match["folder"] != urls.folder(accession):
            return None
        owners = self._store.manifest_ciks(accession)
        if owners and int(match["cik"]) not in owners:
            return None
        return self._serve(f"filing-index/{match['name']}")

    def _document(self, match: re.Match[str], _: Request) -> Reply | None:
        return self._serve(f"documents/{int(match['cik'])}/{match['folder']}/{match['name']}")

    def _submissions_json(self, match: re.Match[str], _: Request) -> Reply | None:
        name = match["name"]
        return self._serve(self._first(f"json/{name}", f"json/lehigh/{name}"))

    def _tickers(self, match: re.Match[str], _: Request) -> Reply | None:
        return self._serve(f"json/{match['name']}")

    def _search_index(self, _: re.Match[str], request: Request) -> Reply | None:
        query = parse_qs(request.query).get("q", [""])[0]
        return self._serve(self._search.get(_terms(query), _NO_HITS))


def _terms(query: str) -> frozenset[str]:
    """Search terms of an EFTS `q`: quoted phrases and bare words, lower-cased."""
    return frozenset((quoted or word).lower() for quoted, word in _QUERY_TERMS.findall(query))


def _search_table(store: SampleStore) -> dict[frozenset[str], str]:
    """Canned EFTS responses keyed by the phrases their echoed query matched."""
    table: dict[frozenset[str], str] = {}
    for row in store.rows("efts"):
        body = store.read(row.local_path)
        if body is None:
            continue
        must = json.loads(body).get("query", {}).get("query", {}).get("bool", {}).get("must", [])
        phrases = [c["match_phrase"]["doc_text"] for c in must if "match_phrase" in c]
        table.setdefault(frozenset(p.lower() for p in phrases), row.local_path)
    return table
