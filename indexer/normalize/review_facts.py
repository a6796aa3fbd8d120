"""What a review led to, read from its letters: whether the company amended the filing under
review, and the evidence. Pure.

A review counts as amended when, between its first letter and its closing letter (the last
letter while it is open):

- the company filed an amendment (``/A``) of a reviewed form, as its submissions JSON lists
  it (``Letter.amendments_filed``, from ``resolution.amendments_after``);
- a company answer says it revised or will amend the filing (the ``amended`` outcome);
- a later staff letter reviews an amendment of the reviewed form ("Amendment No. 1 to
  Registration Statement on Form S-1"), or mentions one the company filed.

The evidence is one line naming the source. A review whose letters show none of these is not
amended as far as the letters and EDGAR's list tell; the company may still have changed a
later filing (``will_revise`` answers).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from indexer.normalize.filings import form_family
from indexer.normalize.letter import Letter
from indexer.normalize.literals import may_match, required_literals
from indexer.normalize.threads import Thread

__all__ = ["amendment_evidence"]

_STAFF_MENTION = re.compile(
    r"\b(?:Amendment No\.? ?\d+ to (?:the |your )?(?:Registration Statement|Form|Annual|"
    r"Quarterly|Offering|Schedule|Proxy)|(?:you|the Company) (?:have |has )?filed an amendment)"
    r"[^.\n]{0,80}",
    re.IGNORECASE,
)
_STAFF_MENTION_NEEDS = required_literals(_STAFF_MENTION.pattern)


def amendment_evidence(thread: Thread, letters: Sequence[Letter]) -> str | None:
    """Why the review of ``thread`` counts as amended (None when nothing shows it);
    ``letters`` are its letters, oldest first."""
    if not letters or thread.opened_on is None:
        return None
    until = thread.closed_on or max((m.date for m in letters if m.date), default=None)
    if until is None:
        return None
    return (
        _filed(letters, thread.opened_on, until) or _answered(letters) or _staff_reviewed(letters)
    )


def _filed(letters: Sequence[Letter], since: date, until: date) -> str | None:
    for letter in letters:
        for filing in letter.amendments_filed:
            if filing.filed_on and since <= filing.filed_on <= until:
                return f"EDGAR lists {filing.form} filed {filing.filed_on} ({filing.accession})"
    return None


def _answered(letters: Sequence[Letter]) -> str | None:
    for letter in letters:
        for match in letter.outcomes:
            if match.outcome == "amended":
                return f"company letter {letter.accession}: {match.evidence}"
    return None


def _staff_reviewed(letters: Sequence[Letter]) -> str | None:
    staff = [m for m in letters if m.sender == "sec"]
    if not staff:
        return None
    first = {form_family(f.form) for f in staff[0].reviewed_filings if f.form}
    for letter in staff[1:]:
        for filing in letter.reviewed_filings:
            amended = (filing.form or "").upper().endswith("/A")
            if amended and form_family(filing.form) in first:
                return f"staff letter {letter.accession} reviews {filing.form}"
        if may_match(_STAFF_MENTION_NEEDS, letter.text) and (
            mention := _STAFF_MENTION.search(letter.text)
        ):
            return f"staff letter {letter.accession}: {' '.join(mention.group(0).split())}"
    return None
