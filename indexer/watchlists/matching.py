"""Which watchlists the letters of one ingest match, and why. Pure.

Companies, SIC codes and file numbers are compared in memory with the normalized letters;
each match is named by ``matched_by``: ``cik:0001300514``, ``ticker:LVS`` (a ticker resolved
to the letter's CIK, unless that CIK is listed too), ``sic:7011``,
``file_number:001-32373``. Saved searches run in Elasticsearch against the new letters only:
the search's own query (exactly as ``/search`` builds it) AND ``accession`` in the batch, on
the letters alias (``search_requests`` pairs each saved search with its body,
``indexer.search.watchlists.build_saved_search_body``; the percolator is not needed, nor
available on every distribution).

An alert is one (watchlist, letter, match): its id joins the three, so indexing the same
letter again finds the same ids and creates nothing new.

No floods: a watchlist alerts only on letters released on or after ``Watchlist.alerts_from``
(its ``since`` day, else the day it was created), by the letter's release day (``released_on``,
else its filing date): a backfill of twenty years of letters raises no alert for them
(``in_window``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from indexer.normalize.letter import Letter
from indexer.search.watchlists import build_saved_search_body
from indexer.watchlists.models import Watchlist
from indexer.watchlists.tickers import TickerMap

__all__ = [
    "Match",
    "SearchRequest",
    "alert_id",
    "in_window",
    "match_letters",
    "search_requests",
]


@dataclass(frozen=True, slots=True)
class Match:
    """One watchlist matching one letter, for one reason."""

    watchlist_id: str
    accession: str
    matched_by: str

    @property
    def alert_id(self) -> str:
        return alert_id(self.watchlist_id, self.accession, self.matched_by)


def in_window(watchlist: Watchlist, letter: Letter) -> bool:
    """Whether ``letter`` was released late enough for ``watchlist`` to alert on it."""
    first = watchlist.alerts_from
    released = letter.released_on or letter.filing_date
    return first is None or released is None or released >= first


def alert_id(watchlist_id: str, accession: str, matched_by: str) -> str:
    """The natural key of an alert (stable across re-ingests)."""
    return f"{watchlist_id}:{accession}:{matched_by}"


def _company_keys(watchlist: Watchlist, tickers: TickerMap) -> dict[str, str]:
    """``{cik: matched_by}``: listed CIKs first, then tickers resolving to other CIKs."""
    keys = {cik: f"cik:{cik}" for cik in watchlist.ciks}
    resolved, _ = tickers.resolve(watchlist.tickers)
    for ticker, cik in resolved.items():
        keys.setdefault(cik, f"ticker:{ticker}")
    return keys


def match_letters(
    watchlists: Iterable[Watchlist], letters: Sequence[Letter], tickers: TickerMap
) -> list[Match]:
    """Every company, SIC and file-number match of ``letters`` (saved searches excluded)."""
    matches: list[Match] = []
    for watchlist in watchlists:
        companies = _company_keys(watchlist, tickers)
        sic_codes = set(watchlist.sic)
        file_numbers = set(watchlist.file_numbers)
        for letter in letters:
            reasons = [companies[cik] for cik in letter.ciks if cik in companies]
            sic = letter.extra.get("sic")
            if sic and str(sic) in sic_codes:
                reasons.append(f"sic:{sic}")
            reasons += [f"file_number:{n}" for n in letter.file_numbers if n in file_numbers]
            matches += [
                Match(watchlist.id, letter.accession, reason) for reason in dict.fromkeys(reasons)
            ]
    return matches


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """One saved search of one watchlist, limited to the new letters."""

    watchlist_id: str
    name: str
    body: dict[str, Any]

    @property
    def matched_by(self) -> str:
        return f"search:{self.name}"


def search_requests(watchlists: Iterable[Watchlist], accessions: list[str]) -> list[SearchRequest]:
    """The body of each saved search, restricted to ``accessions`` (ids only)."""
    if not accessions:
        return []
    requests = []
    for watchlist in watchlists:
        for search in watchlist.searches:
            body = build_saved_search_body(search.params, accessions)
            requests.append(SearchRequest(watchlist.id, search.name, body))
    return requests
