"""What a review led to (indexer/normalize/review_facts.py, resolution.amendments_after) and the
research fields of thread and comment documents built from it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from indexer.documents import (
    comment_documents,
    letter_document,
    letter_from_document,
    thread_document,
)
from indexer.incoming import ListedFiling
from indexer.normalize.letter import Comment, Letter, LetterType, OutcomeMatch, ReviewedFiling
from indexer.normalize.resolution import amendments_after
from indexer.normalize.review_facts import amendment_evidence
from indexer.normalize.threads import build_threads
from tests.unit.indexer.letter_factory import make_letter

TEN_K = ReviewedFiling("10-K", date(2023, 12, 31), date(2024, 2, 20))
NUMBER = ("001-12345",)


def _review(*, answer: str, amendments: tuple[ReviewedFiling, ...] = ()) -> list[Letter]:
    staff = make_letter(
        "0000000000-24-000001",
        date(2024, 5, 1),
        LetterType.COMMENT,
        sender="sec",
        file_numbers=NUMBER,
        reviewed_filings=(TEN_K,),
        comments=(Comment(1, "Revenue", "Please revise to disclose the drivers."),),
        cited_dates=(),
        amendments_filed=amendments,
    )
    response = make_letter(
        "0001326801-24-000002",
        date(2024, 5, 20),
        LetterType.RESPONSE,
        sender="company",
        file_numbers=NUMBER,
        reviewed_filings=(TEN_K,),
        comments=(Comment(1, None, "Please revise to disclose the drivers.", answer),),
        outcomes=(OutcomeMatch("will_revise", 1, answer),),
    )
    closing = make_letter(
        "0000000000-24-000003",
        date(2024, 6, 10),
        LetterType.REVIEW_COMPLETE,
        sender="sec",
        file_numbers=NUMBER,
        reviewed_filings=(TEN_K,),
    )
    return [staff, response, closing]


def test_amendments_after_lists_the_reviewed_forms_amendments_of_the_following_year() -> None:
    listed = [
        ListedFiling("0001326801-24-000010", "10-K/A", date(2024, 6, 1)),
        ListedFiling("0001326801-24-000011", "10-Q/A", date(2024, 6, 2)),  # not reviewed
        ListedFiling("0001326801-23-000012", "10-K/A", date(2023, 6, 2)),  # before the letter
        ListedFiling("0001326801-24-000013", "10-K", date(2024, 6, 3)),  # not an amendment
    ]
    (found,) = amendments_after([TEN_K], listed, date(2024, 5, 1))
    assert (found.form, found.filed_on, found.accession) == (
        "10-K/A",
        date(2024, 6, 1),
        "0001326801-24-000010",
    )
    assert amendments_after([TEN_K], listed, None) == ()


def test_a_review_without_amendment_evidence_is_not_amended() -> None:
    letters = _review(answer="We will expand the discussion in future filings.")
    (thread,) = build_threads(letters)
    assert amendment_evidence(thread, letters) is None
    document = thread_document(thread, {m.accession: m for m in letters})
    assert document["amended"] is False
    assert document["outcomes"] == ["will_revise"]
    assert document["answer_count"] == 1


def test_an_amendment_filed_during_the_review_counts() -> None:
    amendment = ReviewedFiling("10-K/A", None, date(2024, 6, 5), "0001326801-24-000020")
    letters = _review(answer="We will expand it.", amendments=(amendment,))
    (thread,) = build_threads(letters)
    evidence = amendment_evidence(thread, letters)
    assert evidence == "EDGAR lists 10-K/A filed 2024-06-05 (0001326801-24-000020)"
    late = replace(amendment, filed_on=date(2024, 9, 1))  # after the closing letter
    letters = _review(answer="We will expand it.", amendments=(late,))
    assert amendment_evidence(build_threads(letters)[0], letters) is None


def test_an_amended_answer_counts() -> None:
    letters = _review(answer="We have revised page 5.")
    letters[1] = replace(letters[1], outcomes=(OutcomeMatch("amended", 1, "We have revised."),))
    (thread,) = build_threads(letters)
    assert amendment_evidence(thread, letters) == (
        "company letter 0001326801-24-000002: We have revised."
    )


def test_comment_documents_carry_the_answers_outcomes_and_letters_keep_them() -> None:
    letters = _review(answer="We will expand the discussion in future filings.")
    (thread,) = build_threads(letters)
    (comment,) = comment_documents(thread, {m.accession: m for m in letters})
    assert comment["outcomes"] == ["will_revise"]
    assert comment["outcome_evidence"] == [
        {"outcome": "will_revise", "evidence": "We will expand the discussion in future filings."}
    ]
    stored = letter_document(letters[1])
    assert stored["outcomes"] == ["will_revise"]
    assert letter_from_document(stored).outcomes == letters[1].outcomes
    staff = letter_document(letters[0])
    assert letter_from_document(staff).amendments_filed == letters[0].amendments_filed
