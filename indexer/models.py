"""Domain vocabulary shared by every package: identifiers and their normal forms.

EDGAR spells the same identifier several ways (CIK ``320193`` or ``0000320193``, accession
``000032019324000061`` or ``0000320193-24-000061``, file number ``1-7933`` or
``001-07933``). Each is parsed here, once, into one canonical string; everything else in the
project stores and compares only the canonical form.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator

__all__ = [
    "LETTER_FORMS",
    "AccessionNo",
    "Cik",
    "FileNumber",
    "FormType",
    "LetterId",
    "accession_folder",
    "accession_of",
    "embedded_letter_id",
    "normalize_accession",
    "normalize_cik",
    "normalize_file_number",
    "normalize_letter_id",
]

FormType = Literal["UPLOAD", "CORRESP", "DRSLTR"]
"""The correspondence forms this project collects (others may be configured)."""
LETTER_FORMS: tuple[FormType, ...] = get_args(FormType)
"""The same, as values: a new letter form is added to ``FormType`` and nowhere else."""

# [0-9], not \d: \d also matches other scripts' digits ("١٢٣"), which are no identifier.
_ACCESSION_DASHED = re.compile(r"^([0-9]{10})-([0-9]{2})-([0-9]{6})$")
_ACCESSION_PLAIN = re.compile(r"^([0-9]{10})([0-9]{2})([0-9]{6})$")
_EMBEDDED = re.compile(r"^(?P<accession>[0-9-]{18,20})[.#/-](?P<sequence>[0-9]{1,4})$")
_FILE_NUMBER = re.compile(r"^\s*([0-9]{1,3})\s*-\s*([0-9]{1,8})(?:\s*-\s*([0-9]{1,3}))?\s*$")


def normalize_cik(value: str | int) -> str:
    """Return a CIK as EDGAR's 10-digit zero-padded string; raise ``ValueError`` otherwise."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or int(text) == 0:
        raise ValueError(f"not a CIK: {value!r}")
    return text.zfill(10)


def normalize_accession(value: str) -> str:
    """Return an accession number in its dashed form ``0000320193-24-000061``.

    Accepts the dashed form and the 18-digit folder form; raises ``ValueError`` otherwise.
    """
    text = value.strip()
    match = _ACCESSION_DASHED.match(text) or _ACCESSION_PLAIN.match(text)
    if match is None:
        raise ValueError(f"not an accession number: {value!r}")
    return "-".join(match.groups())


def embedded_letter_id(accession: str, sequence: int) -> str:
    """The id of a letter filed as document ``sequence`` inside another submission (a CORRESP
    document in an S-1/A): ``0001193125-10-099603.13``."""
    return f"{normalize_accession(accession)}.{int(sequence)}"


def normalize_letter_id(value: str) -> str:
    """A letter's id: its accession, or accession and document sequence for a letter filed
    inside another submission (``0001193125-10-099603.13``; ``#13`` and ``/13`` are read the
    same). Raises ``ValueError`` otherwise."""
    text = value.strip()
    embedded = _EMBEDDED.match(text)
    if embedded is not None and int(embedded["sequence"]) > 0:
        try:
            return embedded_letter_id(embedded["accession"], int(embedded["sequence"]))
        except ValueError:
            pass  # a dashed accession whose last part looked like a sequence
    return normalize_accession(text)


def accession_of(letter_id: str) -> str:
    """The accession of the submission a letter id belongs to."""
    return letter_id.split(".", 1)[0]


def accession_folder(accession: str) -> str:
    """The 18-digit folder name EDGAR uses for an accession (or a letter id): no dashes."""
    return normalize_accession(accession_of(accession)).replace("-", "")


def normalize_file_number(value: str) -> str:
    """Return an SEC file number in EDGAR's form: 3-digit prefix, at least 5-digit number.

    ``0-17999`` -> ``000-17999``, ``1-7933`` -> ``001-07933``, ``333-123456`` stays, and a
    co-registrant suffix is kept (``333-140273-01``). Raises ``ValueError`` otherwise.
    """
    match = _FILE_NUMBER.match(value)
    if match is None:
        raise ValueError(f"not an SEC file number: {value!r}")
    prefix, number, suffix = match.groups()
    normal = f"{int(prefix):03d}-{int(number):05d}"
    if suffix is not None:
        normal += f"-{int(suffix):02d}"
    return normal


Cik = Annotated[str, AfterValidator(normalize_cik)]
AccessionNo = Annotated[str, AfterValidator(normalize_accession)]
LetterId = Annotated[str, AfterValidator(normalize_letter_id)]
FileNumber = Annotated[str, AfterValidator(normalize_file_number)]
