"""data.sec.gov submissions JSON (crawler.edgar.submissions_json)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crawler.edgar.submissions_json import SubmissionsPage, parse_submissions_json
from crawler.errors import ParseError
from crawler.models import FilingRef

LETTER_FORMS = frozenset({"CORRESP", "UPLOAD"})


def read_json(
    samples_dir: Path, file_name: str, *, cik: str | None = None, name: str | None = None
) -> SubmissionsPage:
    path = samples_dir / "json" / file_name
    return parse_submissions_json(
        path.read_bytes(), source=str(path), forms=LETTER_FORMS, cik=cik, name=name
    )


def columns(**arrays: list[object]) -> bytes:
    return json.dumps(
        {"cik": "320193", "name": "Apple Inc.", "filings": {"recent": arrays}}
    ).encode()


@pytest.mark.samples
def test_main_file(samples_dir: Path) -> None:
    page = read_json(samples_dir, "CIK0000320193.json")

    assert (page.cik, page.name) == ("0000320193", "Apple Inc.")
    assert len(page.refs) == 10
    assert sorted({ref.form for ref in page.refs}) == ["CORRESP", "UPLOAD"]
    assert (
        FilingRef(
            accession="0000000000-24-003505",
            cik="0000320193",
            form="UPLOAD",
            company_name="Apple Inc.",
            filing_date=date(2024, 4, 2),
            source="submissions",
            listed_on=None,
            report_date=None,  # reportDate "" for a letter
            file_number="001-36743",  # fileNumber, as the JSON gives it
        )
        in page.refs
    )
    assert page.older_pages == ["CIK0000320193-submissions-001.json"]
    assert page.older_page_ends == {"CIK0000320193-submissions-001.json": date(2015, 3, 11)}
    assert page.company["ownerOrg"] == "06 Technology"
    assert page.company["tickers"] == ["AAPL"]
    assert page.company["formerNames"][0]["name"] == "APPLE INC"
    assert "filings" not in page.company
    assert page.bad_rows == []


@pytest.mark.samples
def test_2023_format_with_unpadded_cik_and_no_owner_org(samples_dir: Path) -> None:
    page = read_json(samples_dir, "CIK0000320193.2023-snapshot.json")

    assert page.cik == "0000320193"
    assert "ownerOrg" not in page.company
    assert len(page.refs) == 10


@pytest.mark.samples
def test_older_page_is_a_bare_column_dict(samples_dir: Path) -> None:
    file_name = "CIK0000320193-submissions-001.json"
    page = read_json(samples_dir, file_name, cik="320193", name="Apple Inc.")

    assert (page.cik, page.name, page.older_pages, page.company) == (
        "0000320193",
        "Apple Inc.",
        [],
        {},
    )
    assert len(page.refs) == 35
    assert all(ref.company_name == "Apple Inc." for ref in page.refs)
    with pytest.raises(ParseError, match="pass cik="):
        read_json(samples_dir, file_name)


@pytest.mark.samples
def test_several_older_pages_newest_first_and_none_at_all(samples_dir: Path) -> None:
    assert read_json(samples_dir, "CIK0000310522.json").older_pages == [
        "CIK0000310522-submissions-001.json",
        "CIK0000310522-submissions-002.json",
        "CIK0000310522-submissions-003.json",
    ]
    assert read_json(samples_dir, "lehigh/CIK0001964738.json").older_pages == []


@pytest.mark.samples
def test_company_without_filings_and_with_an_odd_name(samples_dir: Path) -> None:
    page = read_json(samples_dir, "CIK0000350001.json")

    assert (page.refs, page.bad_rows) == ([], [])
    assert page.name.startswith("Company Name Three `!#$(),:;=.-;\\|@/{}&'")


@pytest.mark.samples
def test_every_sampled_submissions_file_reads_without_bad_rows(samples_dir: Path) -> None:
    folders = (samples_dir / "json", samples_dir / "json" / "lehigh")
    paths = sorted(path for folder in folders for path in folder.glob("CIK*.json"))
    assert len(paths) >= 50

    for path in paths:
        page = parse_submissions_json(
            path.read_bytes(), source=str(path), cik=path.name[3:13], name="from main file"
        )
        assert page.bad_rows == [], path
        assert page.refs or path.name == "CIK0000350001.json", path


def test_unreadable_rows_are_reported_not_raised() -> None:
    data = columns(
        accessionNumber=["0000000000-24-000001", "24-2", "0000000000-24-000003", "0000000000-24-4"],
        filingDate=["2024-01-02", "2024-01-03", "2024-13-01"],
        form=["UPLOAD", "CORRESP", "UPLOAD", "UPLOAD", "CORRESP"],
    )

    page = parse_submissions_json(data, source="x", forms=LETTER_FORMS)

    assert [ref.accession for ref in page.refs] == ["0000000000-24-000001"]
    assert [(bad.line_no, bad.reason) for bad in page.bad_rows] == [
        (2, "bad accessionNumber '24-2'"),
        (3, "bad filingDate '2024-13-01'"),
        (4, "columns of unequal length: no filingDate for this row"),
        (5, "columns of unequal length: no accessionNumber, filingDate for this row"),
    ]
    assert json.loads(page.bad_rows[0].line) == {
        "accessionNumber": "24-2",
        "filingDate": "2024-01-03",
        "form": "CORRESP",
    }


def test_forms_filter_and_missing_optional_keys() -> None:
    data = columns(
        accessionNumber=["0000320193-24-000001", "0000320193-24-000002"],
        filingDate=["2024-01-02", "2024-01-03"],
        form=["10-K", "CORRESP"],
    )

    filtered = parse_submissions_json(data, source="x", forms=frozenset({"CORRESP"}))
    everything = parse_submissions_json(data, source="x")

    assert [ref.form for ref in filtered.refs] == ["CORRESP"]
    assert [ref.form for ref in everything.refs] == ["10-K", "CORRESP"]
    assert everything.older_pages == []
    assert everything.company == {"cik": "320193", "name": "Apple Inc."}


@pytest.mark.parametrize(
    "data",
    [
        b"<Error><Code>NoSuchKey</Code></Error>",
        b"[1, 2]",
        b'{"cik": "320193"}',
        b'{"filings": {"recent": {}}}',
        b'{"cik": "0", "filings": {"recent": {}}}',
        b'{"cik": "1", "filings": {"recent": {"form": "UPLOAD"}}}',
    ],
)
def test_not_a_submissions_file_raises_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_submissions_json(data, source="x")


def test_deeply_nested_json_raises_parse_error() -> None:
    # Found by fuzzing (tests/fuzz): json.loads raised RecursionError.
    with pytest.raises(ParseError, match="x: JSON nested too deeply to read"):
        parse_submissions_json(b'{"filings": ' + b'{"a": ' * 100_000, source="x")
