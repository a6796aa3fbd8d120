"""Review threads: grouping a company's letters into review cycles (pure).

Letters are taken in a canonical order (company, date, staff letters before company letters
on the same day except closing letters, accession), so any input order gives the same
threads. Each letter joins the first thread found by these rules, in priority order, and
records the rule as ``link_rule``:

1. ``reference_accession``: an UPLOAD header names the same reviewed filing (accession).
2. ``citation``: the letter cites the date of a letter already in a thread ("your letter
   dated…", "Response dated…", "our March 6, 2024 letter").
3. ``reviewed_filing``: same file number and same reviewed filing as an open thread.
4. ``registration``: an acceleration request (or a supplemental company letter) joins the
   latest review of its 333-/Form 10 number, even a closed one; it never counts as a round.
5. ``draft_registration``: a draft registration review (letters citing only "CIK No.")
   continues under the public registration statement's file number; ``cik_reference``: a
   letter citing only "CIK No." continues the open thread citing the same CIK.
6. ``file_number``: a shared file number with an open thread whose last letter is at most
   150 days earlier.

Otherwise the letter opens a new thread. A ``review_complete`` or ``no_review`` letter closes
its thread; later letters only rejoin a closed thread by rules 1, 2 and 4. A thread's id is
the accession of its earliest letter, so adding later letters never renames it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from indexer.normalize.letter import Letter, LetterType, ReviewedFiling

__all__ = ["Thread", "ThreadLetter", "build_threads"]

_GAP = timedelta(days=150)
_CITATION_TOLERANCE = timedelta(days=1)
_CLOSING = frozenset({LetterType.REVIEW_COMPLETE, LetterType.NO_REVIEW})
_REGISTRATION_PREFIXES = ("333-", "377-")
_DRAFT_PREFIX = "377-"
"""File numbers SEC gives confidential draft registration statements."""
_ATTACHMENTS = frozenset({LetterType.ACCELERATION_REQUEST, LetterType.OTHER})
_REGISTRATION_FORMS = (
    "S-1",
    "S-3",
    "S-4",
    "S-11",
    "F-1",
    "F-3",
    "F-4",
    "10-12B",
    "10-12G",
    "10",
    "DRS",
    "DRS/A",
    "1-A",
)


@dataclass(frozen=True, slots=True)
class ThreadLetter:
    accession: str
    date: date | None
    form: str
    letter_type: str
    role: str
    """``comment``, ``follow_up``, ``response``, ``closing``, ``no_review``,
    ``acceleration_request``, ``extension_request`` or ``other``."""
    link_rule: str
    """Why the letter is in this thread (``opened`` for the first)."""


@dataclass(frozen=True, slots=True)
class Thread:
    thread_id: str
    ciks: tuple[str, ...]
    company: str | None
    file_numbers: tuple[str, ...]
    reviewed_filings: tuple[ReviewedFiling, ...]
    status: str
    """``open``, ``closed``, ``no_review`` or ``response_only``."""
    opened_on: date | None
    closed_on: date | None
    days_open: int | None
    rounds: int
    """Staff comment letters (first round and follow-ups)."""
    letters: tuple[ThreadLetter, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "thread_id": self.thread_id,
            "ciks": list(self.ciks),
            "company": self.company,
            "file_numbers": list(self.file_numbers),
            "reviewed_filings": [
                {
                    "form": f.form,
                    "period_end": _iso(f.period_end),
                    "filed_on": _iso(f.filed_on),
                    "accession": f.accession,
                }
                for f in self.reviewed_filings
            ],
            "status": self.status,
            "opened_on": _iso(self.opened_on),
            "closed_on": _iso(self.closed_on),
            "days_open": self.days_open,
            "rounds": self.rounds,
            "letters": [
                {
                    "accession": m.accession,
                    "date": _iso(m.date),
                    "form": m.form,
                    "letter_type": m.letter_type,
                    "role": m.role,
                    "link_rule": m.link_rule,
                }
                for m in self.letters
            ],
        }


@dataclass(eq=False)
class _Draft:
    """A thread being built (identity, not value, makes two drafts different)."""

    letters: list[tuple[Letter, str]] = field(default_factory=list)
    closed: bool = False

    @property
    def last_date(self) -> date | None:
        return self.letters[-1][0].date if self.letters else None

    def file_numbers(self) -> set[str]:
        return {number for letter, _ in self.letters for number in letter.file_numbers}

    def reviewed_keys(self) -> set[tuple[str | None, date | None, date | None]]:
        return {_filing_key(f) for letter, _ in self.letters for f in letter.reviewed_filings}

    def accessions(self) -> set[str]:
        return {
            f.accession
            for letter, _ in self.letters
            for f in letter.reviewed_filings
            if f.accession
        }

    def cik_references(self) -> set[str]:
        return {letter.cik_reference for letter, _ in self.letters if letter.cik_reference}

    def is_draft_registration(self) -> bool:
        """Whether the thread reviews a draft registration statement (DRS, "CIK No.")."""
        return any(
            (letter.cik_reference and not letter.file_numbers)
            or any(f.form in ("DRS", "DRS/A") for f in letter.reviewed_filings)
            or any(number.startswith(_DRAFT_PREFIX) for number in letter.file_numbers)
            for letter, _ in self.letters
        )


def build_threads(letters: Iterable[Letter]) -> list[Thread]:
    """Group letters into review threads; the same letters in any order give the same threads."""
    by_company: dict[str, list[Letter]] = defaultdict(list)
    for letter in letters:
        by_company[letter.ciks[0] if letter.ciks else f"?{letter.company or ''}"].append(letter)
    threads: list[Thread] = []
    for company_letters in by_company.values():
        threads.extend(_finish(draft) for draft in _thread_company(company_letters))
    return sorted(threads, key=lambda t: (t.opened_on or date.min, t.thread_id))


def _order(letter: Letter) -> tuple[date, int, str]:
    closing = letter.letter_type in _CLOSING
    rank = 2 if closing else (0 if letter.sender == "sec" else 1)
    return (letter.date or date.min, rank, letter.accession)


@dataclass
class _Company:
    """The threads of one company so far, and where each placed letter went."""

    drafts: list[_Draft] = field(default_factory=list)
    placed: dict[str, _Draft] = field(default_factory=dict)

    def newest_first(self, *, open_only: bool = False) -> list[_Draft]:
        return [d for d in reversed(self.drafts) if not (open_only and d.closed)]


def _thread_company(letters: list[Letter]) -> list[_Draft]:
    company = _Company()
    for letter in sorted(letters, key=_order):
        draft, rule = _find_thread(letter, company)
        if draft is None:
            draft, rule = _Draft(), "opened"
            company.drafts.append(draft)
        draft.letters.append((letter, rule))
        company.placed[letter.accession] = draft
        if letter.letter_type in _CLOSING:
            draft.closed = True
    return company.drafts


def _find_thread(letter: Letter, company: _Company) -> tuple[_Draft | None, str]:
    for name, rule in _RULES:
        if (draft := rule(letter, company)) is not None:
            return draft, name
    return None, ""


def _by_reference_accession(letter: Letter, company: _Company) -> _Draft | None:
    accessions = {f.accession for f in letter.reviewed_filings if f.accession}
    return next((d for d in company.newest_first() if accessions & d.accessions()), None)


def _by_citation(letter: Letter, company: _Company) -> _Draft | None:
    return _cited_thread(letter, company.placed)


def _by_reviewed_filing(letter: Letter, company: _Company) -> _Draft | None:
    numbers = set(letter.file_numbers)
    keys = {_filing_key(f) for f in letter.reviewed_filings}
    return next(
        (
            d
            for d in company.newest_first(open_only=True)
            if numbers & d.file_numbers() and keys & d.reviewed_keys()
        ),
        None,
    )


def _by_registration(letter: Letter, company: _Company) -> _Draft | None:
    """Acceleration requests and supplemental company letters join their registration's review."""
    if letter.letter_type not in _ATTACHMENTS:
        return None
    numbers = set(letter.file_numbers)
    registration = {n for n in numbers if n.startswith(_REGISTRATION_PREFIXES)} or numbers
    return next((d for d in company.newest_first() if registration & d.file_numbers()), None)


def _by_draft_registration(letter: Letter, company: _Company) -> _Draft | None:
    if not _starts_public_registration(letter):
        return None
    candidates = company.newest_first(open_only=True)
    return next(
        (d for d in candidates if d.is_draft_registration() and _within_gap(letter, d)), None
    )


def _by_cik_reference(letter: Letter, company: _Company) -> _Draft | None:
    """A letter citing only "CIK No." continues the open draft review of the company."""
    if letter.file_numbers or letter.cik_reference is None:
        return None
    candidates = company.newest_first(open_only=True)
    return next(
        (
            d
            for d in candidates
            if (letter.cik_reference in d.cik_references() or d.is_draft_registration())
            and _within_gap(letter, d)
        ),
        None,
    )


def _by_file_number(letter: Letter, company: _Company) -> _Draft | None:
    numbers = set(letter.file_numbers)
    return next(
        (
            d
            for d in company.newest_first(open_only=True)
            if numbers & d.file_numbers() and _within_gap(letter, d)
        ),
        None,
    )


_RULES = (
    ("reference_accession", _by_reference_accession),
    ("citation", _by_citation),
    ("reviewed_filing", _by_reviewed_filing),
    ("registration", _by_registration),
    ("draft_registration", _by_draft_registration),
    ("cik_reference", _by_cik_reference),
    ("file_number", _by_file_number),
)


def _cited_thread(letter: Letter, placed: dict[str, _Draft]) -> _Draft | None:
    """The thread of the latest placed letter whose date this letter cites."""
    candidates: list[tuple[date, int, Letter]] = []
    placed_letters = _letters_of(placed)
    for cited in letter.cited_dates:
        wanted_sender = "sec" if cited.kind == "staff_letter" else "company"
        matches = [m for m in placed_letters if _same_day(m, cited.date)]
        preferred = [m for m in matches if m.sender == wanted_sender] or matches
        for match in preferred:
            shared = len(set(match.file_numbers) & set(letter.file_numbers))
            candidates.append((match.date or date.min, shared, match))
    if not candidates:
        return None
    _, _, best = max(candidates, key=lambda c: (c[1], c[0], c[2].accession))
    return placed[best.accession]


def _letters_of(placed: dict[str, _Draft]) -> list[Letter]:
    return [letter for draft in set(placed.values()) for letter, _ in draft.letters]


def _same_day(letter: Letter, day: date) -> bool:
    dates = [d for d in (letter.letter_date, letter.filing_date) if d]
    return any(abs(d - day) <= _CITATION_TOLERANCE for d in dates)


def _starts_public_registration(letter: Letter) -> bool:
    forms = {(f.form or "").removesuffix("/A") for f in letter.reviewed_filings}
    return bool(letter.file_numbers) and bool(forms & set(_REGISTRATION_FORMS))


def _within_gap(letter: Letter, draft: _Draft) -> bool:
    last = draft.last_date
    return letter.date is None or last is None or letter.date - last <= _GAP


def _filing_key(filing: ReviewedFiling) -> tuple[str | None, date | None, date | None]:
    form = (filing.form or "").removesuffix("/A") or None
    return (form, filing.period_end, filing.filed_on if filing.period_end is None else None)


def _finish(draft: _Draft) -> Thread:
    letters = [letter for letter, _ in draft.letters]
    members: list[ThreadLetter] = []
    staff_comments = 0
    for letter, rule in draft.letters:
        role = _role(letter, staff_comments)
        if letter.sender == "sec" and letter.letter_type == LetterType.COMMENT:
            staff_comments += 1
        members.append(
            ThreadLetter(
                letter.accession, letter.date, letter.form, str(letter.letter_type), role, rule
            )
        )
    dates = [letter.date for letter in letters if letter.date]
    opened = min(dates) if dates else None
    closing = [letter for letter in letters if letter.letter_type in _CLOSING]
    closed = closing[-1].date if closing else None
    status = _status(letters, closing)
    last = max(dates) if dates else None
    end = closed or last
    return Thread(
        thread_id=min(letters, key=lambda m: (m.date or date.min, m.accession)).accession,
        ciks=tuple(dict.fromkeys(cik for letter in letters for cik in letter.ciks)),
        company=next((letter.company for letter in letters if letter.company), None),
        file_numbers=_ranked_numbers(letters),
        reviewed_filings=_reviewed(letters),
        status=status,
        opened_on=opened,
        closed_on=closed,
        days_open=(end - opened).days if end and opened else None,
        rounds=staff_comments,
        letters=tuple(members),
    )


def _role(letter: Letter, staff_comments_before: int) -> str:
    if letter.sender == "sec":
        if letter.letter_type == LetterType.COMMENT:
            return "follow_up" if staff_comments_before else "comment"
        if letter.letter_type == LetterType.REVIEW_COMPLETE:
            return "closing"
        if letter.letter_type == LetterType.NO_REVIEW:
            return "no_review"
        return "other"
    return str(letter.letter_type)


def _status(letters: list[Letter], closing: list[Letter]) -> str:
    if all(letter.sender == "company" for letter in letters):
        return "response_only"
    if closing:
        rounds = any(letter.letter_type == LetterType.COMMENT for letter in letters)
        if closing[-1].letter_type == LetterType.NO_REVIEW and not rounds:
            return "no_review"
        return "closed"
    return "open"


def _ranked_numbers(letters: list[Letter]) -> tuple[str, ...]:
    counts: dict[str, int] = defaultdict(int)
    for letter in letters:
        for number in letter.file_numbers:
            counts[number] += 1
    return tuple(sorted(counts, key=lambda n: -counts[n]))


def _reviewed(letters: list[Letter]) -> tuple[ReviewedFiling, ...]:
    seen: dict[tuple[str | None, date | None, date | None], ReviewedFiling] = {}
    ordered = sorted(letters, key=lambda m: m.sender != "sec")  # staff letters name it best
    for letter in ordered:
        for filing in letter.reviewed_filings:
            key = _filing_key(filing)
            if key not in seen or (filing.accession and not seen[key].accession):
                seen[key] = filing
    return tuple(seen.values())


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
