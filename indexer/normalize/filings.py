"""Which filing a letter is about: comparing reviewed filings (pure).

A review is the staff's review of one filing, or of filings it names together, so the
identity of the reviewed filing is what keeps concurrent reviews of one company apart (a
10-K review and a DEF 14A review under one lifetime file number) and what joins the letters
of one review. Two reviewed filings, as the Re: blocks of two letters name them, are:

- ``SAME``: the same accession; or the same form family (``10-K`` = ``10-K/A`` = ``10-KT``,
  ``PRE 14A`` = ``DEF 14A``, ``PREC14A`` = ``DEFC14A``) with the same period (within
  ``_PERIOD_SLACK``, for 52/53-week years and misprints) or, without a period, filed within
  ``_FILED_SLACK`` (or within ``_PAIR_SLACK`` for the linked pairs of preliminary and definitive
  proxy or information statements and for a registration statement and its amendments);
- ``DIFFERENT``: another form family, another period, another filing date, or another filer
  ("filed by" a dissident shareholder against the company's own proxy material);
- ``UNKNOWN``: not enough is known to tell (a form without period or date).

``relation(a, b)`` compares two letters' lists of filings: ``SAME`` if any pair is the same,
``DIFFERENT`` if every pair differs, else ``UNKNOWN`` (also when either list is empty).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from enum import Enum
from functools import lru_cache

from indexer.normalize.letter import ReviewedFiling

__all__ = ["Match", "compare_filings", "filer_key", "form_family", "is_periodic", "relation"]

_PERIOD_SLACK = timedelta(days=10)
_FILED_SLACK = timedelta(days=3)
_PAIR_SLACK = timedelta(days=120)

_FAMILIES = {
    "10-K405": "10-K",
    "10-KT": "10-K",
    "10-KSB": "10-K",
    "10-QT": "10-Q",
    "10-QSB": "10-Q",
    "14A": "PROXY",
    "PRE 14A": "PROXY",
    "PRER14A": "PROXY",
    "DEF 14A": "PROXY",
    "DEFR14A": "PROXY",
    "PREM14A": "MERGER PROXY",
    "PRER14M": "MERGER PROXY",
    "DEFM14A": "MERGER PROXY",
    "PREC14A": "CONTESTED PROXY",
    "PRRN14A": "CONTESTED PROXY",
    "DEFC14A": "CONTESTED PROXY",
    "DEFN14A": "CONTESTED PROXY",
    "PREN14A": "CONTESTED PROXY",
    "14C": "INFORMATION STATEMENT",
    "PRE 14C": "INFORMATION STATEMENT",
    "PRER14C": "INFORMATION STATEMENT",
    "DEF 14C": "INFORMATION STATEMENT",
    "PREM14C": "INFORMATION STATEMENT",
    "DEFM14C": "INFORMATION STATEMENT",
    "TO-I": "SC TO-I",
    "TO-T": "SC TO-T",
    "TO-C": "SC TO-C",
    "13D": "SC 13D",
    "13G": "SC 13G",
    "14D9": "SC 14D9",
    "14D-9": "SC 14D9",
    "13E3": "SC 13E3",
    "13E-3": "SC 13E3",
    "10-12B": "FORM 10",
    "10-12G": "FORM 10",
    "10": "FORM 10",
}
_PERIODIC = frozenset({"10-K", "10-Q", "20-F", "40-F", "N-CSR", "11-K", "1-K", "1-SA"})
_PAIRED = frozenset(
    {
        "PROXY",
        "MERGER PROXY",
        "CONTESTED PROXY",
        "INFORMATION STATEMENT",
        "FORM 10",
        "S-1",
        "S-3",
        "S-4",
        "S-11",
        "F-1",
        "F-3",
        "F-4",
        "1-A",
        "SC TO-T",
        "SC TO-I",
        "SC 13E3",
        "SC 14D9",
    }
)
_FILER_NOISE = frozenset(
    {
        "the",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "ltd",
        "limited",
        "llc",
        "lp",
        "llp",
        "plc",
        "sa",
        "nv",
        "ag",
        "et",
        "al",
        "and",
        "its",
        "affiliates",
        "others",
    }
)


class Match(Enum):
    SAME = "same"
    DIFFERENT = "different"
    UNKNOWN = "unknown"


@lru_cache(maxsize=4096)
def form_family(form: str | None) -> str | None:
    """The family a form belongs to for review purposes (amendments with their original)."""
    if not form:
        return None
    name = " ".join(form.upper().split()).removesuffix("/A")
    return _FAMILIES.get(name, name)


def is_periodic(family: str | None) -> bool:
    """Whether filings of the family are named by their period (10-K, 10-Q, 20-F …)."""
    return family in _PERIODIC


def filer_key(filer: str | None, company: str | None = None) -> frozenset[str] | None:
    """The words naming who filed a filing, or None when it is the company itself/unknown."""
    words = _name_words(filer)
    if not words:
        return None
    if company is not None and words <= _name_words(company):
        return None
    return words


def compare_filings(
    first: ReviewedFiling, second: ReviewedFiling, *, company: str | None = None
) -> Match:
    """Whether two reviewed filings are the same filing (see the module docstring)."""
    if first.accession and second.accession:
        return Match.SAME if first.accession == second.accession else Match.DIFFERENT
    family = form_family(first.form)
    if family is None or family != form_family(second.form):
        return Match.DIFFERENT if family and form_family(second.form) else Match.UNKNOWN
    filers = filer_key(first.filed_by, company), filer_key(second.filed_by, company)
    if filers[0] != filers[1] and (family in _SOLICITATIONS or None not in filers):
        return Match.DIFFERENT  # a shareholder's proxy material is not the company's
    return _compare_dates(first, second, family)


def _compare_dates(first: ReviewedFiling, second: ReviewedFiling, family: str) -> Match:
    """Same family and filer: the period decides, else the filing date."""
    if first.period_end and second.period_end:
        return _within(first.period_end, second.period_end, _PERIOD_SLACK)
    if family in _PERIODIC and (first.period_end or second.period_end):
        return Match.UNKNOWN  # one names the period, the other only a filing date
    if first.filed_on and second.filed_on:
        slack = _PAIR_SLACK if family in _PAIRED else _FILED_SLACK
        return _within(first.filed_on, second.filed_on, slack)
    return Match.UNKNOWN


_SOLICITATIONS = frozenset(
    {
        "PROXY",
        "CONTESTED PROXY",
        "MERGER PROXY",
        "INFORMATION STATEMENT",
        "DFAN14A",
        "DEFA14A",
        "SC 14D9",
        "SC TO-T",
        "SC TO-I",
        "SC TO-C",
        "SC 13D",
        "SC 13E3",
    }
)
"""Families where one party's filing and another's are different filings even when only one
letter names who filed it."""


def relation(
    first: Iterable[ReviewedFiling],
    second: Iterable[ReviewedFiling],
    *,
    company: str | None = None,
) -> Match:
    """How two letters' reviewed filings relate: any pair the same, all different, or unknown."""
    # Each filing once: a thread's letters name the same filings over and over.
    left, right = list(dict.fromkeys(first)), list(dict.fromkeys(second))
    if not left or not right:
        return Match.UNKNOWN
    all_different = True
    for a in left:
        for b in right:
            match = compare_filings(a, b, company=company)
            if match == Match.SAME:
                return Match.SAME
            all_different = all_different and match == Match.DIFFERENT
    return Match.DIFFERENT if all_different else Match.UNKNOWN


def _within(first: date, second: date, slack: timedelta) -> Match:
    return Match.SAME if abs(first - second) <= slack else Match.DIFFERENT


@lru_cache(maxsize=4096)
def _name_words(name: str | None) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", (name or "").lower().replace(".", ""))
    return frozenset(word for word in words if word not in _FILER_NOISE)
