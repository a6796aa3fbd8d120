"""Submission headers in all their variants (crawler.edgar.sgml_header, sgml_tree)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from crawler.edgar.dates import EASTERN
from crawler.edgar.sgml import parse_submission
from crawler.edgar.sgml_header import FilingValues, Party, SubmissionHeader, parse_submission_header
from crawler.edgar.sgml_tree import build_header_tree
from crawler.errors import ParseError


def header_of(samples_dir: Path, name: str) -> SubmissionHeader:
    path = samples_dir / "submissions" / name
    return parse_submission(path.read_bytes(), source=name).header


def file_numbers_by_party(header: SubmissionHeader) -> list[tuple[str, list[str | None]]]:
    return [
        (party.role, [values.file_number for values in party.filing_values])
        for party in header.parties
    ]


@pytest.mark.samples
def test_upload_header(samples_dir: Path) -> None:
    header = header_of(samples_dir, "0000000000-24-003505.txt")

    assert header.accession == "0000000000-24-003505"
    assert header.form == "UPLOAD"
    assert header.public_document_count == 2
    assert header.filed_as_of == date(2024, 4, 2)
    assert header.accepted_at == datetime(2024, 4, 2, 12, 36, 7, tzinfo=EASTERN)
    assert header.sec_document_date == date(2024, 6, 14)
    assert header.private_to_public is True
    assert header.public_reference_accession == "0000320193-23-000106"
    assert header.group_members == []
    assert header.file_numbers == ["001-36743"]
    assert header.parties == [
        Party(
            role="filed_for",
            name="Apple Inc.",
            cik="0000320193",
            sic_code="3571",
            sic_description="ELECTRONIC COMPUTERS",
            organization_name="06 Technology",
            irs_number="942404110",
            state_of_incorporation="CA",
            fiscal_year_end="0928",
            business_address={
                "street1": "ONE APPLE PARK WAY",
                "city": "CUPERTINO",
                "state": "CA",
                "zip": "95014",
                "phone": "(408) 996-1010",
            },
            mail_address={
                "street1": "ONE APPLE PARK WAY",
                "city": "CUPERTINO",
                "state": "CA",
                "zip": "95014",
            },
            former_names=[
                ("APPLE INC", date(2007, 1, 9)),
                ("APPLE COMPUTER INC", date(1997, 8, 8)),
            ],
            filing_values=[
                FilingValues(
                    form_type="UPLOAD",
                    act=None,
                    file_number="001-36743",
                    file_number_raw="001-36743",
                    film_number=None,
                )
            ],
        )
    ]


@pytest.mark.samples
def test_upload_header_keeps_everything_under_edgar_keys(samples_dir: Path) -> None:
    raw = header_of(samples_dir, "0000000000-24-003505.txt").raw

    assert raw["SEC-DOCUMENT"] == "0000000000-24-003505.txt : 20240614"
    assert raw["ACCEPTANCE-DATETIME"] == "20240402123607"
    assert raw["PRIVATE-TO-PUBLIC"] == ""
    filed_for = raw["FILED FOR"]
    assert isinstance(filed_for, dict)
    assert filed_for["FILING VALUES"] == {"FORM TYPE": "UPLOAD", "SEC FILE NUMBER": "001-36743"}
    assert filed_for["FORMER COMPANY"] == [
        {"FORMER CONFORMED NAME": "APPLE INC", "DATE OF NAME CHANGE": "20070109"},
        {"FORMER CONFORMED NAME": "APPLE COMPUTER INC", "DATE OF NAME CHANGE": "19970808"},
    ]


@pytest.mark.samples
def test_corresp_header_has_a_filer_and_no_file_number(samples_dir: Path) -> None:
    header = header_of(samples_dir, "0000320193-24-000061.txt")

    assert (header.form, header.filed_as_of) == ("CORRESP", date(2024, 4, 29))
    assert header.sec_document_date == date(2024, 6, 14)
    assert header.public_reference_accession is None
    (filer,) = header.parties
    assert (filer.role, filer.cik, filer.organization_name) == (
        "filer",
        "0000320193",
        "06 Technology",
    )
    assert filer.filing_values == [
        FilingValues(
            form_type="CORRESP", act=None, file_number=None, file_number_raw=None, film_number=None
        )
    ]
    assert header.file_numbers == []


@pytest.mark.samples
def test_2026_header_says_ein(samples_dir: Path) -> None:
    header = header_of(samples_dir, "0000000000-26-001655.txt")

    (filed_for,) = header.parties
    assert (filed_for.irs_number, filed_for.organization_name) == ("862405608", "03 Life Sciences")
    assert header.file_numbers == ["333-293459"]
    assert header.public_reference_accession == "0001104659-26-015159"
    assert header.sec_document_date == date(2026, 3, 20)


@pytest.mark.samples
def test_repeated_filer_blocks_each_keep_their_file_number(samples_dir: Path) -> None:
    header = header_of(samples_dir, "headers/0001193125-24-066744.header-double-newlines.txt")

    assert header.form == "485APOS"
    assert header.private_to_public is True
    assert file_numbers_by_party(header) == [("filer", ["811-09729"]), ("filer", ["333-92935"])]
    assert [party.filing_values[0].act for party in header.parties] == ["1940 Act", "1933 Act"]
    assert header.parties[0].organization_name is None  # "ORGANIZATION NAME:" with no value
    series = header.raw["SERIES-AND-CLASSES-CONTRACTS-DATA"]
    assert isinstance(series, dict)
    new_series = series["NEW-SERIES-AND-CLASSES-CONTRACTS"]
    assert isinstance(new_series, dict)
    assert new_series["OWNER-CIK"] == "0001100663"


@pytest.mark.samples
def test_tag_lines_inside_key_value_header_and_suffixed_file_numbers(samples_dir: Path) -> None:
    header = header_of(samples_dir, "headers/0001104659-23-069855.header.txt")

    assert header.raw["DEPOSITOR-CIK"] == "0001171040"
    assert header.raw["SPONSOR-CIK"] == "0000036644"
    assert header.raw["ABS ASSET CLASS"] == "Credit card"
    assert header.accepted_at == datetime(2023, 6, 9, 14, 56, 16, tzinfo=EASTERN)
    assert header.sec_document_date is None
    assert file_numbers_by_party(header) == [
        ("filer", ["333-140273-01"]),
        ("filer", ["000-50139"]),
    ]
    assert [party.cik for party in header.parties] == ["0001396730", "0001171040"]


@pytest.mark.samples
def test_1990s_header_with_tag_container_for_the_reporting_owner(samples_dir: Path) -> None:
    header = header_of(samples_dir, "headers/0001012325-98-000004.header.txt")

    assert header.accepted_at is None
    assert header.sec_document_date == date(1998, 11, 23)
    assert [(party.role, party.name) for party in header.parties] == [
        ("subject_company", "MORTON INTERNATIONAL INC /IN/"),
        ("reporting_owner", "CANTALUPO JAMES R"),
    ]
    subject, owner = header.parties
    assert subject.filing_values[0].act is None  # "SEC ACT:" with no value
    assert subject.filing_values[0].file_number == "001-12825"
    assert (owner.sic_code, owner.sic_description) == (None, None)  # " []"
    reporting_owner = header.raw["REPORTING-OWNER"]
    assert isinstance(reporting_owner, dict)
    assert reporting_owner["RELATIONSHIP"] == "DIRECTOR"


@pytest.mark.samples
def test_pem_wrapped_header_without_acceptance_time(samples_dir: Path) -> None:
    header = header_of(samples_dir, "0000950129-95-001652.txt")

    assert header.accepted_at is None
    assert (header.filed_as_of, header.sec_document_date) == (date(1995, 12, 28), date(1996, 1, 2))
    assert header.raw["SROS"] == "NASD"
    assert file_numbers_by_party(header) == [("filer", ["033-11716"])]
    assert header.parties[0].filing_values[0].film_number == "95605520"


@pytest.mark.samples
def test_subject_company_filed_by_and_group_members(samples_dir: Path) -> None:
    header = header_of(samples_dir, "0001104659-25-002604.txt")

    assert [party.role for party in header.parties] == [
        "subject_company",
        "subject_company",
        "filed_by",
    ]
    assert len(header.group_members) == 6
    assert header.group_members[0] == "AMERICAN ENTERTAINMENT PROPERTIES CORP."
    assert header.parties[0].organization_name == "01 Energy & Transportation"


@pytest.mark.samples
def test_reporting_owner_and_issuer_sections(samples_dir: Path) -> None:
    header = header_of(samples_dir, "0001127602-25-001055.txt")

    owner, issuer = header.parties
    assert (owner.role, owner.name, owner.cik) == (
        "reporting_owner",
        "Garascia Jessica A.",
        "0001806647",
    )
    assert owner.filing_values[0].file_number == "001-06263"
    assert (issuer.role, issuer.name, issuer.organization_name) == (
        "issuer",
        "AAR CORP",
        "04 Manufacturing",
    )


@pytest.mark.samples
@pytest.mark.parametrize(
    ("name", "form", "file_number"),
    [
        ("0001104659-25-002604.nc", "SC TO-T/A", "005-83522"),
        ("0001398344-24-000491.nc", "D/A", "021-67023"),
        ("0002002260-24-000001.nc", "D", "021-502201"),
    ],
)
def test_dissemination_headers(samples_dir: Path, name: str, form: str, file_number: str) -> None:
    header = header_of(samples_dir, f"nc/{name}")

    assert header.accession == name.removesuffix(".nc")
    assert header.form == form
    assert header.filed_as_of is not None
    assert header.file_numbers[0] == file_number


@pytest.mark.samples
def test_dissemination_header_maps_like_the_text_header(samples_dir: Path) -> None:
    text_header = header_of(samples_dir, "0001104659-25-002604.txt")
    feed_header = header_of(samples_dir, "nc/0001104659-25-002604.nc")

    def summary(header: SubmissionHeader) -> list[tuple[str, str | None, str | None, list[str]]]:
        return [
            (
                party.role,
                party.cik,
                party.sic_code,
                [fv.form_type or "" for fv in party.filing_values],
            )
            for party in header.parties
        ]

    assert summary(feed_header) == summary(text_header)
    assert feed_header.group_members == text_header.group_members
    assert feed_header.file_numbers == text_header.file_numbers
    assert feed_header.parties[2].former_names == text_header.parties[2].former_names


def test_header_text_without_accession_raises_parse_error() -> None:
    with pytest.raises(ParseError, match="no accession number"):
        parse_submission_header("CONFORMED SUBMISSION TYPE:\tUPLOAD\n", source="x")


def test_unparsable_values_become_warnings() -> None:
    header, warnings = parse_submission_header(
        "<ACCEPTANCE-DATETIME>2024-04-02\n"
        "ACCESSION NUMBER:\t0000000000-24-003505\n"
        "CONFORMED SUBMISSION TYPE:\tUPLOAD\n"
        "PUBLIC DOCUMENT COUNT:\ttwo\n"
        "FILED AS OF DATE:\t20241302\n"
        "a line without any colon\n"
        "FILED FOR:\n"
        "\tCOMPANY DATA:\n"
        "\t\tCENTRAL INDEX KEY:\tABC\n"
        "\tFILING VALUES:\n"
        "\t\tSEC FILE NUMBER:\tsee letter\n",
        source="x",
    )

    assert (header.accepted_at, header.public_document_count, header.filed_as_of) == (
        None,
        None,
        None,
    )
    (party,) = header.parties
    assert party.cik is None
    assert (party.filing_values[0].file_number, party.filing_values[0].file_number_raw) == (
        None,
        "see letter",
    )
    assert warnings == [
        "header line 6 not understood: 'a line without any colon'",
        "not a number: 'two'",
        "not a date: '20241302'",
        "not an acceptance date-time: '2024-04-02'",
        "not a CIK: 'ABC'",
        "not an SEC file number: 'see letter'",
    ]


def test_run_together_tags_and_stray_angle_brackets() -> None:
    tree = build_header_tree(
        "<SUBMISSION>\n<ACCESSION-NUMBER>0000000000-24-000001<TYPE>UPLOAD<FILER><COMPANY-DATA>"
        "<CONFORMED-NAME>A<B CORP<CIK>0000000001</COMPANY-DATA></FILER></NOT-OPEN>"
    )

    assert tree.raw == {
        "ACCESSION-NUMBER": "0000000000-24-000001",
        "TYPE": "UPLOAD",
        "FILER": {"COMPANY-DATA": {"CONFORMED-NAME": "A<B CORP", "CIK": "0000000001"}},
    }
    assert [name for name, _ in tree.top_sections] == ["FILER"]
    assert tree.warnings == ["header has </NOT-OPEN> without a matching <NOT-OPEN>"]


def test_company_data_run_into_one_line_skips_the_party_with_a_warning() -> None:
    # Found by fuzzing (tests/fuzz): a lost line break leaves COMPANY DATA with a value
    # instead of a section, which raised IndexError.
    header, warnings = parse_submission_header(
        "ACCESSION NUMBER:\t0000000000-24-000001\n"
        "CONFORMED SUBMISSION TYPE:\tUPLOAD\n"
        "FILER:\n"
        "\tCOMPANY DATA:\tCOMPANY CONFORMED NAME:\tACME INC\n"
        "\t\tCENTRAL INDEX KEY:\t0000000001\n"
        "SUBJECT COMPANY:\n"
        "\tCOMPANY DATA:\n"
        "\t\tCENTRAL INDEX KEY:\t0000000002\n",
        source="damaged",
    )

    assert [(party.role, party.cik) for party in header.parties] == [
        ("subject_company", "0000000002")
    ]
    assert warnings == ["FILER: company data is not a section of fields; party skipped"]


def test_cik_and_accession_in_other_scripts_digits_are_not_identifiers() -> None:
    # Found by fuzzing: str.isdigit() and \d accept "١٢٣" (Arabic-Indic digits).
    header, warnings = parse_submission_header(
        "ACCESSION NUMBER:\t0000000000-24-000001\n"
        "CONFORMED SUBMISSION TYPE:\tUPLOAD\n"
        "PUBLIC REFERENCE ACCESSION NUMBER:\t٠٠٠٠٣٢٠١٩٣-24-000106\n"
        "FILER:\n\tCOMPANY DATA:\n\t\tCENTRAL INDEX KEY:\t٣٢٠١٩٣\n",
        source="digits",
    )

    assert header.parties[0].cik is None
    assert header.public_reference_accession is None
    assert warnings == [
        "not an accession number: '٠٠٠٠٣٢٠١٩٣-24-000106'",
        "not a CIK: '٣٢٠١٩٣'",
    ]
