"""Reviewed filings resolved to their EDGAR accession from the company's filing list (pure).

A Re: block names a filing by form and period ("Form 10-K for the Fiscal Year Ended
December 31, 2023") and often its filing date ("Filed February 3, 2024"). The company's
submissions JSON lists every filing with its form, filing date and ``reportDate`` (the
period of a report, the event date of an 8-K). A reviewed filing resolves when exactly one
listed filing fits:

- the same form family (``filings.form_family``), an amendment preferred only when the Re:
  block names one (``10-K/A``), the original otherwise;
- with a filing date: filed that day, else the nearest within three days (EDGAR dates a
  filing accepted after 5:30 pm on the next business day, which the company may not
  print); with a period too, the period must agree (within 10 days);
- without a filing date: the period (within 10 days);
- a registration statement (S-1, S-4, Form 10 …) by its own file number, which the letter
  cites: the first filing of that form under that number (an amendment needs its date).

Anything else (no candidates, several equally good ones, a draft registration statement,
which EDGAR never lists) leaves the accession unknown, never an error.

``amendments_after`` lists the amendments (``/A``) of the reviewed forms that the company
filed in the year after a letter: the threader's evidence that a review led to an amended
filing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from indexer.incoming import ListedFiling
from indexer.normalize.filings import form_family, is_periodic
from indexer.normalize.letter import ReviewedFiling

__all__ = ["AMENDMENT_WINDOW", "amendments_after", "resolve_filings"]

AMENDMENT_WINDOW = timedelta(days=365)
"""How long after a letter an amendment of the reviewed form is kept as its possible result."""

_FILED_SLACK = timedelta(days=3)
_PERIOD_SLACK = timedelta(days=10)
_EVENT_SLACK = timedelta(days=2)
"""An 8-K's event date is exact (give or take a misprinted day)."""
_NEVER_LISTED = frozenset({"DRS", "DRS/A"})
_REGISTRATIONS = frozenset(
    {"S-1", "S-3", "S-4", "S-11", "F-1", "F-3", "F-4", "FORM 10", "1-A", "S-8", "N-2"}
)


def resolve_filings(
    filings: Sequence[ReviewedFiling],
    listed: Sequence[ListedFiling],
    *,
    file_numbers: Sequence[str] = (),
) -> tuple[ReviewedFiling, ...]:
    """``filings`` with the accession of each one that resolves (see the module docstring);
    ``file_numbers`` are the letter's, which name a registration statement exactly."""
    if not listed:
        return tuple(filings)
    return tuple(_resolved(filing, listed, frozenset(file_numbers)) for filing in filings)


def amendments_after(
    reviewed: Sequence[ReviewedFiling], listed: Sequence[ListedFiling], since: date | None
) -> tuple[ReviewedFiling, ...]:
    """The company's amendments of the ``reviewed`` forms filed within ``AMENDMENT_WINDOW``
    from ``since`` (a letter's date), oldest first."""
    families = {form_family(f.form) for f in reviewed if f.form}
    if since is None or not families:
        return ()
    found = [
        ReviewedFiling(item.form, item.period, item.filed_on, item.accession)
        for item in listed
        if item.form.upper().endswith("/A")
        and form_family(item.form) in families
        and since <= item.filed_on <= since + AMENDMENT_WINDOW
    ]
    return tuple(sorted(found, key=lambda f: (f.filed_on or since, f.accession or "")))


def _resolved(
    filing: ReviewedFiling, listed: Sequence[ListedFiling], numbers: frozenset[str]
) -> ReviewedFiling:
    if filing.accession or not filing.form or filing.form.upper() in _NEVER_LISTED:
        return filing
    family = form_family(filing.form)
    candidates = [item for item in listed if form_family(item.form) == family]
    nearest: timedelta | None = None
    registered = [item for item in candidates if item.file_number and item.file_number in numbers]
    if family in _REGISTRATIONS and registered:
        candidates = registered  # a registration statement's own 333- number names it
        if filing.filed_on is None:
            amendment = filing.form.upper().endswith("/A")
            chosen = [i for i in candidates if i.form.upper().endswith("/A") == amendment]
            first = min(chosen or candidates, key=lambda item: (item.filed_on, item.accession))
            return replace(filing, accession=first.accession) if not amendment else filing
    elif filing.filed_on is None and filing.period_end is None:
        return filing
    if filing.filed_on is not None:
        near = [item for item in candidates if abs(item.filed_on - filing.filed_on) <= _FILED_SLACK]
        nearest = min((abs(item.filed_on - filing.filed_on) for item in near), default=None)
        candidates = [item for item in near if abs(item.filed_on - filing.filed_on) == nearest]
    if filing.period_end is not None:
        slack = _PERIOD_SLACK if is_periodic(family) else _EVENT_SLACK
        by_period = [
            item
            for item in candidates
            if item.period is not None and abs(item.period - filing.period_end) <= slack
        ]
        same_day = filing.filed_on is not None and nearest == timedelta(0)
        if by_period or not same_day:
            candidates = by_period  # a misprinted period is forgiven only on the exact day
    amendment = filing.form.upper().endswith("/A")
    preferred = [item for item in candidates if item.form.upper().endswith("/A") == amendment]
    candidates = preferred or candidates
    exact = [item for item in candidates if item.form.upper() == filing.form.upper()]
    candidates = exact or candidates
    if len(candidates) != 1:
        return filing
    return replace(filing, accession=candidates[0].accession)
