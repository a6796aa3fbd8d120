"""Review threads on synthetic letters: every linking rule, boundaries, stable ids, order."""

from __future__ import annotations

import random
from datetime import date

from indexer.normalize.filings import Match, relation
from indexer.normalize.letter import CitedDate, Letter, LetterType, ReviewedFiling
from indexer.normalize.thread_links import Company, Draft
from indexer.normalize.threads import build_threads
from tests.unit.indexer.letter_factory import make_letter

TEN_K = ReviewedFiling("10-K", date(2021, 12, 31), date(2022, 2, 4))
S4 = ReviewedFiling("S-4", None, date(2022, 11, 15))


def letter(
    accession: str,
    day: date,
    letter_type: LetterType,
    *,
    numbers: tuple[str, ...] = ("001-35551",),
    filings: tuple[ReviewedFiling, ...] = (TEN_K,),
    cited: tuple[CitedDate, ...] = (),
    cik_reference: str | None = None,
) -> Letter:
    staff = letter_type in (LetterType.COMMENT, LetterType.REVIEW_COMPLETE, LetterType.NO_REVIEW)
    return make_letter(
        accession,
        day,
        letter_type,
        sender="sec" if staff else "company",
        file_numbers=numbers,
        reviewed_filings=filings,
        cited_dates=cited,
        cik_reference=cik_reference,
    )


def _periodic_review() -> list[Letter]:
    return [
        letter("0000000000-22-010750", date(2022, 9, 29), LetterType.COMMENT),
        letter("0000950103-22-017167", date(2022, 10, 4), LetterType.EXTENSION_REQUEST),
        letter(
            "0000950103-22-018399",
            date(2022, 10, 26),
            LetterType.RESPONSE,
            cited=(CitedDate(date(2022, 9, 29), "staff_letter"),),
        ),
        letter(
            "0000000000-22-012584",
            date(2022, 11, 21),
            LetterType.COMMENT,
            cited=(CitedDate(date(2022, 10, 26), "response"),),
        ),
        letter("0000950103-22-021265", date(2022, 12, 9), LetterType.RESPONSE),
        letter("0000000000-23-000100", date(2023, 1, 5), LetterType.REVIEW_COMPLETE),
    ]


def _registration_review() -> list[Letter]:
    return [
        letter(
            "0000000000-22-012585",
            date(2022, 11, 21),
            LetterType.NO_REVIEW,
            numbers=("333-268363",),
            filings=(S4,),
        ),
        letter(
            "0000950103-22-019968",
            date(2022, 11, 22),
            LetterType.ACCELERATION_REQUEST,
            numbers=("333-268363",),
            filings=(S4,),
        ),
    ]


def test_interleaved_periodic_and_registration_reviews_stay_apart() -> None:
    threads = build_threads(_periodic_review() + _registration_review())
    assert [len(t.letters) for t in threads] == [6, 2]
    periodic, registration = threads
    assert periodic.thread_id == "0000000000-22-010750"  # its earliest letter
    assert periodic.status == "closed"
    assert periodic.rounds == 2
    assert (periodic.opened_on, periodic.closed_on, periodic.days_open) == (
        date(2022, 9, 29),
        date(2023, 1, 5),
        98,
    )
    assert [m.role for m in periodic.letters] == [
        "comment",
        "extension_request",
        "response",
        "follow_up",
        "response",
        "closing",
    ]
    assert registration.status == "no_review"
    assert registration.rounds == 0
    assert [m.link_rule for m in registration.letters] == ["opened", "registration"]


def test_any_input_order_gives_the_same_threads() -> None:
    letters = _periodic_review() + _registration_review()
    expected = build_threads(letters)
    for seed in range(5):
        shuffled = letters[:]
        random.Random(seed).shuffle(shuffled)
        assert build_threads(shuffled) == expected


def test_a_later_letter_never_renames_a_thread() -> None:
    first = build_threads(_periodic_review()[:3])
    later = build_threads(_periodic_review())
    assert first[0].thread_id == later[0].thread_id


def test_a_closed_cycle_is_not_reopened_by_file_number_alone() -> None:
    next_year = ReviewedFiling("10-K", date(2022, 12, 31), date(2023, 2, 2))
    letters = [
        *_periodic_review(),
        letter("0000000000-23-004000", date(2023, 3, 1), LetterType.COMMENT, filings=(next_year,)),
    ]
    threads = build_threads(letters)
    assert len(threads) == 2
    assert threads[1].letters[0].link_rule == "opened"


def test_a_long_silence_starts_a_new_cycle_unless_the_reviewed_filing_is_the_same() -> None:
    late_close = letter("0000000000-23-009000", date(2023, 11, 26), LetterType.REVIEW_COMPLETE)
    review = [*_periodic_review()[:5], late_close]
    assert len(build_threads(review)) == 1  # same reviewed filing: the year-late closing joins
    other = ReviewedFiling("10-Q", date(2023, 6, 30), date(2023, 8, 1))
    unrelated = letter(
        "0000000000-23-009001", date(2023, 11, 26), LetterType.COMMENT, filings=(other,)
    )
    assert len(build_threads([*_periodic_review()[:5], unrelated])) == 2


def test_draft_registration_letters_continue_into_the_public_filing() -> None:
    drs = ReviewedFiling("DRS", None, date(2019, 8, 9))
    form_10 = ReviewedFiling("10-12B", None, date(2020, 2, 7))
    letters = [
        letter(
            "0000000000-19-013211",
            date(2019, 9, 5),
            LetterType.COMMENT,
            numbers=(),
            filings=(drs,),
            cik_reference="0001783180",
        ),
        letter(
            "0000000000-19-014100",
            date(2019, 9, 30),
            LetterType.COMMENT,
            numbers=(),
            filings=(ReviewedFiling("DRS/A", None, date(2019, 9, 16)),),
            cik_reference="0001783180",
        ),
        letter(
            "0000000000-20-002300",
            date(2020, 1, 13),
            LetterType.REVIEW_COMPLETE,
            numbers=("001-39220",),
            filings=(form_10,),
        ),
    ]
    (thread,) = build_threads(letters)
    assert [m.link_rule for m in thread.letters] == [
        "opened",
        "cik_reference",
        "draft_registration",
    ]


def test_a_lone_company_letter_is_response_only() -> None:
    (thread,) = build_threads(
        [letter("0001193125-19-295597", date(2019, 11, 19), LetterType.OTHER, numbers=())]
    )
    assert thread.status == "response_only"
    assert thread.closed_on is None


def test_placed_letters_are_found_by_day_within_a_day_either_side_in_placing_order() -> None:
    company, draft = Company(), Draft()
    placed = [
        letter("0000000000-22-000003", date(2022, 3, 10), LetterType.COMMENT),
        letter("0000000000-22-000001", date(2022, 3, 9), LetterType.RESPONSE),
        letter("0000000000-22-000002", date(2022, 3, 12), LetterType.RESPONSE),
        letter("0000000000-22-000004", date(2022, 3, 11), LetterType.RESPONSE),
    ]
    for placed_letter in placed:
        company.place(placed_letter, draft)
    near = [found.accession for found, _ in company.placed_near(date(2022, 3, 10))]
    # 9, 10 and 11 March, as placed; 12 March is two days away.
    assert near == ["0000000000-22-000003", "0000000000-22-000001", "0000000000-22-000004"]
    assert company.placed_near(date(2022, 3, 20)) == []


def test_filings_named_again_and_again_relate_as_when_named_once() -> None:
    other = ReviewedFiling("10-K", date(2019, 12, 31), date(2020, 2, 4))
    assert relation([TEN_K] * 5, [other, other]) == Match.DIFFERENT
    assert relation([TEN_K], [other, TEN_K, other]) == Match.SAME
    assert relation([TEN_K], [ReviewedFiling("10-K"), other]) == Match.UNKNOWN
    assert relation([], [TEN_K]) == Match.UNKNOWN
