"""EDGAR's spellings of submission-header fields, and lookups in the raw header tree.

A full submission ``.txt`` says ``CONFORMED SUBMISSION TYPE`` where a dissemination ``.nc``
file says ``TYPE``; 2024 headers say ``IRS NUMBER`` where 2026 headers say ``EIN``. Each field
lists all its spellings here, once, so the mapping code reads the same for every variant.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from crawler.edgar.dates import to_date
from crawler.edgar.sgml_tree import RawSection

__all__ = [
    "PartyFields",
    "SubmissionFields",
    "first_text",
    "sections",
    "texts",
    "to_header_date",
]


class SubmissionFields:
    """Spellings of the submission-level fields: (``.txt`` header, ``.nc`` file)."""

    ACCESSION: Final = ("ACCESSION NUMBER", "ACCESSION-NUMBER")
    FORM: Final = ("CONFORMED SUBMISSION TYPE", "TYPE")
    DOCUMENT_COUNT: Final = ("PUBLIC DOCUMENT COUNT", "PUBLIC-DOCUMENT-COUNT")
    FILED_AS_OF: Final = ("FILED AS OF DATE", "FILING-DATE")
    ACCEPTED_AT: Final = ("ACCEPTANCE-DATETIME",)
    PRIVATE_TO_PUBLIC: Final = ("PRIVATE-TO-PUBLIC",)
    PUBLIC_REFERENCE: Final = (
        "PUBLIC REFERENCE ACCESSION NUMBER",
        "PUBLIC-REFERENCE-ACCESSION-NUMBER",  # .nc spelling unconfirmed (edgar.md §3.7)
    )
    GROUP_MEMBERS: Final = ("GROUP MEMBERS", "GROUP-MEMBERS")


class PartyFields:
    """Spellings of the fields inside a party section (``FILER``, ``FILED FOR`` ...)."""

    ENTITY_DATA: Final = ("COMPANY DATA", "OWNER DATA", "COMPANY-DATA", "OWNER-DATA")
    """A top-level section holding one of these is a party."""
    NAME: Final = ("COMPANY CONFORMED NAME", "CONFORMED-NAME")
    CIK: Final = ("CENTRAL INDEX KEY", "CIK")
    SIC: Final = ("STANDARD INDUSTRIAL CLASSIFICATION", "ASSIGNED-SIC")
    ORGANIZATION_NAME: Final = ("ORGANIZATION NAME", "ORGANIZATION-NAME")
    IRS_NUMBER: Final = ("IRS NUMBER", "EIN", "IRS-NUMBER")
    STATE_OF_INCORPORATION: Final = ("STATE OF INCORPORATION", "STATE-OF-INCORPORATION")
    FISCAL_YEAR_END: Final = ("FISCAL YEAR END", "FISCAL-YEAR-END")
    FILING_VALUES: Final = ("FILING VALUES", "FILING-VALUES")
    FORM_TYPE: Final = ("FORM TYPE", "FORM-TYPE")
    ACT: Final = ("SEC ACT", "ACT")
    FILE_NUMBER: Final = ("SEC FILE NUMBER", "FILE-NUMBER")
    FILM_NUMBER: Final = ("FILM NUMBER", "FILM-NUMBER")
    BUSINESS_ADDRESS: Final = ("BUSINESS ADDRESS", "BUSINESS-ADDRESS")
    MAIL_ADDRESS: Final = ("MAIL ADDRESS", "MAIL-ADDRESS")
    FORMER_COMPANY: Final = ("FORMER COMPANY", "FORMER-COMPANY")
    FORMER_NAME: Final = ("FORMER CONFORMED NAME", "FORMER-CONFORMED-NAME")
    CHANGED_ON: Final = ("DATE OF NAME CHANGE", "DATE-CHANGED")
    ADDRESS_KEYS: Final = {
        "STREET 1": "street1",
        "STREET1": "street1",
        "STREET 2": "street2",
        "STREET2": "street2",
        "CITY": "city",
        "STATE": "state",
        "ZIP": "zip",
        "BUSINESS PHONE": "phone",
        "PHONE": "phone",
    }
    """Address keys of both spellings; any other key is lower-cased with underscores."""


def _values(section: RawSection, keys: tuple[str, ...]) -> list[str | RawSection]:
    """All values stored under any of ``keys``, flattening repeated keys."""
    found: list[str | RawSection] = []
    for key in keys:
        value = section.get(key)
        if isinstance(value, list):
            found.extend(value)
        elif value is not None:
            found.append(value)
    return found


def texts(section: RawSection, keys: tuple[str, ...]) -> list[str]:
    """Every non-empty text value under any of ``keys``."""
    return [value for value in _values(section, keys) if isinstance(value, str) and value]


def first_text(section: RawSection, keys: tuple[str, ...]) -> str | None:
    """The first non-empty text value under any of ``keys``; None if there is none."""
    found = texts(section, keys)
    return found[0] if found else None


def sections(section: RawSection, keys: tuple[str, ...]) -> list[RawSection]:
    """Every sub-section under any of ``keys``."""
    return [value for value in _values(section, keys) if isinstance(value, dict)]


def to_header_date(value: str | None, warnings: list[str]) -> date | None:
    """``YYYYMMDD`` (or ``YYYY-MM-DD``) as a date; None, with a warning, if it is not one."""
    if value is None:
        return None
    parsed = to_date(value)
    if parsed is None:
        warnings.append(f"not a date: {value!r}")
    return parsed
