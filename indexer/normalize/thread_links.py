"""The rules that put a letter into a review thread, with the evidence for each link (pure).

Letters arrive one by one in canonical order (``threads.build_threads``). Each joins the
first thread that one of these rules finds, in priority order, and keeps the rule's name
(``link_rule``), the letter that justifies the link (``linked_to``) and a sentence saying why
(``evidence``):

1. ``reference_accession``: the UPLOAD header names the same filing under review.
2. ``citation``: the letter cites the date of a letter already placed ("your letter dated…",
   "Response dated…"); among several, the one whose review is about the same filing.
3. ``reviewed_filing``: an open review of the same filing (``filings.relation`` SAME: same
   form family and period, or filing date; preliminary and definitive proxy together).
4. ``release_day``: released by EDGAR on the same day as a review's letters, under a shared
   file number (only with trustworthy release days, see ``trusted_release``).
5. ``registration``: an acceleration, withdrawal, supplemental or other company letter joins
   the latest review of its registration statement (333-, 377-, Form 10), even a closed one.
6. ``draft_registration`` / ``cik_reference``: a public registration statement continues the
   open draft review; a letter citing only "CIK No." continues the open draft review.
7. ``closing_letter``: a closing letter whose filing matches no open review closes the only
   open review under its file number (its Re: block may name the 10-K of a 10-Q review).
8. ``file_number``: a shared file number with an open review whose last letter is at most
   150 days earlier, unless the reviewed filings differ or the letter is a staff letter that
   opens a review ("We have reviewed your filing and have the following comments", citing
   nothing earlier).

What no rule may do:

- join two letters whose reviewed filings differ (another form, period, filing date or
  filer) without an explicit link (rules 1, 2, 5 and 7);
- reopen a closed review with a staff comment letter, except a follow-up citing a letter of
  that review about the same filing; citing an old review's letters never pulls a new
  comment letter on another filing into it, nor any letter about another filing into a
  review silent for more than 150 days (whose closing letter may be missing);
- add a letter written after a review's letters were released by EDGAR (the staff releases
  a review's letters together, at least 20 business days after it closed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from indexer.normalize.filings import Match, relation
from indexer.normalize.letter import Letter, LetterType, ReviewedFiling

__all__ = ["Company", "Draft", "Link", "find_link", "trusted_release"]

GAP = timedelta(days=150)
_CITATION_TOLERANCE = timedelta(days=1)
_RELEASE_TOLERANCE = timedelta(days=1)
_RELEASE_DELAY = timedelta(days=20)
"""A release day this long after the letter was filed is a correspondence release (reviews
are released 20 business days or more after they close); a shorter one is not trusted (a
letter listed the day it was filed says nothing about its review)."""
CLOSING = frozenset({LetterType.REVIEW_COMPLETE, LetterType.NO_REVIEW})
_REGISTRATION_PREFIXES = ("333-", "377-")
_DRAFT_PREFIX = "377-"
_ATTACHMENTS = frozenset(
    {
        LetterType.ACCELERATION_REQUEST,
        LetterType.WITHDRAWAL_REQUEST,
        LetterType.SUPPLEMENTAL,
        LetterType.OTHER,
    }
)
_REGISTRATION_FORMS = frozenset(
    {"S-1", "S-3", "S-4", "S-11", "F-1", "F-3", "F-4", "10-12B", "10-12G", "10", "DRS", "1-A"}
)


@dataclass(frozen=True, slots=True)
class Link:
    """Why a letter joins a thread."""

    rule: str
    linked_to: str | None
    evidence: str


@dataclass(eq=False)
class Draft:
    """A thread being built (identity, not value, makes two drafts different)."""

    letters: list[tuple[Letter, Link | None]] = field(default_factory=list)
    closed: bool = False

    @property
    def last_date(self) -> date | None:
        return self.letters[-1][0].date if self.letters else None

    def file_numbers(self) -> set[str]:
        return {number for letter, _ in self.letters for number in letter.file_numbers}

    def filings(self) -> list[ReviewedFiling]:
        return [f for letter, _ in self.letters for f in letter.reviewed_filings]

    def company(self) -> str | None:
        return next((letter.company for letter, _ in self.letters if letter.company), None)

    def release(self) -> date | None:
        """The earliest trustworthy release day of the thread's letters."""
        days = [day for letter, _ in self.letters if (day := trusted_release(letter))]
        return min(days, default=None)

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

    def letter_with(self, predicate: Callable[[Letter], bool]) -> Letter | None:
        """The latest letter of the thread for which ``predicate`` holds."""
        return next((letter for letter, _ in reversed(self.letters) if predicate(letter)), None)


@dataclass
class Company:
    """The threads of one company so far, and where each placed letter went."""

    drafts: list[Draft] = field(default_factory=list)
    placed: dict[str, tuple[Letter, Draft]] = field(default_factory=dict)
    by_day: dict[date, list[tuple[int, str]]] = field(default_factory=dict)
    """Placed letters (their rank in ``placed`` and accession) by letter and filing date."""

    def place(self, letter: Letter, draft: Draft) -> None:
        """Record that ``letter`` went to ``draft``."""
        if letter.accession not in self.placed:
            rank = len(self.placed)
            for day in {d for d in (letter.letter_date, letter.filing_date) if d}:
                self.by_day.setdefault(day, []).append((rank, letter.accession))
        self.placed[letter.accession] = (letter, draft)

    def placed_near(self, day: date) -> list[tuple[Letter, Draft]]:
        """The placed letters dated or filed within ``_CITATION_TOLERANCE`` of ``day``, in
        the order they were placed (a lookup by day, not a walk over every letter)."""
        reach = _CITATION_TOLERANCE.days
        found = {
            entry
            for offset in range(-reach, reach + 1)
            for entry in self.by_day.get(day + timedelta(days=offset), ())
        }
        return [self.placed[accession] for _, accession in sorted(found)]

    def newest_first(self, *, open_only: bool = False) -> list[Draft]:
        return [d for d in reversed(self.drafts) if not (open_only and d.closed)]


def trusted_release(letter: Letter) -> date | None:
    """The letter's EDGAR release day when it looks like a correspondence release: at least
    ``_RELEASE_DELAY`` after the letter was filed (its printed date when the filing date is
    unknown; a letter filed weeks after its date and listed that day is no release)."""
    filed = letter.filing_date or letter.date
    if letter.released_on is None or filed is None:
        return None
    return letter.released_on if letter.released_on - filed >= _RELEASE_DELAY else None


def find_link(letter: Letter, company: Company) -> tuple[Draft, Link] | None:
    """The thread ``letter`` joins and why, or None when it opens a thread of its own."""
    for rule in _RULES:
        if (found := rule(letter, company)) is not None:
            return found
    return None


# -- what every rule respects -----------------------------------------------------------


def _admissible(letter: Letter, draft: Draft) -> bool:
    """No letter joins a review whose letters EDGAR had released before it was written, and
    no staff comment letter that opens a review joins a closed one."""
    release = draft.release()
    if release is not None and letter.date is not None and letter.date > release:
        return False
    return not (draft.closed and _is_staff_comment(letter) and letter.opens_review)


def _relation(letter: Letter, draft: Draft) -> Match:
    return relation(letter.reviewed_filings, draft.filings(), company=letter.company)


def _is_staff_comment(letter: Letter) -> bool:
    return letter.sender == "sec" and letter.letter_type == LetterType.COMMENT


def _within_gap(letter: Letter, draft: Draft) -> bool:
    last = draft.last_date
    return letter.date is None or last is None or letter.date - last <= GAP


def _describe(filing: ReviewedFiling) -> str:
    parts = [filing.form or "filing"]
    if filing.period_end:
        parts.append(f"for the period ended {filing.period_end.isoformat()}")
    if filing.filed_on:
        parts.append(f"filed {filing.filed_on.isoformat()}")
    if filing.filed_by:
        parts.append(f"by {filing.filed_by}")
    return " ".join(parts)


# -- the rules ---------------------------------------------------------------------------


def _by_reference_accession(letter: Letter, company: Company) -> tuple[Draft, Link] | None:
    wanted = letter.reference_accession
    if not wanted:
        return None
    for draft in company.newest_first():
        other = draft.letter_with(
            lambda m: (
                m.reference_accession == wanted
                or any(f.accession == wanted for f in m.reviewed_filings)
            )
        )
        if other is not None and _admissible(letter, draft):
            evidence = f"names the filing under review {wanted}, as {other.accession} does"
            return draft, Link("reference_accession", other.accession, evidence)
    return None


def _by_citation(letter: Letter, company: Company) -> tuple[Draft, Link] | None:
    """The thread of the letter this one cites, preferring a review of the same filing."""
    best: tuple[tuple[int, int, int, date, str], Draft, Link] | None = None
    relations: dict[Draft, Match] = {}  # several cited letters often share a thread
    for cited in letter.cited_dates:
        wanted_sender = "sec" if cited.kind == "staff_letter" else "company"
        matches = [
            (placed, draft)
            for placed, draft in company.placed_near(cited.date)
            if _same_day(placed, cited.date)
        ]
        preferred = [m for m in matches if m[0].sender == wanted_sender] or matches
        for placed, draft in preferred:
            if not _admissible(letter, draft):
                continue
            if (match := relations.get(draft)) is None:
                match = relations[draft] = _relation(letter, draft)
            if draft.closed and letter.sender == "sec" and match != Match.SAME:
                continue  # an old review's letters cited by a new review
            if match == Match.DIFFERENT and not _within_gap(letter, draft):
                continue  # a long-silent review about another filing: history, not a round
            rank = (
                {Match.SAME: 2, Match.UNKNOWN: 1, Match.DIFFERENT: 0}[match],
                len(set(placed.file_numbers) & set(letter.file_numbers)),
                0 if draft.closed else 1,
                placed.date or date.min,
                placed.accession,
            )
            if best is None or rank > best[0]:
                kind = "staff letter" if placed.sender == "sec" else "company letter"
                evidence = f"cites the {kind} of {cited.date.isoformat()} ({placed.accession})"
                best = (rank, draft, Link("citation", placed.accession, evidence))
    return None if best is None else (best[1], best[2])


def _by_reviewed_filing(letter: Letter, company: Company) -> tuple[Draft, Link] | None:
    for draft in company.newest_first(open_only=True):
        if _relation(letter, draft) != Match.SAME or not _admissible(letter, draft):
            continue
        for filing in letter.reviewed_filings:
            other = draft.letter_with(partial(_reviews_same_filing, filing, letter.company))
            if other is not None:
                evidence = f"same reviewed filing ({_describe(filing)}) as {other.accession}"
                return draft, Link("reviewed_filing", other.accession, evidence)
    return None


def _reviews_same_filing(filing: ReviewedFiling, company: str | None, member: Letter) -> bool:
    return relation((filing,), member.reviewed_filings, company=company) == Match.SAME


def _cites_file_number(number: str, member: Letter) -> bool:
    return number in member.file_numbers


def _by_release_day(letter: Letter, company: Company) -> tuple[Draft, Link] | None:
    released = trusted_release(letter)
    if released is None:
        return None
    numbers = set(letter.file_numbers)
    for draft in company.newest_first():
        if draft.closed and _is_staff_comment(letter):
            continue
        other = draft.letter_with(
            lambda m: (
                (day := trusted_release(m)) is not None
                and abs(day - released) <= _RELEASE_TOLERANCE
                and bool(numbers & set(m.file_numbers))
            )
        )
        if other is None or _relation(letter, draft) == Match.DIFFERENT:
            continue
        if _admissible(letter, draft):
            evidence = f"released by EDGAR with {other.accession} on {released.isoformat()}"
            return draft, Link("release_day", other.accession, evidence)
    return None


def _by_registration(letter: Letter, company: Company) -> tuple[Draft, Link] | None:
    """Acceleration requests and other company letters join their registration's review."""
    if letter.letter_type not in _ATTACHMENTS:
        return None
    numbers = set(letter.file_numbers)
    registration = {n for n in numbers if n.startswith(_REGISTRATION_PREFIXES)} or numbers
    for draft in company.newest_first():
        shared = sorted(registration & draft.file_numbers())
        if shared and _admissible(letter, draft):
            other = draft.letter_with(partial(_cites_file_number, shared[0]))
            evidence = f"{letter.letter_type.value.replace('_', ' ')} for file number {shared[0]}"
            return draft, Link("registration", other.accession if other else None, evidence)
    return None


def _by_draft_registration(letter: Letter, company: Company) -> tuple[Draft, Link] | None:
    if not _starts_public_registration(letter):
        return None
    for draft in company.newest_first(open_only=True):
        if (
            draft.is_draft_registration()
            and _within_gap(letter, draft)
            and _admissible(letter, draft)
        ):
            last = draft.letters[-1][0]
            evidence = "the public registration statement after the draft review"
            return draft, Link("draft_registration", last.accession, evidence)
    return None


def _by_cik_reference(letter: Letter, company: Company) -> tuple[Draft, Link] | None:
    """A letter citing only "CIK No." continues the open draft review of the company."""
    if letter.file_numbers or letter.cik_reference is None:
        return None
    for draft in company.newest_first(open_only=True):
        if (
            (letter.cik_reference in draft.cik_references() or draft.is_draft_registration())
            and _within_gap(letter, draft)
            and _admissible(letter, draft)
        ):
            last = draft.letters[-1][0]
            evidence = f"cites CIK {letter.cik_reference} in an open draft review"
            return draft, Link("cik_reference", last.accession, evidence)
    return None


def _by_closing_letter(letter: Letter, company: Company) -> tuple[Draft, Link] | None:
    """A closing letter naming no open review's filing closes the only open review under its
    file number (none when several are open: it cannot tell which)."""
    if letter.sender != "sec" or letter.letter_type not in CLOSING:
        return None
    numbers = set(letter.file_numbers)
    candidates = [
        draft
        for draft in company.newest_first(open_only=True)
        if numbers & draft.file_numbers()
        and _within_gap(letter, draft)
        and _admissible(letter, draft)
        and any(m.sender == "sec" for m, _ in draft.letters)
    ]
    if len(candidates) != 1:
        return None
    (draft,) = candidates
    shared = sorted(numbers & draft.file_numbers())[0]
    last = draft.letters[-1][0]
    evidence = f"closes the only open review under file number {shared}"
    return draft, Link("closing_letter", last.accession, evidence)


def _by_file_number(letter: Letter, company: Company) -> tuple[Draft, Link] | None:
    if _is_staff_comment(letter) and letter.opens_review:
        return None  # a first-round comment letter starts a review of its own
    numbers = set(letter.file_numbers)
    for draft in company.newest_first(open_only=True):
        shared = sorted(numbers & draft.file_numbers())
        if not shared or not _within_gap(letter, draft):
            continue
        if _relation(letter, draft) == Match.DIFFERENT or not _admissible(letter, draft):
            continue
        last = draft.letters[-1][0]
        days = (letter.date - last.date).days if letter.date and last.date else None
        after = f", {days} days after {last.accession}" if days is not None else ""
        evidence = f"same file number {shared[0]} as an open review{after}"
        return draft, Link("file_number", last.accession, evidence)
    return None


_RULES: tuple[Callable[[Letter, Company], tuple[Draft, Link] | None], ...] = (
    _by_reference_accession,
    _by_citation,
    _by_reviewed_filing,
    _by_release_day,
    _by_registration,
    _by_draft_registration,
    _by_cik_reference,
    _by_closing_letter,
    _by_file_number,
)


def _same_day(letter: Letter, day: date) -> bool:
    dates = [d for d in (letter.letter_date, letter.filing_date) if d]
    return any(abs(d - day) <= _CITATION_TOLERANCE for d in dates)


def _starts_public_registration(letter: Letter) -> bool:
    forms = {(f.form or "").removesuffix("/A") for f in letter.reviewed_filings}
    return bool(letter.file_numbers) and bool(forms & _REGISTRATION_FORMS)
