"""Synthetic ``Letter`` records for threading tests: only what the threader reads is set."""

from __future__ import annotations

from datetime import date
from typing import Any

from indexer.normalize.letter import Letter, LetterType


def make_letter(
    accession: str, day: date | None, letter_type: LetterType, *, sender: str, **fields: Any
) -> Letter:
    """A letter dated ``day`` (printed and filed), empty where the threader does not look."""
    values: dict[str, Any] = {
        "accession": accession,
        "form": "UPLOAD" if sender == "sec" else "CORRESP",
        "sender": sender,
        "filing_date": day,
        "letter_date": day,
        "ciks": ("0001326801",),
        "company": "Meta Platforms, Inc.",
        "letter_type": letter_type,
        "file_numbers": (),
        "reviewed_filings": (),
        "cited_dates": (),
        "comments": (),
        "staff": (),
        "office": None,
        "topics": (),
        "text_source": "pdf_text",
        "text": "",
        "warnings": (),
    }
    return Letter(**(values | fields))
