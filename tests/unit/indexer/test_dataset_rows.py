"""Dataset rows from the project's own documents of one synthetic review (indexer/dataset)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from indexer.dataset.columns import Column, Table, build_row, to_value
from indexer.dataset.tables import COMMENTS, LETTERS, REVIEWS, TABLES
from indexer.documents import comment_documents, letter_document, thread_document
from indexer.normalize.letter import Comment, Letter, LetterType, ReviewedFiling
from indexer.normalize.threads import build_threads
from indexer.schema import mappings
from tests.unit.indexer.letter_factory import make_letter

TEN_K = ReviewedFiling("10-K", date(2023, 12, 31), date(2024, 2, 20), "0001326801-24-000012")
ASKED = (Comment(1, "Revenue", "Tell us how you recognize revenue."), Comment(2, None, "Explain."))
ANSWERED = (Comment(1, "Revenue", "Tell us …", "We recognize revenue when …"),)


def _letter(accession: str, day: date, kind: LetterType, **fields: Any) -> Letter:
    staff = kind in (LetterType.COMMENT, LetterType.REVIEW_COMPLETE)
    return make_letter(
        accession,
        day,
        kind,
        sender="sec" if staff else "company",
        file_numbers=("001-35551",),
        reviewed_filings=(TEN_K,),
        **fields,
    )


def _review(*, closed: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """Letters, comments and thread documents of a review: a response precedes the staff
    letter in the thread (a company letter dated first), then comments, answer, closing."""
    letters = [
        _letter("0000000000-24-000100", date(2024, 5, 1), LetterType.COMMENT, comments=ASKED),
        _letter("0001326801-24-000200", date(2024, 5, 20), LetterType.RESPONSE, comments=ANSWERED),
    ]
    if closed:
        letters.append(
            _letter("0000000000-24-000300", date(2024, 6, 14), LetterType.REVIEW_COMPLETE)
        )
    (thread,) = build_threads(letters)
    by_accession = {letter.accession: letter for letter in letters}
    letter_docs = [letter_document(letter, thread_id=thread.thread_id) for letter in letters]
    comment_docs = list(comment_documents(thread, by_accession))
    return letter_docs, comment_docs, thread_document(thread, by_accession)


def test_letter_rows_carry_keys_cik_dates_and_file_numbers() -> None:
    letters, _, thread = _review(closed=True)
    row = build_row(LETTERS, letters[0])
    assert row["accession"] == "0000000000-24-000100"
    assert row["cik"] == "0001326801"
    assert row["ciks"] == ["0001326801"]
    assert row["letter_date"] == date(2024, 5, 1)
    assert row["file_numbers"] == ["001-35551"]
    assert row["thread_id"] == thread["thread_id"]
    assert row["comment_count"] == 2
    assert row["sender"] == "sec"
    assert row["reviewed_forms"] == ["10-K"]
    assert row["reviewed_accessions"] == ["0001326801-24-000012"]
    assert '"period_end":"2023-12-31"' in row["reviewed_filings"]
    assert row["ocr_confidence"] is None
    assert set(row) == set(LETTERS.column_names)


def test_comment_rows_have_the_answer_and_outcomes() -> None:
    _, comments, thread = _review(closed=True)
    first, second = (build_row(COMMENTS, doc) for doc in comments)
    assert first["comment_id"] == "0000000000-24-000100-1"
    assert first["accession"] == "0000000000-24-000100"
    assert first["thread_id"] == thread["thread_id"]
    assert first["has_response"] is True
    assert first["response"] == "We recognize revenue when …"
    assert first["response_accession"] == "0001326801-24-000200"
    assert first["response_date"] == date(2024, 5, 20)
    assert first["cik"] == "0001326801"
    assert first["file_numbers"] == ["001-35551"]
    assert second["has_response"] is False
    assert second["response"] is None
    # An index written before outcomes existed has no such field: an empty list, same column.
    assert "outcomes" not in comments[1] or comments[1]["outcomes"] == []
    assert build_row(COMMENTS, {**comments[1], "outcomes": None})["outcomes"] == []
    with_outcomes = build_row(COMMENTS, {**comments[0], "outcomes": ["revised_disclosure"]})
    assert with_outcomes["outcomes"] == ["revised_disclosure"]


def test_review_rows_measure_days_to_close_from_the_first_staff_letter() -> None:
    _, _, thread = _review(closed=True)
    row = build_row(REVIEWS, thread)
    assert row["thread_id"] == "0000000000-24-000100"
    assert row["status"] == "closed"
    assert row["cik"] == "0001326801"
    assert row["first_staff_letter_date"] == date(2024, 5, 1)
    assert row["last_letter_date"] == row["closed_on"] == date(2024, 6, 14)
    assert row["days_to_close"] == 44
    assert row["rounds"] == 1
    assert row["letter_count"] == 3
    assert row["staff_letter_count"] == 2
    assert row["comment_count"] == 2
    assert row["accessions"] == [
        "0000000000-24-000100",
        "0001326801-24-000200",
        "0000000000-24-000300",
    ]
    assert row["reviewed_accessions"] == ["0001326801-24-000012"]


def test_an_open_review_has_no_days_to_close() -> None:
    _, _, thread = _review(closed=False)
    row = build_row(REVIEWS, thread)
    assert row["status"] == "open"
    assert row["closed_on"] is None
    assert row["days_to_close"] is None
    assert row["last_letter_date"] == date(2024, 5, 20)


@pytest.mark.parametrize(
    ("kind", "given", "held"),
    [
        ("date", "2024-05-01T00:00:00Z", date(2024, 5, 1)),
        ("strings", None, []),
        ("strings", ["a", None, 3], ["a", "3"]),
        ("json", {"b": 1, "a": [None]}, '{"a":[null],"b":1}'),
        ("int", "7", 7),
        ("float", 88, 88.0),
        ("bool", 1, True),
        ("string", None, None),
    ],
)
def test_values_are_normalized_by_type(kind: Any, given: Any, held: Any) -> None:
    assert to_value(kind, given) == held


def test_walks_never_read_a_letters_text_or_stored_comments() -> None:
    assert not {"text", "comments", "topic_matches"} & set(LETTERS.source_fields)
    assert "source.ocr_confidence" in LETTERS.source_fields
    assert {"letters.date", "letters.form", "letters.accession"} <= set(REVIEWS.source_fields)


# Fields a table may read that an index may not hold yet: outcomes and what a review led
# to are derived by the outcome rules (read as empty where absent).
NOT_YET_EVERYWHERE = {"outcomes", "answer_count", "amended", "amended_evidence"}


def test_fields_an_older_index_lacks_are_empty_not_errors() -> None:
    _, _, thread = _review(closed=True)
    older = {k: v for k, v in thread.items() if k not in NOT_YET_EVERYWHERE}
    row = build_row(REVIEWS, older)
    assert row["outcomes"] == []
    assert row["amended"] is None
    assert row["answer_count"] is None
    assert set(row) == set(REVIEWS.column_names)
    letter = build_row(LETTERS, {"accession": "x"})
    assert letter["outcomes"] == []


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_field_read_is_in_the_index_mapping(table: Table) -> None:
    """A document field renamed in indexer/documents.py and schema.py fails here, not in a
    researcher's empty column."""
    properties = mappings(table.kind, rich=False)["properties"]
    missing = {f for f in table.source_fields if f.split(".")[0] not in properties}
    assert missing <= NOT_YET_EVERYWHERE


def test_a_table_refuses_a_duplicate_column_or_a_missing_key() -> None:
    column = Column("a", "string", "A.", "From a.")
    with pytest.raises(ValueError, match="twice"):
        Table("t", "letters", "a", "Rows.", (column, column))
    with pytest.raises(ValueError, match="key b"):
        Table("t", "letters", "b", "Rows.", (column,))
