"""Review threads: grouping a company's letters into review cycles (pure).

Letters are taken in a canonical order (company, date, staff letters before company letters
on the same day except closing letters, accession), so any input order gives the same
threads. Each letter joins the thread that the rules of ``thread_links`` find, and keeps the
rule, the letter it was linked to and the evidence; otherwise it opens a thread. A
``review_complete`` or ``no_review`` letter closes its thread. A thread's id is the accession
of its earliest letter, so adding later letters never renames it.

Letters the rules can say little about still get a thread (their own, or by the rules that
do apply), and the thread says so in ``warnings``: a letter without any date, a letter that
names nothing (no file number, reviewed filing, cited letter or CIK).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from indexer.normalize.letter import Letter, LetterType, ReviewedFiling
from indexer.normalize.thread_links import CLOSING, Company, Draft, Link, find_link

__all__ = ["Thread", "ThreadLetter", "build_threads"]


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
    linked_to: str | None = None
    """The letter of the thread that justifies the link."""
    evidence: str = ""
    """The link in a sentence ("cites the staff letter of 2016-03-16 (…)")."""


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
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The thread as JSON-ready data (the `threads` command prints it)."""
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
                    "filed_by": f.filed_by,
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
                    "linked_to": m.linked_to,
                    "evidence": m.evidence,
                }
                for m in self.letters
            ],
            "warnings": list(self.warnings),
        }


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
    closing = letter.letter_type in CLOSING
    rank = 2 if closing else (0 if letter.sender == "sec" else 1)
    return (letter.date or date.min, rank, letter.accession)


def _thread_company(letters: list[Letter]) -> list[Draft]:
    company = Company()
    for letter in sorted(letters, key=_order):
        found = find_link(letter, company)
        link: Link | None
        if found is None:
            draft, link = Draft(), None
            company.drafts.append(draft)
        else:
            draft, link = found
        draft.letters.append((letter, link))
        company.place(letter, draft)
        if letter.letter_type in CLOSING:
            draft.closed = True
    return company.drafts


def _finish(draft: Draft) -> Thread:
    letters = [letter for letter, _ in draft.letters]
    members: list[ThreadLetter] = []
    staff_comments = 0
    for letter, link in draft.letters:
        role = _role(letter, staff_comments)
        if letter.sender == "sec" and letter.letter_type == LetterType.COMMENT:
            staff_comments += 1
        members.append(
            ThreadLetter(
                letter.accession,
                letter.date,
                letter.form,
                str(letter.letter_type),
                role,
                link.rule if link else "opened",
                link.linked_to if link else None,
                link.evidence if link else "",
            )
        )
    dates = [letter.date for letter in letters if letter.date]
    opened = min(dates) if dates else None
    closing = [letter for letter in letters if letter.letter_type in CLOSING]
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
        warnings=_warnings(draft),
    )


def _warnings(draft: Draft) -> tuple[str, ...]:
    """What a reader should know about letters the rules could say little about."""
    found = []
    for letter, link in draft.letters:
        rule = link.rule if link else "opened"
        if letter.date is None:
            found.append(f"{letter.accession}: no letter or filing date ({rule})")
        if not (
            letter.file_numbers
            or letter.reviewed_filings
            or letter.cited_dates
            or letter.cik_reference
            or letter.reference_accession
        ):
            found.append(
                f"{letter.accession}: names no file number, reviewed filing, cited letter or "
                f"CIK ({rule})"
            )
    return tuple(found)


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


def _filing_key(filing: ReviewedFiling) -> tuple[str | None, date | None, date | None]:
    form = (filing.form or "").removesuffix("/A") or None
    return (form, filing.period_end, filing.filed_on if filing.period_end is None else None)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
