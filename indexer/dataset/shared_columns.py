"""Columns that several dataset tables have, declared once so they mean the same everywhere.

Each is a template (``indexer.dataset.columns.Column``) whose meaning names what it belongs
to with ``{whose}``; ``shared_columns`` fills it in for one table ("the letter", "the staff
letter", "under review"). The tables are in ``indexer/dataset/tables.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from indexer.dataset.columns import Column, derived, first_of
from indexer.dataset.derived import outcome_ids, reviewed_accessions, reviewed_filings

__all__ = [
    "OTHER_MEASURES",
    "OUTCOMES_MEASURE",
    "PAIRING_MEASURE",
    "REVIEWED",
    "THREADS_MEASURE",
    "shared_columns",
]

THREADS_MEASURE = "threads (pairwise precision / recall)"
PAIRING_MEASURE = "answer paired with its comment (answers gold)"
OUTCOMES_MEASURE = "outcomes, every (answer, outcome) right (answers gold)"
OTHER_MEASURES = (THREADS_MEASURE, PAIRING_MEASURE, OUTCOMES_MEASURE)
"""Gold measures beside the per-field ones of ``tests/unit/test_gold_accuracy.py``: its
threading measure (``test_thread_assignment_pairwise``) and the answers' pairing and outcomes
of ``tests/unit/test_answers_gold.py``."""

_SHARED: Mapping[str, Column] = MappingProxyType(
    {
        column.name: column
        for column in (
            Column(
                "cik",
                "string",
                "CIK of the company {whose} (10 digits, zero-padded): the first of `ciks`.",
                "EDGAR's filer CIK of the letter (SGML header / daily index).",
                "A letter naming several filers (co-registrants) is listed under the first "
                "only here; see `ciks`.",
                source=first_of("ciks"),
            ),
            Column(
                "ciks",
                "strings",
                "Every CIK {whose} is filed under (10 digits each).",
                "EDGAR's filer CIKs of the submission, in header order.",
            ),
            Column(
                "company",
                "string",
                "Company name {whose}, as EDGAR lists it.",
                "EDGAR's conformed company name (header or submissions JSON).",
                "The name at filing time; companies rename (join on `cik`, not on the name).",
            ),
            Column(
                "sic",
                "string",
                "Standard Industrial Classification code of the company.",
                "From EDGAR's company data when the letter was indexed.",
                "The company's current code, not necessarily the one at the time of the letter.",
            ),
            Column(
                "state",
                "string",
                "State (or country code) of incorporation.",
                "From EDGAR's company data when the letter was indexed.",
                "Often empty for foreign private issuers and older letters.",
            ),
            Column(
                "file_numbers",
                "strings",
                "SEC file numbers {whose}, in EDGAR's form (`001-07933`).",
                "The SGML header's file numbers first, then those of the letter's Re: block, "
                "normalized (`1-7933` -> `001-07933`).",
                "A lifetime `001-` number is shared by every review of the company's periodic "
                "reports.",
                gold="file_numbers",
            ),
            Column(
                "thread_id",
                "string",
                "The review {whose} belongs to: key of `reviews`.",
                "The accession of the review's earliest letter; letters are grouped by the "
                "rules of indexer/normalize/thread_links.py (cited dates, reviewed filing, "
                "release day, file number).",
                "Empty for a letter no review was built for.",
                gold=THREADS_MEASURE,
            ),
            Column(
                "reviewed_forms",
                "strings",
                "Forms of the filings {whose} reviews (e.g. `10-K`, `S-1`), sorted.",
                "The forms of `reviewed_filings`.",
            ),
            Column(
                "reviewed_accessions",
                "strings",
                "Accessions of the reviewed filings {whose} names that were resolved to one.",
                "A Re: block's form with its period or filing date matched to exactly one "
                "filing of the company's EDGAR filing list.",
                "Unresolved filings (no filing list, ambiguous or absent match) are not listed.",
                source=derived(reviewed_accessions, "reviewed_filings"),
            ),
            Column(
                "reviewed_filings",
                "json",
                "The filings {whose} reviews: a JSON list of objects with `form`, `period_end` "
                "(an 8-K's event date), `filed_on`, `filed_by` (when someone else filed it) and "
                "`accession` (null when unresolved).",
                "Parsed from the Re: block (and the UPLOAD header's reference accession).",
                gold="reviewed_filings",
                source=derived(reviewed_filings, "reviewed_filings"),
            ),
            Column(
                "office",
                "string",
                "The Division of Corporation Finance office that signed {whose}.",
                "The canonical office name of indexer/normalize/people.py, else the name as "
                "printed.",
                "Empty when the letter names no office (most company letters).",
                gold="office",
            ),
            Column(
                "staff_names",
                "strings",
                "Staff members named in {whose} (signature and contact lines).",
                "Names recognized in the letter's closing and contact sentences.",
                gold="staff names",
            ),
            Column(
                "released_on",
                "date",
                "The day EDGAR made {whose} public.",
                "The daily index day that first listed the filing (for backfilled filings, the "
                "release date in the SEC header).",
                "Letters are released at least 20 business days after a review closes, so this "
                "is usually weeks after `letter_date`.",
            ),
            Column(
                "year",
                "int",
                "Year of the letter date (else of the filing date).",
                "From `letter_date`, or `filing_date` when no date was printed.",
            ),
            Column(
                "outcomes",
                "strings",
                "How the company answered {whose}, as outcome ids: `will_revise`, `amended`, "
                "`supplemental`, `no_change`, `confidential`, `other`.",
                "The index document's `outcomes`: rules on the answering letters' text "
                "(indexer/normalize/outcomes.py).",
                "Empty where the index holds no outcomes (written before outcomes were "
                "derived: run `corresp reindex`).",
                gold=OUTCOMES_MEASURE,
                source=derived(outcome_ids, "outcomes"),
            ),
            Column(
                "url",
                "string",
                "EDGAR index page of {whose}.",
                "Built from the first CIK and the accession.",
            ),
        )
    }
)
"""Columns several tables have, their meaning naming what they belong to (``{whose}``)."""


def shared_columns(*names: str, whose: str = "") -> tuple[Column, ...]:
    """The shared columns ``names``, said of ``whose``."""
    return tuple(
        replace(_SHARED[name], meaning=_SHARED[name].meaning.format(whose=whose)) for name in names
    )


REVIEWED = ("reviewed_forms", "reviewed_accessions", "reviewed_filings")
"""The reviewed-filing columns, in their order."""
