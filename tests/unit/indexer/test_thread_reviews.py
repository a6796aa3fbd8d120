"""Reviews as the staff runs them: concurrent reviews, proxy contests, old citations,
extension requests, release days, first-round letters, closing letters, odd letters.

Synthetic letters whose Re: blocks, citations and types follow the real patterns described
in tests/gold/README.md ("Review partition").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from indexer.normalize.letter import CitedDate, Letter, LetterType, ReviewedFiling
from indexer.normalize.threads import Thread, build_threads
from tests.unit.indexer.letter_factory import make_letter

FILE_NO = "001-11778"
TEN_K = ReviewedFiling("10-K", date(2021, 12, 31), date(2022, 2, 25))
PROXY = ReviewedFiling("DEF 14A", None, date(2022, 4, 4))


def letter(
    accession: str,
    day: date,
    letter_type: LetterType,
    *filings: ReviewedFiling,
    numbers: tuple[str, ...] = (FILE_NO,),
    cited: tuple[CitedDate, ...] = (),
    sender: str | None = None,
    opens_review: bool = False,
    released_on: date | None = None,
) -> Letter:
    return make_letter(
        accession,
        day,
        letter_type,
        sender=sender or ("sec" if accession.startswith("0000000000") else "company"),
        ciks=("0000896159",),
        company="Chubb Ltd",
        file_numbers=numbers,
        reviewed_filings=filings,
        cited_dates=cited,
        released_on=released_on,
        opens_review=opens_review,
    )


def staff_cites(day: date) -> tuple[CitedDate, ...]:
    return (CitedDate(day, "response"),)


def company_cites(day: date) -> tuple[CitedDate, ...]:
    return (CitedDate(day, "staff_letter"),)


def partition(threads: list[Thread]) -> list[list[str]]:
    return [[m.accession[-6:] for m in thread.letters] for thread in threads]


def test_concurrent_10k_and_proxy_reviews_under_one_file_number_stay_apart() -> None:
    letters = [
        letter("0000000000-22-000001", date(2022, 8, 1), LetterType.COMMENT, TEN_K),
        letter("0000000000-22-000002", date(2022, 8, 3), LetterType.COMMENT, PROXY),
        letter("0001193125-22-000003", date(2022, 8, 12), LetterType.RESPONSE, PROXY),
        letter("0001193125-22-000004", date(2022, 8, 15), LetterType.RESPONSE, TEN_K),
        letter("0000000000-22-000005", date(2022, 8, 30), LetterType.REVIEW_COMPLETE, PROXY),
        letter("0000000000-22-000006", date(2022, 9, 2), LetterType.REVIEW_COMPLETE, TEN_K),
    ]
    threads = build_threads(letters)

    assert partition(threads) == [["000001", "000004", "000006"], ["000002", "000003", "000005"]]
    assert [t.status for t in threads] == ["closed", "closed"]
    assert [t.rounds for t in threads] == [1, 1]
    response = threads[1].letters[1]
    assert response.link_rule == "reviewed_filing"
    assert response.linked_to == "0000000000-22-000002"
    assert "DEF 14A" in response.evidence


def test_a_response_citing_a_day_with_two_staff_letters_joins_the_one_about_its_filing() -> None:
    day = date(2022, 11, 21)
    ten_q = ReviewedFiling("10-Q", date(2022, 9, 30), date(2022, 10, 26))
    s4 = ReviewedFiling("S-4", None, date(2022, 11, 15))
    letters = [
        letter("0000000000-22-000010", day, LetterType.COMMENT, ten_q),
        letter("0000000000-22-000011", day, LetterType.NO_REVIEW, s4, numbers=("333-268363",)),
        letter(
            "0000950103-22-000012",
            date(2022, 12, 21),
            LetterType.RESPONSE,
            ten_q,
            cited=company_cites(day),
        ),
    ]
    threads = build_threads(letters)

    assert partition(threads) == [["000010", "000012"], ["000011"]]
    assert threads[0].letters[1].link_rule == "citation"


def test_proxy_contest_one_review_per_filing_or_preliminary_definitive_pair() -> None:
    dissident = "Starboard Value LP"
    prec = ReviewedFiling("PREC14A", None, date(2024, 1, 12), filed_by=dissident)
    defc = ReviewedFiling("DEFC14A", None, date(2024, 2, 2), filed_by=dissident)
    dfan_1 = ReviewedFiling("DFAN14A", None, date(2024, 1, 20), filed_by=dissident)
    dfan_2 = ReviewedFiling("DFAN14A", None, date(2024, 2, 9), filed_by=dissident)
    own = ReviewedFiling("PRE 14A", None, date(2024, 1, 16))
    own_definitive = ReviewedFiling("DEF 14A", None, date(2024, 2, 5))
    defa = ReviewedFiling("DEFA14A", None, date(2024, 2, 12))
    letters = [
        letter("0000000000-24-000001", date(2024, 1, 18), LetterType.COMMENT, prec),
        letter("0000000000-24-000002", date(2024, 1, 22), LetterType.COMMENT, own),
        letter("0000000000-24-000003", date(2024, 1, 25), LetterType.COMMENT, dfan_1),
        letter("0000000000-24-000004", date(2024, 1, 30), LetterType.COMMENT, TEN_K),
        letter("0001193125-24-000005", date(2024, 2, 1), LetterType.RESPONSE, prec),
        letter("0001193125-24-000006", date(2024, 2, 2), LetterType.RESPONSE, own),
        letter("0000000000-24-000007", date(2024, 2, 6), LetterType.COMMENT, defc),
        letter("0000000000-24-000008", date(2024, 2, 8), LetterType.COMMENT, own_definitive),
        letter("0000000000-24-000009", date(2024, 2, 13), LetterType.COMMENT, dfan_2),
        letter("0000000000-24-000010", date(2024, 2, 14), LetterType.COMMENT, defa),
        letter("0001193125-24-000011", date(2024, 2, 20), LetterType.RESPONSE, TEN_K),
        letter("0001193125-24-000012", date(2024, 2, 21), LetterType.RESPONSE, dfan_2),
    ]
    threads = build_threads(letters)

    assert sorted(partition(threads)) == [
        ["000001", "000005", "000007"],  # the dissident's preliminary and definitive proxy
        ["000002", "000006", "000008"],  # the company's preliminary and definitive proxy
        ["000003"],  # the dissident's first soliciting material
        ["000004", "000011"],  # the 10-K review during the contest
        ["000009", "000012"],  # its second soliciting material
        ["000010"],  # the company's additional material
    ]


def test_a_citation_of_a_closed_earlier_review_does_not_reopen_it() -> None:
    fy2015 = ReviewedFiling("10-K", date(2015, 12, 31), date(2016, 2, 26))
    fy2018 = ReviewedFiling("10-K", date(2018, 12, 31), date(2019, 2, 28))
    earlier = [
        letter("0000000000-16-000001", date(2016, 7, 13), LetterType.COMMENT, fy2015),
        letter(
            "0001193125-16-000002",
            date(2016, 8, 3),
            LetterType.RESPONSE,
            fy2015,
            cited=company_cites(date(2016, 7, 13)),
        ),
        letter("0000000000-16-000003", date(2016, 8, 30), LetterType.REVIEW_COMPLETE, fy2015),
    ]
    later = letter(
        "0000000000-19-000004",
        date(2019, 4, 29),
        LetterType.COMMENT,
        fy2018,
        cited=staff_cites(date(2016, 8, 3)),  # "as discussed in your response dated …"
    )
    threads = build_threads([*earlier, later])

    assert partition(threads) == [["000001", "000002", "000003"], ["000004"]]
    assert threads[0].days_open == 48
    # Without a reviewed filing to compare, a staff letter still does not reopen it.
    blind = replace(later, reviewed_filings=())
    assert len(build_threads([*earlier, blind])) == 2


def test_a_follow_up_citing_the_response_continues_an_open_review_on_a_newer_report() -> None:
    fy2016 = ReviewedFiling("10-K", date(2016, 12, 31), date(2017, 2, 28))
    letters = [
        letter("0000000000-17-000001", date(2017, 1, 10), LetterType.COMMENT, TEN_K),
        letter(
            "0001193125-17-000002",
            date(2017, 2, 1),
            LetterType.RESPONSE,
            TEN_K,
            cited=company_cites(date(2017, 1, 10)),
        ),
        letter(
            "0000000000-17-000003",
            date(2017, 3, 20),
            LetterType.COMMENT,
            fy2016,
            cited=staff_cites(date(2017, 2, 1)),
        ),
    ]
    (thread,) = build_threads(letters)

    assert [m.role for m in thread.letters] == ["comment", "response", "follow_up"]
    assert thread.letters[2].link_rule == "citation"


def test_an_extension_request_joins_the_review_it_names_and_is_not_a_round() -> None:
    letters = [
        letter("0000000000-22-000001", date(2022, 8, 1), LetterType.COMMENT, TEN_K),
        letter("0000000000-22-000002", date(2022, 8, 3), LetterType.COMMENT, PROXY),
        letter(
            "0001193125-22-000003",
            date(2022, 8, 10),
            LetterType.EXTENSION_REQUEST,
            numbers=(),
            cited=company_cites(date(2022, 8, 1)),
        ),
    ]
    threads = build_threads(letters)

    assert partition(threads) == [["000001", "000003"], ["000002"]]
    assert threads[0].rounds == 1
    assert threads[0].letters[1].role == "extension_request"


def test_a_first_round_letter_opens_a_review_even_under_an_open_file_number() -> None:
    letters = [
        letter("0000000000-22-000001", date(2022, 9, 29), LetterType.COMMENT, TEN_K),
        letter("0000000000-22-000002", date(2022, 11, 21), LetterType.COMMENT),  # no Re: forms
    ]
    assert len(build_threads(letters)) == 1  # nothing tells them apart: the file number joins
    opening = replace(letters[1], opens_review=True)
    assert len(build_threads([letters[0], opening])) == 2


def test_a_closing_letter_closes_the_only_open_review_under_its_number() -> None:
    ten_q = ReviewedFiling("10-Q", date(2018, 12, 31), date(2019, 2, 8))
    fy2018 = ReviewedFiling("10-K", date(2018, 9, 30), date(2018, 11, 21))
    letters = [
        letter("0000000000-19-000001", date(2019, 3, 21), LetterType.COMMENT, ten_q),
        letter("0000720005-19-000002", date(2019, 5, 8), LetterType.RESPONSE, ten_q),
        letter("0000000000-19-000003", date(2019, 5, 8), LetterType.REVIEW_COMPLETE, fy2018),
    ]
    (thread,) = build_threads(letters)
    assert thread.status == "closed"
    assert thread.letters[2].link_rule == "closing_letter"

    other = letter("0000000000-19-000004", date(2019, 4, 1), LetterType.COMMENT, PROXY)
    threads = build_threads([*letters, other])  # two open reviews: it cannot tell which
    assert len(threads) == 3


def test_release_days_split_and_join_reviews() -> None:
    first = [
        letter(
            "0000000000-16-000001",
            date(2016, 3, 1),
            LetterType.COMMENT,
            released_on=date(2016, 6, 1),
        ),
        letter(
            "0000000000-16-000002",
            date(2016, 4, 1),
            LetterType.REVIEW_COMPLETE,
            released_on=date(2016, 6, 1),
        ),
    ]
    # A company letter written after the review's letters were released belongs elsewhere.
    late = letter(
        "0001193125-16-000003",
        date(2016, 7, 1),
        LetterType.OTHER,
        cited=company_cites(date(2016, 3, 1)),
        released_on=date(2016, 9, 1),
    )
    assert len(build_threads([*first, late])) == 2
    # Letters released together are one review, even after a long silence.
    opened = letter(
        "0000000000-17-000004",
        date(2017, 1, 5),
        LetterType.COMMENT,
        released_on=date(2018, 3, 1),
    )
    closing = letter(
        "0000000000-17-000005",
        date(2017, 12, 20),
        LetterType.REVIEW_COMPLETE,
        released_on=date(2018, 3, 1),
    )
    (thread,) = build_threads([opened, closing])
    assert thread.letters[1].link_rule == "release_day"
    # A release on the letter's own day (as a demo lists letters) is not trusted.
    same_day = [replace(m, released_on=m.filing_date) for m in (opened, closing)]
    assert len(build_threads(same_day)) == 2  # 349 days apart: not one review


def test_letters_without_date_number_or_re_block_still_get_a_thread_with_a_warning() -> None:
    odd = [
        replace(
            letter("0000000000-20-000001", date(2020, 1, 1), LetterType.COMMENT, numbers=()),
            letter_date=None,
            filing_date=None,
        ),
        letter("0001193125-20-000002", date(2020, 2, 1), LetterType.OTHER, numbers=()),
        letter("0000000000-20-000003", date(2020, 3, 1), LetterType.COMMENT, TEN_K),
    ]
    threads = build_threads(odd)

    assert sorted(m.accession for t in threads for m in t.letters) == sorted(
        m.accession for m in odd
    )
    warnings = [w for t in threads for w in t.warnings]
    assert any("0000000000-20-000001: no letter or filing date" in w for w in warnings)
    assert any("0001193125-20-000002: names no file number" in w for w in warnings)
    assert not any("0000000000-20-000003" in w for w in warnings)


def test_every_link_says_why() -> None:
    letters = [
        letter("0000000000-22-000001", date(2022, 8, 1), LetterType.COMMENT, TEN_K),
        letter(
            "0001193125-22-000002",
            date(2022, 8, 12),
            LetterType.RESPONSE,
            TEN_K,
            cited=company_cites(date(2022, 8, 1)),
        ),
        letter("0000000000-22-000003", date(2022, 9, 2), LetterType.REVIEW_COMPLETE, TEN_K),
    ]
    (thread,) = build_threads(letters)
    data = thread.to_dict()["letters"]

    assert data[0]["link_rule"] == "opened" and data[0]["evidence"] == ""
    assert data[1]["evidence"] == "cites the staff letter of 2022-08-01 (0000000000-22-000001)"
    assert data[2]["linked_to"] in ("0000000000-22-000001", "0001193125-22-000002")
    assert "same reviewed filing (10-K for the period ended 2021-12-31" in data[2]["evidence"]


def test_a_citation_of_a_long_silent_review_about_another_filing_starts_a_new_one() -> None:
    """The 2016 review's closing letter is missing (not yet released, or not collected)."""
    fy2015 = ReviewedFiling("10-K", date(2015, 12, 31), date(2016, 2, 26))
    fy2018 = ReviewedFiling("10-K", date(2018, 12, 31), date(2019, 2, 28))
    open_2016 = [
        letter("0000000000-16-000001", date(2016, 7, 13), LetterType.COMMENT, fy2015),
        letter("0001193125-16-000002", date(2016, 8, 3), LetterType.RESPONSE, fy2015),
    ]
    later = letter(
        "0000000000-19-000003",
        date(2019, 4, 29),
        LetterType.COMMENT,
        fy2018,
        cited=staff_cites(date(2016, 8, 3)),
    )
    assert partition(build_threads([*open_2016, later])) == [["000001", "000002"], ["000003"]]


def test_a_letter_listed_the_day_it_was_filed_says_nothing_of_its_review() -> None:
    """ADM's counsel letter of 21 October 2024 was filed on 12 November: listed that day, it
    is no release of the review, and later letters of the review still join it."""
    opened = letter("0000000000-24-000001", date(2024, 9, 5), LetterType.COMMENT)
    late_filed = replace(
        letter(
            "0001193125-24-000002",
            date(2024, 10, 21),
            LetterType.RESPONSE,
            cited=company_cites(date(2024, 9, 5)),
        ),
        filing_date=date(2024, 11, 12),
        released_on=date(2024, 11, 12),
    )
    follow_up = letter(
        "0000000000-24-000003",
        date(2024, 11, 20),
        LetterType.COMMENT,
        cited=staff_cites(date(2024, 10, 21)),
    )
    (thread,) = build_threads([opened, late_filed, follow_up])
    assert [m.link_rule for m in thread.letters] == ["opened", "citation", "citation"]
