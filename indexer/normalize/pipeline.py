"""``normalize_letter``: from an ``IncomingLetter`` to a ``Letter``, never raising.

Steps, each a pure function of the cleaned text: the printed date, the Re: block (file
numbers, reviewed filings, a cited CIK), numbered comments (with the company's answers),
the letter type, dates of earlier letters cited, SEC staff and office, and topics. Header
facts (file numbers, the reviewed filing's accession) come first where EDGAR provides them.

A letter that cannot be understood still yields a ``Letter``: each step that fails or finds
nothing it should have found leaves a warning instead of an exception. This module holds the
normalizer's one guard against unexpected errors in a step (``_guarded``), so that a single
odd letter can never stop an ingest. The guard also times the steps when asked (``timings``,
for ``bench/normalize_bench.py``); the clock never changes what a step returns.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from indexer.incoming import IncomingLetter, TextSource
from indexer.normalize.citations import find_cited_dates
from indexer.normalize.classify import classify_letter, opens_review
from indexer.normalize.comments import CommentParse, parse_comments
from indexer.normalize.dates import find_letter_date
from indexer.normalize.letter import (
    CitedDate,
    Comment,
    Letter,
    LetterType,
    OutcomeMatch,
    ReviewedFiling,
    StaffMember,
    TopicMatch,
)
from indexer.normalize.outcomes import OutcomeRules, assign_outcomes
from indexer.normalize.people import find_office, find_staff
from indexer.normalize.reblock import ReferenceBlock, parse_reference_block
from indexer.normalize.resolution import amendments_after, resolve_filings
from indexer.normalize.text import clean_text
from indexer.normalize.topics import Taxonomy, assign_topics

__all__ = ["normalize_letter"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

_STAFF_FORMS = frozenset({"UPLOAD"})
_DATE_TOLERANCE = timedelta(days=400)
_EMPTY_BLOCK = ReferenceBlock("", (), (), (), None)


def normalize_letter(
    incoming: IncomingLetter,
    *,
    taxonomy: Taxonomy | None = None,
    outcome_rules: OutcomeRules | None = None,
    timings: dict[str, float] | None = None,
) -> Letter:
    """Every field of the letter that its text and header support. ``taxonomy`` and
    ``outcome_rules`` default to the packaged ones. ``timings``, when given, gets the seconds
    of each step added under the step's name ("cleaning", "comments" and its parts, "topics" …)."""
    warnings = list(incoming.extraction_warnings)

    def guarded(step: str, compute: Callable[[], T], fallback: T) -> T:
        return _guarded(step, compute, fallback, warnings, timings)

    sender = "sec" if incoming.form in _STAFF_FORMS else "company"
    text = guarded("cleaning", lambda: clean_text(incoming.text), incoming.text)
    if incoming.text_source == TextSource.NONE or not text.strip():
        warnings.append("no text: the letter could not be read")
    letter_date = guarded("letter date", lambda: find_letter_date(text), None)
    if letter_date is None and text.strip():
        warnings.append("no letter date found")
    filed = incoming.filing_date
    if letter_date and filed and abs(letter_date - filed) > _DATE_TOLERANCE:
        warnings.append(f"letter date {letter_date} is far from the filing date {filed}")
    reference = guarded("Re: block", lambda: parse_reference_block(text), _EMPTY_BLOCK)
    parsed = guarded(
        "comments",
        lambda: parse_comments(text, sender=sender, timings=timings),
        CommentParse((), ()),
    )
    warnings.extend(parsed.warnings)
    comments = parsed.comments
    letter_type = guarded(
        "letter type",
        lambda: classify_letter(text, form=incoming.form, comment_count=len(comments)),
        LetterType.OTHER,
    )
    citation_text = _without_restated_comments(text, comments) if sender == "company" else text
    cited: tuple[CitedDate, ...] = guarded(
        "cited dates", lambda: find_cited_dates(citation_text, sender=sender), ()
    )
    staff: tuple[StaffMember, ...] = (
        guarded("staff", lambda: find_staff(text), ()) if sender == "sec" else ()
    )
    office = guarded("office", lambda: find_office(text), None)
    topics: tuple[TopicMatch, ...] = guarded(
        "topics", lambda: assign_topics(comments, taxonomy=taxonomy, letter_text=text), ()
    )
    reviewed = _reviewed_filings(incoming, reference)
    amendments: tuple[ReviewedFiling, ...] = guarded(
        "amendments",
        lambda: amendments_after(
            reviewed, incoming.company_filings, letter_date or incoming.filing_date
        ),
        (),
    )
    outcomes: tuple[OutcomeMatch, ...] = (
        guarded("outcomes", lambda: assign_outcomes(comments, rules=outcome_rules), ())
        if sender == "company"
        else ()
    )
    return Letter(
        accession=incoming.accession,
        form=incoming.form,
        sender=sender,
        filing_date=incoming.filing_date,
        letter_date=letter_date,
        ciks=incoming.ciks,
        company=incoming.company,
        letter_type=letter_type,
        file_numbers=_file_numbers(incoming, reference),
        reviewed_filings=guarded(
            "reviewed filings",
            lambda: resolve_filings(
                _reviewed_filings(incoming, reference),
                incoming.company_filings,
                file_numbers=_file_numbers(incoming, reference),
            ),
            _reviewed_filings(incoming, reference),
        ),
        cited_dates=cited,
        comments=comments,
        staff=staff,
        office=office,
        topics=topics,
        text_source=str(incoming.text_source),
        text=text,
        warnings=tuple(dict.fromkeys(warnings)),
        released_on=incoming.released_on,
        cik_reference=reference.cik_reference,
        reference_accession=incoming.public_reference_accession,
        opens_review=(
            letter_type == LetterType.COMMENT
            and sender == "sec"
            and not cited
            and guarded("review opening", lambda: opens_review(text), False)
        ),
        extra=_facts(incoming),
        outcomes=outcomes,
        amendments_filed=amendments,
    )


def _facts(incoming: IncomingLetter) -> dict[str, object]:
    """What EDGAR says about the filing beyond the letter itself, for the index."""
    facts: dict[str, object] = {
        "first_seen_at": incoming.first_seen_at.isoformat() if incoming.first_seen_at else None,
        "accepted_at": incoming.accepted_at.isoformat() if incoming.accepted_at else None,
        "sic": incoming.sic,
        "state_of_incorporation": incoming.state_of_incorporation,
        "fiscal_year_end": incoming.fiscal_year_end,
        "office_code": incoming.office_code,
        "source_url": incoming.source_url,
        "primary_document": incoming.primary_document,
        "filed_within": incoming.filed_within,
        "ocr_confidence": incoming.text_confidence,
        "documents": [{"name": d.name, "type": d.type, "size": d.size} for d in incoming.documents],
    }
    return {key: value for key, value in facts.items() if value not in (None, [])}


def _guarded(
    step: str,
    compute: Callable[[], T],
    fallback: T,
    warnings: list[str],
    timings: dict[str, float] | None = None,
) -> T:
    """Run one normalization step; an unexpected error becomes a warning, not a crash. With
    ``timings``, the step's seconds are added under its name."""
    started = time.perf_counter()
    try:
        return compute()
    except Exception as exc:  # one odd letter must not stop an ingest (module docstring)
        logger.exception("normalization step %r failed", step)
        warnings.append(f"{step}: internal error ({type(exc).__name__}: {exc})")
        return fallback
    finally:
        if timings is not None:
            timings[step] = timings.get(step, 0.0) + time.perf_counter() - started


def _file_numbers(incoming: IncomingLetter, reference: ReferenceBlock) -> tuple[str, ...]:
    """Header file numbers first (EDGAR's own), then those of the Re: block."""
    return tuple(dict.fromkeys((*incoming.header_file_numbers, *reference.file_numbers)))


def _reviewed_filings(
    incoming: IncomingLetter, reference: ReferenceBlock
) -> tuple[ReviewedFiling, ...]:
    filings = list(reference.reviewed_filings)
    accession = incoming.public_reference_accession
    if accession:
        if filings:
            first = filings[0]
            filings[0] = ReviewedFiling(first.form, first.period_end, first.filed_on, accession)
        else:
            filings.append(ReviewedFiling(None, None, None, accession))
    return tuple(filings)


def _without_restated_comments(text: str, comments: tuple[Comment, ...]) -> str:
    """A response's text minus the staff comments it restates (their dates are the staff's)."""
    flat = " ".join(text.split())
    for comment in comments:
        restated = " ".join(comment.text.split())
        if len(restated) > 40:
            flat = flat.replace(restated, " ")
    return flat
