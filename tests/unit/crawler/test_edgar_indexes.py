"""form.idx / company.idx / master.idx parsing (crawler.edgar.indexes)."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from crawler.edgar.indexes import IndexParseResult, parse_index
from crawler.errors import ParseError
from crawler.models import FilingRef

LETTER_FORMS = frozenset({"CORRESP", "UPLOAD"})
LISTED_ON = date(2020, 3, 18)

FORM_HEADER = (
    "Description:           Daily Index of EDGAR Dissemination Feed by Form Type\n"
    "Last Data Received:    Mar 18, 2020\n"
    " \n"
    "Form Type   Company Name                                                  CIK         "
    "Date Filed  File Name\n" + "-" * 141 + "\n"
)
MASTER_HEADER = "CIK|Company Name|Form Type|Date Filed|File Name\n" + "-" * 80 + "\n"


def form_row(form: str, name: str, cik: str, filed: str, file_name: str) -> str:
    """A form.idx row laid out as EDGAR does: columns at 0, 12, 74, 86 and 98."""
    return f"{form:<12}{name:<62}{cik:<12}{filed:<12}{file_name}"


def read_index(
    samples_dir: Path, name: str, forms: frozenset[str] | None = None
) -> IndexParseResult:
    text = (samples_dir / "index" / name).read_text(encoding="latin-1")
    return parse_index(text, source="daily-index", listed_on=LISTED_ON, forms=forms)


@pytest.mark.samples
def test_daily_form_index_lists_31_letters(samples_dir: Path) -> None:
    result = read_index(samples_dir, "daily-index/form.20200318.idx", LETTER_FORMS)

    assert result.kind == "form"
    assert result.bad_lines == []
    assert len(result.refs) == 31
    assert result.refs[0] == FilingRef(
        accession="0001193125-20-031314",
        cik="0001690511",
        form="CORRESP",
        company_name="Canada Goose Holdings Inc.",
        filing_date=date(2020, 2, 11),
        source="daily-index",
        listed_on=LISTED_ON,
    )
    filing_dates = [ref.filing_date for ref in result.refs]
    assert (min(filing_dates), max(filing_dates)) == (date(2019, 10, 8), date(2020, 2, 21))
    assert {ref.form for ref in result.refs} == LETTER_FORMS


@pytest.mark.samples
def test_daily_form_index_without_filter_reads_every_row(samples_dir: Path) -> None:
    result = read_index(samples_dir, "daily-index/form.20200318.idx")

    assert len(result.refs) == 4084
    assert result.bad_lines == []
    assert result.refs[-1].form == "X-17A-5/A"
    assert result.refs[-1].accession == "0001105608-20-000004"


@pytest.mark.samples
def test_daily_master_index_keeps_backslashes_in_names(samples_dir: Path) -> None:
    everything = read_index(samples_dir, "daily-index/master.20200103.idx")
    letters = read_index(samples_dir, "daily-index/master.20200103.idx", LETTER_FORMS)

    assert everything.kind == "master"
    assert len(everything.refs) == 7989
    assert len(letters.refs) == 71
    assert "UNIVERSAL DISPLAY CORP \\PA\\" in {ref.company_name for ref in everything.refs}
    assert letters.refs[0].accession.startswith("0001144204-19-")
    assert all(
        ref.accession.startswith("0000000000-") for ref in letters.refs if ref.form == "UPLOAD"
    )


@pytest.mark.samples
def test_trimmed_master_index_without_final_newline(samples_dir: Path) -> None:
    result = read_index(samples_dir, "daily-index/master.20181231.TRIMMED.idx")

    assert len(result.refs) == 10
    assert result.refs[-1].accession == "0000899681-18-000091"
    assert result.refs[-1].cik == "0000010048"


@pytest.mark.samples
@pytest.mark.parametrize(
    ("name", "rows", "letters"),
    [("daily-index/company.20200102.idx", 4441, 19), ("daily-index/company.20221003.idx", 4925, 0)],
)
def test_company_index_with_wrapped_column_header(
    samples_dir: Path, name: str, rows: int, letters: int
) -> None:
    result = read_index(samples_dir, name)

    assert result.kind == "company"
    assert (len(result.refs), result.bad_lines) == (rows, [])
    assert len(read_index(samples_dir, name, LETTER_FORMS).refs) == letters


@pytest.mark.samples
def test_company_index_splits_name_and_form_at_the_header_column(samples_dir: Path) -> None:
    result = read_index(samples_dir, "daily-index/company.20200102.idx")
    landec = [ref for ref in result.refs if ref.cik == "0001005286"]

    assert {(ref.company_name, ref.form) for ref in landec} == {
        ("LANDEC CORP \\CA\\", "10-Q"),
        ("LANDEC CORP \\CA\\", "8-K"),
    }


@pytest.mark.samples
def test_quarterly_indexes_use_dashed_dates(samples_dir: Path) -> None:
    form = read_index(samples_dir, "full-index/form.2021QTR1.TRIMMED.idx")
    master = read_index(samples_dir, "full-index/master.1993QTR4.idx")

    assert (form.kind, len(form.refs)) == ("form", 10)
    assert form.refs[0].filing_date == date(2021, 2, 5)
    assert form.refs[-1].company_name == "UOB GLOBAL EQUITY SALES LLC"
    assert (master.kind, len(master.refs), master.bad_lines) == ("master", 20, [])
    assert master.refs[0].filing_date == date(1993, 12, 30)
    assert master.refs[0].accession == "9999999997-02-056978"


@pytest.mark.samples
def test_header_only_index_has_no_rows_and_no_error(samples_dir: Path) -> None:
    result = read_index(samples_dir, "full-index/form.2025QTR1.HEADER-ONLY.idx")

    assert result == IndexParseResult(refs=[], bad_lines=[], kind="form")


def test_garbage_line_becomes_a_bad_line_and_parsing_goes_on() -> None:
    text = (
        FORM_HEADER
        + form_row(
            "UPLOAD", "ACME CORP", "1234", "20200211", "edgar/data/1234/0000000000-20-000001.txt"
        )
        + "\n#### UPLOAD garbage that is not a row\n"
        + form_row("CORRESP", "ACME CORP", "1234", "20200212", "edgar/data/1234/0001234-20-1.txt")
        + "\n"
        + form_row(
            "CORRESP", "ACME CORP", "1234", "20201312", "edgar/data/1234/0000001234-20-000002.txt"
        )
        + "\n"
        + form_row(
            "CORRESP", "ACME CORP", "1234", "20200213", "edgar/data/1234/0000001234-20-000003.txt"
        )
    )

    result = parse_index(text, source="daily-index", listed_on=None)

    assert [ref.accession for ref in result.refs] == [
        "0000000000-20-000001",
        "0000001234-20-000003",
    ]
    assert [(bad.line_no, bad.line.split()[0]) for bad in result.bad_lines] == [
        (7, "####"),
        (8, "CORRESP"),
        (9, "CORRESP"),
    ]
    reasons = [bad.reason for bad in result.bad_lines]
    assert "does not end with CIK, date filed and file name" in reasons[0]
    assert "file name" in reasons[1]
    assert "date filed" in reasons[2]


def test_forms_filter_skips_unrelated_garbage_but_reports_possible_letters() -> None:
    text = FORM_HEADER + "garbage line\n" + "UPLOAD garbage\n"

    unfiltered = parse_index(text, source="daily-index", listed_on=None)
    filtered = parse_index(text, source="daily-index", listed_on=None, forms=LETTER_FORMS)

    assert len(unfiltered.bad_lines) == 2
    assert [bad.line for bad in filtered.bad_lines] == ["UPLOAD garbage"]


def test_forms_filter_matches_the_form_exactly() -> None:
    text = (
        FORM_HEADER
        + form_row("CORRESP/A", "X", "1", "20200211", "edgar/data/1/0000000001-20-000001.txt")
        + "\n"
        + form_row("CORRESP", "X", "1", "20200211", "edgar/data/1/0000000001-20-000002.txt")
    )

    result = parse_index(text, source="full-index", listed_on=None, forms=frozenset({"CORRESP"}))

    assert [ref.form for ref in result.refs] == ["CORRESP"]


def test_form_type_wider_than_its_column() -> None:
    row = (
        "SEC STAFF LETTER  BIG HOLDINGS INC" + " " * 40 + "1234567     2021-03-05  "
        "edgar/data/1234567/9999999997-21-000123.txt"
    )

    result = parse_index(FORM_HEADER + row, source="full-index", listed_on=None)

    assert result.bad_lines == []
    assert (result.refs[0].form, result.refs[0].company_name) == (
        "SEC STAFF LETTER",
        "BIG HOLDINGS INC",
    )


def test_master_index_takes_pipes_in_names_as_part_of_the_name() -> None:
    rows = (
        "1234|A|B HOLDINGS|UPLOAD|20200102|edgar/data/1234/0000000000-20-000001.txt\n"
        "1234|UPLOAD|20200102|edgar/data/1234/0000000000-20-000002.txt\n"
        "12x4|ACME|UPLOAD|20200102|edgar/data/1234/0000000000-20-000003.txt\n"
    )

    result = parse_index(MASTER_HEADER + rows, source="daily-index", listed_on=None)

    assert [(ref.company_name, ref.accession) for ref in result.refs] == [
        ("A|B HOLDINGS", "0000000000-20-000001")
    ]
    assert [(bad.line_no, bad.reason) for bad in result.bad_lines] == [
        (4, "expected 5 '|'-separated fields, got 4"),
        (5, "bad CIK '12x4'"),
    ]


def test_only_line_feeds_and_carriage_returns_end_a_row() -> None:
    # b"\x85" is a cp1252 ellipsis; decoded as latin-1 it is a character str.splitlines splits on.
    row = "1234|CAFE\x85 HOLDINGS|UPLOAD|20200102|edgar/data/1234/0000000000-20-000001.txt"

    result = parse_index(MASTER_HEADER.replace("\n", "\r\n") + row, source="x", listed_on=None)

    assert [ref.company_name for ref in result.refs] == ["CAFE\x85 HOLDINGS"]
    assert result.bad_lines == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "just some text\nwithout any rule\n",
        "Description: x\n" + "-" * 80 + "\nrows\n",
        "<html><body>403 Forbidden</body></html>",
    ],
)
def test_file_without_column_header_and_rule_raises_parse_error(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_index(text, source="daily-index", listed_on=None)
    assert caught.value.source == "daily-index"


@pytest.mark.parametrize("unit", [" ", "1 ", "\t"])
def test_huge_line_is_a_bad_line_in_linear_time(unit: str) -> None:
    # Found by fuzzing (tests/fuzz): the row regex backtracked quadratically on long runs of
    # spaces; a line of 200,000 spaces took minutes.
    row = form_row(
        "UPLOAD", "Apple Inc.", "320193", "20240402", "edgar/data/320193/0000000000-24-003505.txt"
    )
    huge = "x" + unit * (200_000 // len(unit))
    started = time.perf_counter()
    result = parse_index(FORM_HEADER + huge + "\n" + row + "\n", source="t", listed_on=None)
    elapsed = time.perf_counter() - started

    assert [ref.accession for ref in result.refs] == ["0000000000-24-003505"]
    assert [bad.reason for bad in result.bad_lines] == [
        "line does not end with CIK, date filed and file name"
    ]
    assert elapsed < 1.0
