"""Dataset values that documents do not store as they are: computed from them. Pure.

Reviewed filings are kept as JSON (nested records) and as a list of their resolved
accessions; a review's figures are computed from its ordered letters (the ``letters`` of a
thread document: accession, date, form, role): its last letter's date, its first staff
letter's date and the days from that letter to the closing one, counted as
``bench/thread_stats.py`` counts them (staff letters are those of form UPLOAD).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

__all__ = [
    "STAFF_FORM",
    "days_to_close",
    "first_staff_letter_date",
    "last_letter_date",
    "letter_accessions",
    "letters_of_form",
    "ocr_confidence",
    "outcome_ids",
    "reviewed_accessions",
    "reviewed_filings",
]

STAFF_FORM = "UPLOAD"
"""EDGAR's form of the letters the SEC staff sends (company letters are CORRESP)."""
_FILING_FIELDS = ("form", "period_end", "filed_on", "filed_by", "accession")

Document = Mapping[str, Any]


def _dated(letters: Sequence[Mapping[str, Any]], *, form: str | None = None) -> list[date]:
    return [
        date.fromisoformat(str(letter["date"])[:10])
        for letter in letters
        if letter.get("date") and (form is None or letter.get("form") == form)
    ]


def _letters(doc: Document) -> list[Mapping[str, Any]]:
    return list(doc.get("letters") or ())


def reviewed_filings(doc: Document) -> list[dict[str, Any]]:
    """The reviewed filings named by a letter or review, without their derived URLs."""
    return [
        {key: filing.get(key) for key in _FILING_FIELDS}
        for filing in doc.get("reviewed_filings") or ()
    ]


def reviewed_accessions(doc: Document) -> list[str]:
    """The accessions of the reviewed filings that were resolved to one (in order)."""
    found = [f.get("accession") for f in doc.get("reviewed_filings") or ()]
    return list(dict.fromkeys(str(accession) for accession in found if accession))


def ocr_confidence(doc: Document) -> float | None:
    """The mean OCR word confidence of a scanned letter (``None`` for other letters)."""
    value = (doc.get("source") or {}).get("ocr_confidence")
    return float(value) if value is not None else None


def outcome_ids(doc: Document) -> list[str]:
    """The outcomes of a comment, letter or review (an absent field, from an index written
    before outcomes existed, is none)."""
    return [str(outcome) for outcome in doc.get("outcomes") or ()]


def letter_accessions(doc: Document) -> list[str]:
    """A review's letters, in the thread's order."""
    return [str(letter["accession"]) for letter in _letters(doc) if letter.get("accession")]


def letters_of_form(form: str) -> Callable[[Document], int]:
    """A reader counting a review's letters of EDGAR form ``form``."""

    def count(doc: Document) -> int:
        return sum(1 for letter in _letters(doc) if letter.get("form") == form)

    return count


def last_letter_date(doc: Document) -> date | None:
    """The date of the review's latest dated letter."""
    return max(_dated(_letters(doc)), default=None)


def first_staff_letter_date(doc: Document) -> date | None:
    """The date of the review's earliest staff letter (form UPLOAD)."""
    return min(_dated(_letters(doc), form=STAFF_FORM), default=None)


def days_to_close(doc: Document) -> int | None:
    """Days from the first staff letter to the closing letter; ``None`` while open."""
    closed = doc.get("closed_on")
    first = first_staff_letter_date(doc)
    if not closed or first is None:
        return None
    return (date.fromisoformat(str(closed)[:10]) - first).days
