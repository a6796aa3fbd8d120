"""Canonical forms of EDGAR identifiers."""

from __future__ import annotations

import pytest

from indexer.models import (
    accession_folder,
    normalize_accession,
    normalize_cik,
    normalize_file_number,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0-17999", "000-17999"),
        ("1-7933", "001-07933"),
        ("333-123456", "333-123456"),
        ("001-36743", "001-36743"),
        ("333- 249277", "333-249277"),
        ("333-140273-01", "333-140273-01"),
        ("377-06601", "377-06601"),
        (" 1-15405 ", "001-15405"),
    ],
)
def test_file_numbers_take_edgar_form(raw: str, expected: str) -> None:
    assert normalize_file_number(raw) == expected


@pytest.mark.parametrize("raw", ["", "CIK No. 0001783180", "333", "abc-12345", "1234-5678"])
def test_non_file_numbers_are_rejected(raw: str) -> None:
    with pytest.raises(ValueError, match="not an SEC file number"):
        normalize_file_number(raw)


def test_accessions_and_ciks() -> None:
    assert normalize_accession("000032019324000061") == "0000320193-24-000061"
    assert normalize_accession("0000320193-24-000061") == "0000320193-24-000061"
    assert accession_folder("0000320193-24-000061") == "000032019324000061"
    assert normalize_cik(320193) == "0000320193"
    assert normalize_cik("0000320193") == "0000320193"
    for bad in ("", "0", "12345678901", "12a"):
        with pytest.raises(ValueError, match="not a CIK"):
            normalize_cik(bad)
    with pytest.raises(ValueError, match="not an accession"):
        normalize_accession("0000320193-24-61")


@pytest.mark.parametrize(
    ("normalize", "raw"),
    [
        (normalize_cik, "٣٢٠١٩٣"),
        (normalize_cik, "²"),
        (normalize_accession, "٠٠٠٠٣٢٠١٩٣-٢٤-٠٠٠٠٦١"),
        (normalize_file_number, "٠٠١-٣٦٧٤٣"),
    ],
)
def test_digits_of_other_scripts_are_rejected(normalize, raw: str) -> None:
    # Found by fuzzing (tests/fuzz): \d and str.isdigit() accept them, so a CIK such as
    # "0000٣٢٠١٩٣" reached the crawl ledger.
    with pytest.raises(ValueError, match=r"^not an? "):
        normalize(raw)
