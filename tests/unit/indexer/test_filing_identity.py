"""Which filing a letter is about: comparing reviewed filings, and resolving them to accessions."""

from __future__ import annotations

from datetime import date

import pytest

from indexer.incoming import ListedFiling
from indexer.normalize.filings import Match, compare_filings, form_family, relation
from indexer.normalize.letter import ReviewedFiling
from indexer.normalize.resolution import resolve_filings

F = ReviewedFiling


@pytest.mark.parametrize(
    ("form", "family"),
    [("10-K/A", "10-K"), ("10-KT", "10-K"), ("DEF 14A", "PROXY"), ("PRE 14A", "PROXY"),
     ("DEFC14A", "CONTESTED PROXY"), ("PRE 14C", "INFORMATION STATEMENT"), ("TO-I", "SC TO-I"),
     ("10-12B", "FORM 10"), ("8-K", "8-K"), (None, None)],
)  # fmt: skip
def test_form_families(form: str | None, family: str | None) -> None:
    assert form_family(form) == family


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # periodic reports: the period decides (52/53-week years and misprints within 10 days)
        (F("10-K", date(2021, 12, 31)), F("10-K/A", date(2021, 12, 31)), Match.SAME),
        (F("10-K", date(2016, 9, 1)), F("10-K", date(2016, 9, 3)), Match.SAME),
        (F("10-K", date(2021, 12, 31)), F("10-K", date(2022, 12, 31)), Match.DIFFERENT),
        (F("10-K", date(2021, 12, 31)), F("10-Q", date(2021, 12, 31)), Match.DIFFERENT),
        (F("10-K", date(2021, 12, 31)), F("10-K", None, date(2022, 2, 3)), Match.UNKNOWN),
        # event filings: the filing date (within 3 days)
        (F("8-K", None, date(2016, 5, 5)), F("8-K/A", None, date(2016, 5, 6)), Match.SAME),
        (F("8-K", None, date(2016, 5, 5)), F("8-K", None, date(2016, 3, 24)), Match.DIFFERENT),
        # a preliminary and its definitive proxy: one review
        (F("PRE 14A", None, date(2024, 1, 16)), F("DEF 14A", None, date(2024, 2, 5)), Match.SAME),
        (F("DEF 14A", None, date(2022, 4, 4)), F("DEF 14A", None, date(2023, 4, 3)),
         Match.DIFFERENT),
        # who filed it
        (F("PREC14A", None, date(2024, 1, 12), filed_by="Starboard Value LP"),
         F("DEFC14A", None, date(2024, 2, 2), filed_by="Starboard Value L.P."), Match.SAME),
        (F("PREC14A", None, date(2024, 1, 12), filed_by="Starboard Value LP"),
         F("PREC14A", None, date(2024, 1, 12)), Match.DIFFERENT),
        (F("DFAN14A", None, date(2024, 1, 20), filed_by="Elliott"),
         F("DFAN14A", None, date(2024, 1, 20), filed_by="Trian Fund"), Match.DIFFERENT),
        # accessions, when both are known, decide
        (F("10-K", accession="0000320193-23-000106"), F("10-K", accession="0000320193-23-000106"),
         Match.SAME),
        (F(None), F("10-K", date(2021, 12, 31)), Match.UNKNOWN),
    ],
)  # fmt: skip
def test_compare_filings(first: ReviewedFiling, second: ReviewedFiling, expected: Match) -> None:
    assert compare_filings(first, second, company="Chubb Ltd") == expected
    assert compare_filings(second, first, company="Chubb Ltd") == expected


def test_the_company_itself_named_as_filer_is_no_other_filer() -> None:
    own = F("PRE 14A", None, date(2024, 1, 16), filed_by="Chubb Limited")
    assert compare_filings(own, F("DEF 14A", None, date(2024, 2, 5)), company="Chubb Ltd") == (
        Match.SAME
    )


def test_relation_of_two_letters() -> None:
    ten_k = F("10-K", date(2021, 12, 31))
    assert relation([ten_k, F("10-Q", date(2022, 6, 30))], [ten_k]) == Match.SAME
    assert relation([F("10-Q", date(2022, 9, 30))], [ten_k]) == Match.DIFFERENT
    assert relation([], [ten_k]) == Match.UNKNOWN


LISTED = (
    ListedFiling("0001193125-22-050001", "10-K", date(2022, 2, 25), date(2021, 12, 31)),
    ListedFiling("0001193125-22-090001", "10-K/A", date(2022, 4, 29), date(2021, 12, 31)),
    ListedFiling("0001193125-19-028326", "8-K", date(2019, 2, 5), date(2019, 2, 5)),
    ListedFiling("0001193125-19-028400", "8-K", date(2019, 2, 7), date(2019, 2, 6)),
    ListedFiling("0001193125-20-000100", "8-K", date(2020, 3, 2), date(2020, 3, 2)),
    ListedFiling("0001193125-20-000101", "8-K", date(2020, 3, 2), date(2020, 2, 28)),
    ListedFiling("0001193125-22-100001", "DEF 14A", date(2022, 4, 4)),
    ListedFiling("0001193125-17-000001", "S-4", date(2017, 3, 29), file_number="333-216991"),
    ListedFiling("0001193125-17-000002", "S-4/A", date(2017, 5, 9), file_number="333-216991"),
)


@pytest.mark.parametrize(
    ("filing", "numbers", "accession"),
    [
        (F("10-K", date(2021, 12, 31), date(2022, 2, 25)), (), "0001193125-22-050001"),
        (F("10-K", date(2021, 12, 31)), (), "0001193125-22-050001"),  # the original, not /A
        (F("10-K/A", date(2021, 12, 31)), (), "0001193125-22-090001"),
        (F("10-K", None, date(2022, 2, 24)), (), "0001193125-22-050001"),  # next-day dating
        # a misprinted period is forgiven on the exact filing day
        (F("8-K", date(2018, 2, 5), date(2019, 2, 5)), (), "0001193125-19-028326"),
        (F("8-K", None, date(2020, 3, 2)), (), None),  # two 8-Ks that day: unknown
        (F("8-K", date(2020, 2, 28), date(2020, 3, 2)), (), "0001193125-20-000101"),
        (F("DEF 14A", None, date(2022, 4, 4)), (), "0001193125-22-100001"),
        (F("S-4", None, None), ("333-216991",), "0001193125-17-000001"),  # by its own number
        (F("S-4/A", None, date(2017, 5, 9)), ("333-216991",), "0001193125-17-000002"),
        (F("DRS", None, date(2020, 5, 20)), (), None),  # never listed
        (F("10-Q", date(2022, 3, 31)), (), None),
        (F("10-K"), (), None),
    ],
)  # fmt: skip
def test_resolve_filings(
    filing: ReviewedFiling, numbers: tuple[str, ...], accession: str | None
) -> None:
    (resolved,) = resolve_filings([filing], LISTED, file_numbers=numbers)
    assert resolved.accession == accession


def test_nothing_listed_changes_nothing() -> None:
    filing = F("10-K", date(2021, 12, 31))
    assert resolve_filings([filing], ()) == (filing,)
