"""The dataset's three tables, declared once: ``LETTERS``, ``COMMENTS`` and ``REVIEWS``.

Keys: ``letters.accession``, ``comments.comment_id``, ``reviews.thread_id``; links:
``comments.accession`` -> ``letters.accession`` (the staff letter), ``letters.thread_id`` and
``comments.thread_id`` -> ``reviews.thread_id``. Every table carries the company's CIK, its
dates and its file numbers, so each can be used alone. Columns several tables have are
declared once in ``indexer/dataset/shared_columns.py``, so they mean the same everywhere.

Everything else about the dataset (rows, files, the fields read from Elasticsearch,
``DATA_DICTIONARY.md``) is made from these declarations (``indexer/dataset/columns.py``).
"""

from __future__ import annotations

from indexer.dataset.columns import Column, Table, derived
from indexer.dataset.derived import (
    STAFF_FORM,
    days_to_close,
    first_staff_letter_date,
    last_letter_date,
    letter_accessions,
    letters_of_form,
    ocr_confidence,
)
from indexer.dataset.shared_columns import (
    PAIRING_MEASURE,
    REVIEWED,
    THREADS_MEASURE,
    shared_columns,
)

__all__ = ["COMMENTS", "LETTERS", "REVIEWS", "TABLES"]

_TOPICS_LIMITS = (
    "Keyword rules, not hand-coded; a comment matching no rule gets `other`. See the taxonomy "
    "in indexer/normalize/topics.yaml."
)

_NOT_YET = "Empty where the index was written before this was derived (`corresp reindex`)."

_WHOLE_REVIEW = (
    "Counts the whole review: in a filtered dataset, letters the filter left out (and their "
    "comments) count too but have no rows."
)


_ACCESSION = Column(
    "accession",
    "string",
    "EDGAR accession number of the letter (`0000320193-24-000061`): key of `letters`.",
    "From EDGAR. A letter filed as a document inside another submission has the "
    "submission's accession plus `.` and the document's sequence.",
)
_FORM = Column(
    "form", "string", "EDGAR form: UPLOAD (staff), CORRESP or DRSLTR (company).", "From EDGAR."
)
_LETTER_TYPE = Column(
    "letter_type",
    "string",
    "Staff letters: `comment`, `review_complete`, `no_review`, `other`; company letters: "
    "`response` (the only answer), `extension_request`, `acceleration_request`, "
    "`withdrawal_request`, `supplemental`, `other`.",
    "Rules on the form and the letter's opening words (indexer/normalize/classify.py).",
    gold="letter_type",
)

LETTERS = Table(
    name="letters",
    kind="letters",
    key="accession",
    row="One row per letter (staff letters and company responses).",
    columns=(
        _ACCESSION,
        _FORM,
        Column(
            "sender",
            "string",
            "Who wrote the letter: `sec` (the staff) or `company`.",
            "From the form: UPLOAD is the staff's, CORRESP and DRSLTR the company's.",
        ),
        _LETTER_TYPE,
        *shared_columns("cik", whose="that filed or received the letter"),
        *shared_columns("ciks", whose="the letter"),
        *shared_columns("company", whose="of the letter"),
        *shared_columns("sic", "state"),
        Column(
            "fiscal_year_end",
            "string",
            "The company's fiscal year end (`MMDD`).",
            "From EDGAR's company data.",
        ),
        Column(
            "letter_date",
            "date",
            "The date printed on the letter.",
            "Parsed from the letter's date line (indexer/normalize/dates.py).",
            "Empty when no date could be read; `year` then uses `filing_date`.",
            gold="letter_date",
        ),
        Column(
            "filing_date",
            "date",
            "EDGAR's filing date of the submission.",
            "From EDGAR (daily index or SGML header).",
        ),
        *shared_columns("released_on", whose="the letter"),
        *shared_columns("year"),
        *shared_columns("file_numbers", whose="the letter names"),
        *shared_columns("thread_id", whose="the letter"),
        Column(
            "opens_review",
            "bool",
            "A staff comment letter in first-round words that cites no earlier letter.",
            'Its opening ("We have reviewed your filing and have the following comments").',
        ),
        *shared_columns(*REVIEWED, whose="the letter"),
        Column(
            "comment_count",
            "int",
            "Numbered comments in the letter (restated ones for a response).",
            "Segmentation of the letter text into numbered comments "
            "(indexer/normalize/comments.py).",
            "Counts of staff letters are checked on the gold set; company letters that answer "
            "in prose without restating comments have 0.",
            gold="comment_count (staff comment letters)",
        ),
        *shared_columns("staff_names", "office", whose="the letter"),
        Column(
            "topics",
            "strings",
            "Topic ids of the letter's comments (or of its body when it has none), sorted.",
            "Taxonomy rules on comment headings and text.",
            _TOPICS_LIMITS,
        ),
        *shared_columns("outcomes", whose="the comments a response restates"),
        Column(
            "text_source",
            "string",
            "Where the text came from: `text_extract`, `pdf_text`, `html`, `plain`, `ocr`, `none`.",
            "The extractor that produced the text the other columns were read from.",
            "`ocr` text has recognition errors; `none` letters have no text-derived values.",
        ),
        Column(
            "ocr_confidence",
            "float",
            "Mean Tesseract word confidence (0-100) of a letter read by OCR.",
            "From the OCR of the scanned pages.",
            "Empty unless `text_source` is `ocr`.",
            source=derived(ocr_confidence, "source.ocr_confidence"),
        ),
        Column(
            "warnings",
            "json",
            "What the normalizer could not read well, as a JSON list of sentences.",
            "Collected while normalizing (no date, no comments found, …).",
        ),
        *shared_columns("url", whose="the letter"),
    ),
)

COMMENTS = Table(
    name="comments",
    kind="comments",
    key="comment_id",
    row="One row per numbered staff comment, with the company's answer to it.",
    columns=(
        Column(
            "comment_id",
            "string",
            "The comment: `{accession}-{number}`; key of `comments`.",
            "The staff letter's accession and the comment's number.",
        ),
        Column(
            "accession",
            "string",
            "The staff letter that made the comment: link to `letters.accession`.",
            "The letter the comment was segmented from.",
        ),
        *shared_columns("thread_id", whose="the comment"),
        Column(
            "number",
            "int",
            "The comment's number in its letter.",
            "The number printed before the comment.",
        ),
        Column(
            "heading",
            "string",
            "The caption the comment sits under (e.g. `Non-GAAP Measures`).",
            "The heading line before the comment in the staff letter.",
            "Empty when the letter has no headings.",
            gold="comment headings",
        ),
        Column("text", "string", "The comment's text.", "Segmented from the staff letter's text."),
        Column(
            "response",
            "string",
            "The company's answer to the comment.",
            "From the first later company letter of the review, before the next staff letter "
            "with comments, that restates the comment by its number (the text after it).",
            "Empty when no response restates the comment by number (answers in prose, "
            "responses not on EDGAR); see `has_response`.",
            gold=PAIRING_MEASURE,
        ),
        Column(
            "has_response",
            "bool",
            "Whether `response` was found.",
            "`response` is not empty.",
        ),
        Column(
            "response_accession",
            "string",
            "The company letter that answered (a row of `letters` when selected).",
            "The letter `response` was taken from.",
            "The answer is not among the selected letters when a filter left it out.",
        ),
        Column(
            "response_date",
            "date",
            "Date of the answering letter.",
            "Its printed date, else its filing date.",
        ),
        Column(
            "topics",
            "strings",
            "Topic ids of the comment, sorted.",
            "Taxonomy rules on the comment's heading and text.",
            _TOPICS_LIMITS,
        ),
        *shared_columns("outcomes", whose="the comment"),
        *shared_columns("cik", "company", whose="that received the comment"),
        *shared_columns("ciks", whose="the staff letter"),
        *shared_columns("sic", "state"),
        _FORM,
        _LETTER_TYPE,
        Column(
            "letter_date",
            "date",
            "Date of the staff letter: its printed date, else its filing date.",
            "From the staff letter.",
            "Unlike `letters.letter_date`, falls back to the filing date.",
        ),
        *shared_columns("released_on", whose="the staff letter"),
        *shared_columns("year"),
        *shared_columns("file_numbers", whose="the staff letter names"),
        *shared_columns("office", "staff_names", "url", whose="the staff letter"),
    ),
)

REVIEWS = Table(
    name="reviews",
    kind="threads",
    key="thread_id",
    row="One row per review (thread): a filing's review from first letter to closing letter.",
    columns=(
        Column(
            "thread_id",
            "string",
            "The review: key of `reviews` (the accession of its earliest letter).",
            "Threading rules of indexer/normalize/thread_links.py.",
            gold=THREADS_MEASURE,
        ),
        *shared_columns("cik", "company", whose="under review"),
        *shared_columns("ciks", whose="the review's letters"),
        *shared_columns("sic", "state"),
        *shared_columns("file_numbers", whose="the review's letters name, most named first"),
        *shared_columns(*REVIEWED, whose="the review"),
        Column(
            "status",
            "string",
            "`closed` (a closing letter), `open`, `no_review` (the staff declined to review), "
            "`response_only` (company letters only).",
            "From the letter types of the review's letters.",
            "`open` also covers reviews whose closing letter is not on EDGAR or not indexed.",
        ),
        Column(
            "opened_on",
            "date",
            "Date of the review's first letter.",
            "Earliest letter date (printed, else filing date) of its letters.",
        ),
        Column(
            "first_staff_letter_date",
            "date",
            "Date of the review's first staff letter (form UPLOAD).",
            "Earliest date of its UPLOAD letters.",
            source=derived(first_staff_letter_date, "letters.date", "letters.form"),
        ),
        Column(
            "last_letter_date",
            "date",
            "Date of the review's latest letter.",
            "Latest date of its letters.",
            source=derived(last_letter_date, "letters.date"),
        ),
        Column(
            "closed_on",
            "date",
            "Date of the closing letter (`review_complete` or `no_review`).",
            "The date of the review's last closing letter.",
            "Empty while the review is open.",
        ),
        Column(
            "days_to_close",
            "int",
            "Days from the first staff letter to the closing letter.",
            "`closed_on` minus `first_staff_letter_date` (as bench/thread_stats.py measures).",
            "Empty for open reviews and reviews without a dated staff letter.",
            source=derived(days_to_close, "closed_on", "letters.date", "letters.form"),
        ),
        Column(
            "days_open",
            "int",
            "Days from the first letter to the closing letter, or to the last letter while open.",
            "`closed_on` (else `last_letter_date`) minus `opened_on`.",
        ),
        Column(
            "rounds",
            "int",
            "Staff letters with comments (the first round and follow-ups).",
            "Staff letters of type `comment` in the review.",
            "Extension requests and other letters that answer nothing are never rounds.",
        ),
        Column(
            "letter_count",
            "int",
            "Letters in the review.",
            "Every letter of either side threaded into the review.",
            _WHOLE_REVIEW,
        ),
        Column(
            "staff_letter_count",
            "int",
            "Staff letters (form UPLOAD) in the review.",
            "Its letters of form UPLOAD.",
            _WHOLE_REVIEW,
            source=derived(letters_of_form(STAFF_FORM), "letters.form"),
        ),
        Column(
            "comment_count",
            "int",
            "Numbered staff comments in the review (rows of `comments` for it).",
            "The sum of its staff letters' comment counts.",
            _WHOLE_REVIEW,
        ),
        Column(
            "topics",
            "strings",
            "Topic ids of the review's letters, without `other`, sorted.",
            "Union of its letters' topics.",
            _TOPICS_LIMITS,
        ),
        *shared_columns("outcomes", whose="the review's comments"),
        Column(
            "answer_count",
            "int",
            "Numbered comments the company answered in the review.",
            "Restated comments with an answer in the review's company letters.",
            f"{_WHOLE_REVIEW} {_NOT_YET}",
        ),
        Column(
            "amended",
            "bool",
            "Whether the company amended the filing under review during the review.",
            "An amendment (`/A`) of a reviewed form filed between the first and the closing "
            "letter (EDGAR's filing list), an answer saying the company revised or will amend "
            "the filing, or a later staff letter reviewing an amendment "
            "(indexer/normalize/review_facts.py).",
            "False only says that the letters and EDGAR's list show no amendment (a later "
            f"filing may still change). {_NOT_YET}",
        ),
        Column(
            "amended_evidence",
            "string",
            "Why `amended` is true: one line naming the source.",
            "The first of the signs listed under `amended` that was found.",
        ),
        *shared_columns("office", whose="the review's latest staff letter"),
        *shared_columns("released_on", whose="the review's latest released letter"),
        Column(
            "year",
            "int",
            "Year the review opened.",
            "From `opened_on`.",
        ),
        Column(
            "accessions",
            "strings",
            "The review's letters in order (links to `letters.accession`).",
            "Its letters ordered by date, staff letters before company letters on one day.",
            _WHOLE_REVIEW,
            source=derived(letter_accessions, "letters.accession"),
        ),
        Column(
            "warnings",
            "json",
            "What the threader could say little about, as a JSON list of sentences.",
            "Letters without a date, or naming no file number, reviewed filing or citation.",
        ),
    ),
)

TABLES = (LETTERS, COMMENTS, REVIEWS)
"""The tables in the order they are written (each walk needs the keys of the one before)."""
