"""The typed header of an EDGAR submission: dates, parties, file numbers.

Owns mapping the raw header tree (``crawler.edgar.sgml_tree``, which keeps everything under
EDGAR's own keys) to ``SubmissionHeader``, ``Party`` and ``FilingValues``, for both the ``.txt``
and the ``.nc`` spelling; each field's spellings are listed once in ``crawler.edgar.sgml_fields``.
A party is any top-level section holding ``COMPANY DATA`` or ``OWNER DATA``; its role is the
section's name (``FILED FOR`` -> ``filed_for``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from crawler.edgar.dates import EASTERN
from crawler.edgar.sgml_fields import (
    PartyFields,
    SubmissionFields,
    first_text,
    sections,
    texts,
    to_header_date,
)
from crawler.edgar.sgml_tree import RawSection, build_header_tree
from crawler.errors import ParseError
from indexer.models import normalize_accession, normalize_cik, normalize_file_number

__all__ = ["FilingValues", "Party", "SubmissionHeader", "parse_submission_header"]

_SIC = re.compile(r"^(?P<description>.*?)\s*\[(?P<code>\d*)\]\s*$")
_FILE_DATE = re.compile(r":\s*(\d{8})\s*$")
_ROLE_SEPARATORS = re.compile(r"[\s-]+")


@dataclass(frozen=True, slots=True)
class FilingValues:
    """One ``FILING VALUES`` block of a party."""

    form_type: str | None
    act: str | None
    file_number: str | None
    """Normalized with ``normalize_file_number``; None when absent or not a file number."""
    file_number_raw: str | None
    film_number: str | None


@dataclass(frozen=True, slots=True)
class Party:
    """A company or person section of the header (``FILER``, ``FILED FOR``, ``ISSUER`` ...)."""

    role: str
    """Section name, lower case with underscores: ``filer``, ``filed_for``, ``reporting_owner``."""
    name: str | None
    cik: str | None
    sic_code: str | None
    sic_description: str | None
    organization_name: str | None
    """The review office, e.g. ``06 Technology``."""
    irs_number: str | None
    """``IRS NUMBER`` (``EIN`` in 2026 headers)."""
    state_of_incorporation: str | None
    fiscal_year_end: str | None
    business_address: dict[str, str]
    mail_address: dict[str, str]
    former_names: list[tuple[str, date | None]]
    filing_values: list[FilingValues]


@dataclass(frozen=True, slots=True)
class SubmissionHeader:
    """The typed fields of a submission header plus everything else in ``raw``."""

    accession: str
    form: str
    public_document_count: int | None
    filed_as_of: date | None
    """``FILED AS OF DATE``: for correspondence, the letter's date."""
    accepted_at: datetime | None
    """``<ACCEPTANCE-DATETIME>`` (US Eastern wall-clock time, zone attached); None before ~2000."""
    sec_document_date: date | None
    """Date on the ``<SEC-DOCUMENT>``/``<SEC-HEADER>`` line: the release day if private-to-public,
    else the filing day."""
    private_to_public: bool
    public_reference_accession: str | None
    """The reviewed filing an UPLOAD refers to (``PUBLIC REFERENCE ACCESSION NUMBER``)."""
    parties: list[Party]
    group_members: list[str]
    raw: RawSection

    @property
    def file_numbers(self) -> list[str]:
        """Every normalized file number of every party, in header order, without repeats."""
        numbers = (values.file_number for party in self.parties for values in party.filing_values)
        return list(dict.fromkeys(number for number in numbers if number))


def parse_submission_header(text: str, *, source: str) -> tuple[SubmissionHeader, list[str]]:
    """Parse a header (``.txt`` or ``.nc`` spelling) into a ``SubmissionHeader`` and warnings.

    Raises ``ParseError`` when the text has no accession number or no form type.
    """
    tree = build_header_tree(text)
    raw, warnings = tree.raw, tree.warnings
    accession_text = first_text(raw, SubmissionFields.ACCESSION)
    form = first_text(raw, SubmissionFields.FORM)
    if accession_text is None or form is None:
        raise ParseError(source, "no accession number or form type in the submission header")
    try:
        accession = normalize_accession(accession_text)
    except ValueError as exc:
        raise ParseError(source, f"bad accession number {accession_text!r}") from exc

    header = SubmissionHeader(
        accession=accession,
        form=form,
        public_document_count=_to_int(first_text(raw, SubmissionFields.DOCUMENT_COUNT), warnings),
        filed_as_of=to_header_date(first_text(raw, SubmissionFields.FILED_AS_OF), warnings),
        accepted_at=_to_datetime(first_text(raw, SubmissionFields.ACCEPTED_AT), warnings),
        sec_document_date=_sec_document_date(raw, warnings),
        private_to_public=any(key in raw for key in SubmissionFields.PRIVATE_TO_PUBLIC),
        public_reference_accession=_normalized(
            first_text(raw, SubmissionFields.PUBLIC_REFERENCE), normalize_accession, warnings
        ),
        parties=_to_parties(tree.top_sections, warnings),
        group_members=texts(raw, SubmissionFields.GROUP_MEMBERS),
        raw=raw,
    )
    return header, warnings


def _to_parties(top_sections: list[tuple[str, RawSection]], warnings: list[str]) -> list[Party]:
    """Every top-level section holding ``COMPANY DATA`` (or ``OWNER DATA``), as a party.

    When that key holds a value instead of a section (a damaged header that lost a line
    break), the section is skipped with a warning.
    """
    parties = []
    for name, section in top_sections:
        if not any(key in section for key in PartyFields.ENTITY_DATA):
            continue
        if not sections(section, PartyFields.ENTITY_DATA):
            warnings.append(f"{name}: company data is not a section of fields; party skipped")
            continue
        parties.append(_to_party(name, section, warnings))
    return parties


def _to_party(name: str, section: RawSection, warnings: list[str]) -> Party:
    entity = sections(section, PartyFields.ENTITY_DATA)[0]
    sic_code, sic_description = _split_sic(first_text(entity, PartyFields.SIC))
    return Party(
        role=_ROLE_SEPARATORS.sub("_", name.strip()).lower(),
        name=first_text(entity, PartyFields.NAME),
        cik=_normalized(first_text(entity, PartyFields.CIK), normalize_cik, warnings),
        sic_code=sic_code,
        sic_description=sic_description,
        organization_name=first_text(entity, PartyFields.ORGANIZATION_NAME),
        irs_number=first_text(entity, PartyFields.IRS_NUMBER),
        state_of_incorporation=first_text(entity, PartyFields.STATE_OF_INCORPORATION),
        fiscal_year_end=first_text(entity, PartyFields.FISCAL_YEAR_END),
        business_address=_to_address(section, PartyFields.BUSINESS_ADDRESS),
        mail_address=_to_address(section, PartyFields.MAIL_ADDRESS),
        former_names=[
            (former_name, to_header_date(first_text(former, PartyFields.CHANGED_ON), warnings))
            for former in sections(section, PartyFields.FORMER_COMPANY)
            if (former_name := first_text(former, PartyFields.FORMER_NAME)) is not None
        ],
        filing_values=[
            _to_filing_values(values, warnings)
            for values in sections(section, PartyFields.FILING_VALUES)
        ],
    )


def _to_filing_values(section: RawSection, warnings: list[str]) -> FilingValues:
    file_number_raw = first_text(section, PartyFields.FILE_NUMBER)
    return FilingValues(
        form_type=first_text(section, PartyFields.FORM_TYPE),
        act=first_text(section, PartyFields.ACT),
        file_number=_normalized(file_number_raw, normalize_file_number, warnings),
        file_number_raw=file_number_raw,
        film_number=first_text(section, PartyFields.FILM_NUMBER),
    )


def _to_address(section: RawSection, keys: tuple[str, ...]) -> dict[str, str]:
    """An address section with keys unified across spellings (``street1``, ``city``, ``phone``)."""
    found = sections(section, keys)
    if not found:
        return {}
    address: dict[str, str] = {}
    for key, value in found[0].items():
        if isinstance(value, str) and value:
            address[PartyFields.ADDRESS_KEYS.get(key, key.lower().replace(" ", "_"))] = value
    return address


def _split_sic(value: str | None) -> tuple[str | None, str | None]:
    """``ELECTRONIC COMPUTERS [3571]`` -> (``3571``, ``ELECTRONIC COMPUTERS``); ``2911`` -> code."""
    if value is None:
        return None, None
    match = _SIC.match(value)
    if match is None:
        return (value, None) if value.isdecimal() else (None, value)
    return match.group("code") or None, match.group("description") or None


def _sec_document_date(raw: RawSection, warnings: list[str]) -> date | None:
    """The date after the file name on the ``<SEC-DOCUMENT>`` (else ``<SEC-HEADER>``) line."""
    for key in ("SEC-DOCUMENT", "SEC-HEADER"):
        value = first_text(raw, (key,))
        match = _FILE_DATE.search(value) if value else None
        if match:
            return to_header_date(match.group(1), warnings)
    return None


def _to_int(value: str | None, warnings: list[str]) -> int | None:
    if value is None:
        return None
    if value.isdecimal():
        return int(value)
    warnings.append(f"not a number: {value!r}")
    return None


def _to_datetime(value: str | None, warnings: list[str]) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=EASTERN)
    except ValueError:
        warnings.append(f"not an acceptance date-time: {value!r}")
        return None


def _normalized(
    value: str | None, normalize: Callable[[str], str], warnings: list[str]
) -> str | None:
    """``normalize(value)``; None when absent, and None with a warning when invalid."""
    if value is None:
        return None
    try:
        return normalize(value)
    except ValueError as exc:
        warnings.append(str(exc))
        return None
