"""The normalized letter: what ``normalize_letter`` derives from an ``IncomingLetter``.

``Letter`` holds every field ``corresp parse`` prints (``to_public_dict``) plus what the
threader needs. All values are plain data: dates are ``datetime.date``, lists are tuples.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

__all__ = [
    "CitedDate",
    "Comment",
    "Letter",
    "LetterType",
    "Office",
    "OutcomeMatch",
    "ReviewedFiling",
    "StaffMember",
    "TopicMatch",
    "filing_dict",
]


class LetterType(StrEnum):
    COMMENT = "comment"
    REVIEW_COMPLETE = "review_complete"
    NO_REVIEW = "no_review"
    RESPONSE = "response"
    ACCELERATION_REQUEST = "acceleration_request"
    EXTENSION_REQUEST = "extension_request"
    SUPPLEMENTAL = "supplemental"
    WITHDRAWAL_REQUEST = "withdrawal_request"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class ReviewedFiling:
    """A filing named in the Re: block (or the header's reference accession)."""

    form: str | None
    period_end: date | None = None
    filed_on: date | None = None
    accession: str | None = None
    filed_by: str | None = None
    """Who filed it, when the Re: block says ("PREC14A filed by Starboard Value LP")."""


@dataclass(frozen=True, slots=True)
class CitedDate:
    """An earlier letter the letter refers to."""

    date: date
    kind: str
    """``staff_letter`` or ``response``."""


@dataclass(frozen=True, slots=True)
class Comment:
    """A numbered staff comment (restated in a response, with the company's answer)."""

    number: int
    heading: str | None
    text: str
    response: str | None = None


@dataclass(frozen=True, slots=True)
class StaffMember:
    name: str
    title: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Office:
    raw: str
    """As printed, e.g. ``Office of Energy & Transportation``."""
    canonical: str | None
    """The office's canonical name (see ``indexer/normalize/people.py``)."""


@dataclass(frozen=True, slots=True)
class TopicMatch:
    """A topic assigned to a comment (or to the letter when ``comment`` is None)."""

    topic: str
    comment: int | None
    evidence: tuple[str, ...]
    """The phrases that matched, as found in the text."""


@dataclass(frozen=True, slots=True)
class OutcomeMatch:
    """How the company answered a comment (``indexer/normalize/outcomes.yaml``), with the
    sentence that shows it (empty for the fallback ``other``)."""

    outcome: str
    comment: int | None
    evidence: str


@dataclass(frozen=True, slots=True)
class Letter:
    """A normalized letter."""

    accession: str
    form: str
    sender: str
    """``sec`` or ``company``."""
    filing_date: date | None
    letter_date: date | None
    ciks: tuple[str, ...]
    company: str | None
    letter_type: LetterType
    file_numbers: tuple[str, ...]
    reviewed_filings: tuple[ReviewedFiling, ...]
    cited_dates: tuple[CitedDate, ...]
    comments: tuple[Comment, ...]
    staff: tuple[StaffMember, ...]
    office: Office | None
    topics: tuple[TopicMatch, ...]
    text_source: str
    text: str
    warnings: tuple[str, ...]
    # Not printed by `corresp parse`; used by the threader and the index.
    released_on: date | None = None
    cik_reference: str | None = None
    """A "CIK No." cited instead of a file number (draft registration statements)."""
    reference_accession: str | None = None
    """The filing under review as EDGAR's UPLOAD header names it."""
    opens_review: bool = False
    """A staff comment letter in first-round words ("We have reviewed your filing and have the
    following comments") that refers to no earlier letter: the start of a review."""
    extra: dict[str, Any] = field(default_factory=dict)
    outcomes: tuple[OutcomeMatch, ...] = ()
    """A company letter's outcome per answered comment (``indexer/normalize/outcomes.py``)."""
    amendments_filed: tuple[ReviewedFiling, ...] = ()
    """Amendments of the reviewed forms the company filed in the year after the letter
    (``resolution.amendments_after``)."""

    @property
    def date(self) -> date | None:
        """The date to order letters by: printed date, else filing date."""
        return self.letter_date or self.filing_date

    def to_public_dict(self) -> dict[str, Any]:
        """Exactly the fields of ``corresp parse --json``, JSON-ready."""
        return {
            "accession": self.accession,
            "form": self.form,
            "sender": self.sender,
            "filing_date": _iso(self.filing_date),
            "letter_date": _iso(self.letter_date),
            "ciks": list(self.ciks),
            "company": self.company,
            "letter_type": self.letter_type.value,
            "file_numbers": list(self.file_numbers),
            "reviewed_filings": [filing_dict(r) for r in self.reviewed_filings],
            "cited_dates": [{"date": _iso(c.date), "kind": c.kind} for c in self.cited_dates],
            "comments": [_comment_dict(c, self.sender) for c in self.comments],
            "staff": [{"name": s.name, "title": s.title, "phone": s.phone} for s in self.staff],
            "office": (
                {"raw": self.office.raw, "canonical": self.office.canonical}
                if self.office
                else None
            ),
            "topics": [
                {"topic": t.topic, "comment": t.comment, "evidence": list(t.evidence)}
                for t in self.topics
            ],
            "outcomes": [
                {"outcome": o.outcome, "comment": o.comment, "evidence": o.evidence}
                for o in self.outcomes
            ],
            "text_source": self.text_source,
            "text": self.text,
            "warnings": list(self.warnings),
        }


def filing_dict(filing: ReviewedFiling) -> dict[str, Any]:
    """A reviewed (or amending) filing as JSON-ready data."""
    return {
        "form": filing.form,
        "period_end": _iso(filing.period_end),
        "filed_on": _iso(filing.filed_on),
        "filed_by": filing.filed_by,
        "accession": filing.accession,
    }


def _comment_dict(comment: Comment, sender: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": comment.number,
        "heading": comment.heading,
        "text": comment.text,
    }
    if sender == "company":
        data["response"] = comment.response
    return data


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
