"""Full submissions of the listed sample letters: `FakeEdgarConfig.full_submissions`.

EDGAR serves every filing as one file, `/Archives/edgar/data/{CIK}/{ACCESSION}.txt`: the SGML
header, then each document in a `<DOCUMENT>` block (edgar.md §4.4). The samples hold only the
letters' primary documents, so with `full_submissions` (`--full-submissions`) the fake assembles
that file for each listed sample letter (`letters.sample_letters`), and a crawler makes one
request per filing, as it does on EDGAR.

The header is written in EDGAR's layout (tabs, `FILED FOR:` on an UPLOAD, `FILER:` on a
CORRESP, as in `submissions/0000000000-24-003505.txt` and `submissions/0000320193-24-000061.txt`)
from what the samples record, never invented:

- accession, form and filing date from the listing (`SampleLetter`); `<SEC-DOCUMENT>` and
  `<SEC-HEADER>` carry the dissemination day, which the demo listing takes to be the filing
  day; `<ACCEPTANCE-DATETIME>` is the earliest `last-modified` of the folder's `index.json`
  (EDGAR's acceptance time, US Eastern);
- company data (name as of the filing day, SIC, review office, EIN, state of incorporation,
  fiscal year end, addresses, phone, former names before the filing day) from the company's
  submissions JSON where the samples have one, else the listed name and CIK only;
- `SEC FILE NUMBER` where the submissions JSON gives the filing a `fileNumber` (most UPLOADs
  from 2023 on).

Documents: a document the samples store with its own `<DOCUMENT>` wrapper (every CORRESP
`filename1.htm`, as EDGAR serves them) is included as it is, not wrapped twice; a PDF is
uuencoded inside `<PDF>` (`begin 644 filename1` … `end`, as in the real UPLOAD submissions);
other documents are wrapped in `<DOCUMENT>`/`<TEXT>`. Documents that `index.json` lists but the
samples lack (`filename2.txt` TEXT-EXTRACTs, images) are left out, and `PUBLIC DOCUMENT COUNT`
counts what is included.
"""

from __future__ import annotations

import binascii
import json
import re
import threading
from collections.abc import Iterable
from datetime import date
from typing import Any

from . import urls
from .letters import SampleLetter
from .messages import Reply, file_reply, released
from .samples import SampleStore

__all__ = ["SubmissionAssembler", "uuencode"]

_UU_LINE = 45  # bytes per uuencoded line ("M" lines of 61 characters)
_TIMESTAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})")
_WRAPPED = b"<DOCUMENT>"


class SubmissionAssembler:
    """The `{ACCESSION}.txt` of each listed sample letter, rendered on request."""

    def __init__(self, store: SampleStore, letters: Iterable[SampleLetter]) -> None:
        self._store = store
        self._letters = {letter.accession: letter for letter in letters}
        self._rows: dict[int, dict[str, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def resolve(self, path: str) -> Reply | None:
        """The assembled submission at `path`, or None when no listed letter lives there."""
        url = urls.parse_submission(path)
        letter = None if url is None else self._letters.get(url.accession)
        if url is None or letter is None or letter.cik != url.cik:
            return None
        return file_reply(self.render(letter), path, released(letter.disseminated))

    def render(self, letter: SampleLetter) -> bytes:
        """The whole submission file of one letter."""
        documents = [self._document(letter)]
        header = self._header(letter, document_count=len(documents))
        return header + b"".join(documents) + b"</SEC-DOCUMENT>\n"

    # -- header ----------------------------------------------------------------------------

    def _header(self, letter: SampleLetter, *, document_count: int) -> bytes:
        company = self._store.submissions_json(letter.cik) or {}
        row = self._filing_row(letter)
        released_on = f"{letter.disseminated:%Y%m%d}"
        lines = [
            f"<SEC-DOCUMENT>{letter.accession}.txt : {released_on}",
            f"<SEC-HEADER>{letter.accession}.hdr.sgml : {released_on}",
            f"<ACCEPTANCE-DATETIME>{self._accepted(letter)}",
            "<PRIVATE-TO-PUBLIC>",
            f"ACCESSION NUMBER:\t\t{letter.accession}",
            f"CONFORMED SUBMISSION TYPE:\t{letter.form}",
            f"PUBLIC DOCUMENT COUNT:\t\t{document_count}",
            f"FILED AS OF DATE:\t\t{letter.filed:%Y%m%d}",
            "",
            "FILED FOR:\t\t" if letter.form == "UPLOAD" else "FILER:",
            "",
            *_company_data(letter, company),
            "",
            "\tFILING VALUES:",
            f"\t\tFORM TYPE:\t\t{letter.form}",
        ]
        if file_number := str(row.get("fileNumber") or "").strip():
            lines.append(f"\t\tSEC FILE NUMBER:\t{file_number}")
        lines += _addresses(company)
        lines += _former_names(company, letter.filed)
        lines.append("</SEC-HEADER>")
        return ("\n".join(lines) + "\n").encode("latin-1", errors="replace")

    def _filing_row(self, letter: SampleLetter) -> dict[str, Any]:
        with self._lock:
            if letter.cik not in self._rows:
                self._rows[letter.cik] = self._store.filing_rows(letter.cik)
            return self._rows[letter.cik].get(letter.accession, {})

    def _accepted(self, letter: SampleLetter) -> str:
        """`YYYYMMDDHHMMSS` (US Eastern) from the folder listing, else the filing day at 00:00."""
        listing = self._store.read(letter.sample_index_json)
        items = json.loads(listing).get("directory", {}).get("item", []) if listing else []
        stamps = sorted(
            "".join(match.groups())
            for item in items
            if (match := _TIMESTAMP.fullmatch(str(item.get("last-modified", "")))) is not None
        )
        return stamps[0] if stamps else f"{letter.filed:%Y%m%d}000000"

    # -- documents -------------------------------------------------------------------------

    def _document(self, letter: SampleLetter) -> bytes:
        body = self._store.require(letter.sample_document)
        if body.lstrip().startswith(_WRAPPED):
            return body if body.endswith(b"\n") else body + b"\n"
        kind = "LETTER" if letter.form == "UPLOAD" else letter.form
        head = f"<DOCUMENT>\n<TYPE>{kind}\n<SEQUENCE>1\n<FILENAME>{letter.document}\n<TEXT>\n"
        if letter.document.lower().endswith(".pdf"):
            stem = letter.document.rsplit(".", 1)[0]
            text = b"<PDF>\n" + uuencode(body, stem) + b"</PDF>\n"
        else:
            text = body if body.endswith(b"\n") else body + b"\n"
        return head.encode() + text + b"</TEXT>\n</DOCUMENT>\n"


def uuencode(data: bytes, name: str) -> bytes:
    """`begin 644 NAME`, 45-byte lines, an empty line and `end`, as EDGAR writes PDFs."""
    lines = [f"begin 644 {name}\n".encode()]
    lines += [binascii.b2a_uu(data[i : i + _UU_LINE]) for i in range(0, len(data), _UU_LINE)]
    return b"".join(lines) + b"\nend\n"


def _company_data(letter: SampleLetter, company: dict[str, Any]) -> list[str]:
    lines = [
        "\tCOMPANY DATA:\t",
        f"\t\tCOMPANY CONFORMED NAME:\t\t\t{letter.company}",
        f"\t\tCENTRAL INDEX KEY:\t\t\t{letter.cik:010d}",
    ]
    if sic := str(company.get("sic") or ""):
        description = str(company.get("sicDescription") or "").upper()
        lines.append(f"\t\tSTANDARD INDUSTRIAL CLASSIFICATION:\t{description} [{sic}]")
    if office := str(company.get("ownerOrg") or ""):
        lines.append(f"\t\tORGANIZATION NAME:           \t{office}")
    if ein := str(company.get("ein") or ""):
        lines.append(f"\t\tIRS NUMBER:\t\t\t\t{ein}")
    if state := str(company.get("stateOfIncorporation") or ""):
        lines.append(f"\t\tSTATE OF INCORPORATION:\t\t\t{state}")
    if fiscal_year_end := str(company.get("fiscalYearEnd") or ""):
        lines.append(f"\t\tFISCAL YEAR END:\t\t\t{fiscal_year_end}")
    return lines


def _addresses(company: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    addresses = company.get("addresses") or {}
    for key, title in (("business", "BUSINESS ADDRESS"), ("mailing", "MAIL ADDRESS")):
        address = addresses.get(key) or {}
        fields = [
            ("STREET 1:\t\t", address.get("street1")),
            ("STREET 2:\t\t", address.get("street2")),
            ("CITY:\t\t\t", address.get("city")),
            ("STATE:\t\t\t", address.get("stateOrCountry")),
            ("ZIP:\t\t\t", address.get("zipCode")),
        ]
        if key == "business":
            fields.append(("BUSINESS PHONE:\t\t", _phone(str(company.get("phone") or ""))))
        present = [f"\t\t{label}{value}" for label, value in fields if value]
        if present:
            lines += ["", f"\t{title}:\t", *present]
    return lines


def _phone(digits: str) -> str:
    """`4085232100` → `(408) 523-2100`, as EDGAR headers write US numbers; others unchanged."""
    if re.fullmatch(r"\d{10}", digits):
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return digits


def _former_names(company: dict[str, Any], filed: date) -> list[str]:
    """Names the company had given up before the filing day, the latest change first."""
    stamp = filed.isoformat()
    former = [
        entry
        for entry in company.get("formerNames") or []
        if str(entry.get("to", ""))[:10] and str(entry.get("to", ""))[:10] < stamp
    ]
    lines: list[str] = []
    for entry in sorted(former, key=lambda e: str(e.get("to", "")), reverse=True):
        changed = str(entry["to"])[:10].replace("-", "")
        lines += [
            "",
            "\tFORMER COMPANY:\t",
            f"\t\tFORMER CONFORMED NAME:\t{entry.get('name', '')}",
            f"\t\tDATE OF NAME CHANGE:\t{changed}",
        ]
    return lines
