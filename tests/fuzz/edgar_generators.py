"""Valid EDGAR files generated from random parts, with what a parser must read back.

Each generator takes a ``random.Random`` (seeded for the long run, ``st.randoms()`` in the
Hypothesis tests) and returns the rendered bytes or text together with the expected parse:
a full submission with text and uuencoded PDF documents, an index file of any of the three
kinds and two date styles, an Atom page of the current-filings feed, and a uuencoded block
written by ``binascii`` (the oracle for ``decode_uuencoded``).
"""

from __future__ import annotations

import binascii
import random
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape

__all__ = [
    "GeneratedDocument",
    "GeneratedSubmission",
    "IndexRow",
    "random_accession",
    "random_feed",
    "random_index",
    "random_submission",
    "render_index",
    "uuencode",
]

_FORMS = ("UPLOAD", "CORRESP", "10-K", "8-K", "S-1/A", "SC 13G", "1-A POS", "DRSLTR", "4")
_WORDS = (
    "ACME",
    "HOLDINGS",
    "Inc.",
    "CORP",
    "/DE/",
    "Fund",
    "L.P.",
    "TRUST",
    "Bancorp",
    "N V",
    "&",
    "Co",
    "2",
    "Ünited",
)
_TEXT_BYTES = b"abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789 .,;:()-'\"\t\r\n\x93\x94\x96\xe9"
_FIRST_DAY = date(1994, 1, 1)


def random_accession(rng: random.Random) -> str:
    filer, year, number = rng.randint(1, 9_999_999_999), rng.randint(0, 99), rng.randint(0, 999_999)
    return f"{filer:010d}-{year:02d}-{number:06d}"


def _name(rng: random.Random, words: int = 4) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, words)))


def _day(rng: random.Random) -> date:
    return _FIRST_DAY + timedelta(days=rng.randint(0, 12_000))


@dataclass(frozen=True, slots=True)
class GeneratedDocument:
    type: str
    sequence: int
    filename: str
    content: bytes
    """What the parser must return: the text bytes, or the bytes that were uuencoded."""
    pdf: bool


@dataclass(frozen=True, slots=True)
class GeneratedSubmission:
    data: bytes
    accession: str
    form: str
    cik: str
    filed_on: date
    documents: tuple[GeneratedDocument, ...]


def uuencode(data: bytes, *, name: str = "filename1", line_ending: bytes = b"\n") -> bytes:
    """``data`` as EDGAR embeds it: ``begin 644 name``, 45-byte lines (binascii), ``end``."""
    lines = [b"begin 644 " + name.encode("latin-1")]
    lines += [binascii.b2a_uu(data[i : i + 45]).rstrip(b"\n") for i in range(0, len(data), 45)]
    lines += [binascii.b2a_uu(b"").rstrip(b"\n"), b"end", b""]
    return line_ending.join(lines)


def random_submission(rng: random.Random) -> GeneratedSubmission:
    """A full submission ``.txt``: SGML header, one to four documents, some uuencoded PDFs."""
    accession, form, filed_on = random_accession(rng), rng.choice(_FORMS), _day(rng)
    cik = f"{rng.randint(1, 9_999_999):010d}"
    documents = []
    parts = []
    for sequence in range(1, rng.randint(1, 4) + 1):
        pdf = rng.random() < 0.4
        if pdf:
            payload = b"%PDF-1.4\n" + bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 900)))
            body = b"\n<PDF>\n" + uuencode(payload) + b"</PDF>\n"
            document = GeneratedDocument(
                "LETTER", sequence, f"filename{sequence}.pdf", payload, True
            )
        else:
            size = rng.randint(0, 2000)
            payload = bytes(rng.choice(_TEXT_BYTES) for _ in range(size))
            body = payload
            document = GeneratedDocument(form, sequence, f"filename{sequence}.txt", payload, False)
        documents.append(document)
        parts.append(
            b"<DOCUMENT>\n<TYPE>%s\n<SEQUENCE>%d\n<FILENAME>%s\n<TEXT>%s</TEXT>\n</DOCUMENT>\n"
            % (document.type.encode(), sequence, document.filename.encode(), body)
        )
    header = (
        f"<SEC-DOCUMENT>{accession}.txt : {filed_on:%Y%m%d}\n"
        f"<SEC-HEADER>{accession}.hdr.sgml : {filed_on:%Y%m%d}\n"
        f"<ACCEPTANCE-DATETIME>{filed_on:%Y%m%d}123607\n"
        f"ACCESSION NUMBER:\t\t{accession}\n"
        f"CONFORMED SUBMISSION TYPE:\t{form}\n"
        f"PUBLIC DOCUMENT COUNT:\t\t{len(documents)}\n"
        f"FILED AS OF DATE:\t\t{filed_on:%Y%m%d}\n\n"
        "FILER:\t\t\n\n"
        "\tCOMPANY DATA:\t\n"
        f"\t\tCOMPANY CONFORMED NAME:\t\t\t{_name(rng)}\n"
        f"\t\tCENTRAL INDEX KEY:\t\t\t{cik}\n\n"
        "\tFILING VALUES:\n"
        f"\t\tFORM TYPE:\t\t{form}\n"
        f"\t\tSEC FILE NUMBER:\t{rng.randint(0, 999):03d}-{rng.randint(1, 99999):05d}\n"
        "</SEC-HEADER>\n"
    ).encode("latin-1")
    data = header + b"".join(parts) + b"</SEC-DOCUMENT>\n"
    return GeneratedSubmission(data, accession, form, cik, filed_on, tuple(documents))


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One generated index row as ``refs_as_rows`` reads a ``FilingRef`` back."""

    accession: str
    cik: str
    form: str
    company: str
    filed_on: str


_PREAMBLE = (
    "Description:           Daily Index of EDGAR Dissemination Feed\n"
    "Last Data Received:    Mar 18, 2020\n"
    "Comments:              webmaster@sec.gov\n"
    "Anonymous FTP:         ftp://ftp.sec.gov/edgar/\n \n \n"
)
_FORM_WIDTH = 12
_COMPANY_WIDTH = 62
_FORM_HEADER = f"{'Form Type':<12}{'Company Name':<62}{'CIK':<12}{'Date Filed':<12}File Name"
_COMPANY_HEADER = f"{'Company Name':<62}{'Form Type':<12}{'CIK':<12}{'Date Filed':<12}File Name"
_COMPANY_HEADER_WRAPPED = (
    "Company Name                                                  Form Type   CIK\n"
    "      Date Filed  File Name"
)


def random_index(rng: random.Random) -> tuple[str, list[IndexRow]]:
    """An index file of a random kind and its rows."""
    rows = []
    for _ in range(rng.randint(0, 40)):
        cik = rng.randint(1, 9_999_999_999)
        company = _name(rng, 12)
        if len(company) >= _COMPANY_WIDTH and company[_COMPANY_WIDTH - 1] == " ":
            # A name that overflows its column with a word break just at the column's last
            # character reads like a padded name: fixed-width rows cannot tell them apart.
            company = company[: _COMPANY_WIDTH - 1].rstrip()
        day = _day(rng).isoformat()
        rows.append(
            IndexRow(random_accession(rng), f"{cik:010d}", rng.choice(_FORMS), company, day)
        )
    kind = rng.choice(("form", "company", "master"))
    return render_index(rows, kind=kind, dashed_dates=rng.random() < 0.5, rng=rng), rows


def render_index(rows: list[IndexRow], *, kind: str, dashed_dates: bool, rng: random.Random) -> str:
    """The rows as a ``form``, ``company`` or ``master`` index (fixed-width fields padded
    the way EDGAR pads them; an overflowing field is followed by two spaces)."""
    lines = [_PREAMBLE.rstrip("\n")]
    if kind == "master":
        lines += ["CIK|Company Name|Form Type|Date Filed|File Name", "-" * 80]
    elif kind == "form":
        lines += [_FORM_HEADER, "-" * 137]
    else:
        lines += [rng.choice((_COMPANY_HEADER, _COMPANY_HEADER_WRAPPED)), "-" * 145]
    for row in rows:
        cik = str(int(row.cik))
        filed = row.filed_on if dashed_dates else row.filed_on.replace("-", "")
        folder = row.accession if rng.random() < 0.8 else row.accession.replace("-", "")
        file_name = f"edgar/data/{cik}/{folder}.txt"
        if kind == "master":
            lines.append(f"{cik}|{row.company}|{row.form}|{filed}|{file_name}")
            continue
        first, second = (row.form, row.company) if kind == "form" else (row.company, row.form)
        width = _FORM_WIDTH if kind == "form" else _COMPANY_WIDTH
        second_width = _FORM_WIDTH + _COMPANY_WIDTH - width
        lines.append(
            f"{_pad(first, width)}{_pad(second, second_width)}{_pad(cik, 12)}{_pad(filed, 12)}"
            f"{file_name}" + " " * rng.randint(0, 9)
        )
    return "\n".join(lines) + "\n"


def _pad(field: str, width: int) -> str:
    return field.ljust(width) if len(field) < width else field + "  "


def random_feed(rng: random.Random) -> tuple[bytes, list[IndexRow]]:
    """An Atom page of the current-filings feed and the rows it lists."""
    rows, entries = [], []
    for _ in range(rng.randint(0, 12)):
        accession, cik, form = random_accession(rng), rng.randint(1, 9_999_999), rng.choice(_FORMS)
        company, filed = _name(rng), _day(rng)
        if rng.random() < 0.1:  # odd but valid names: a long run of spaces, a " - " inside
            company = f"{company}{' ' * rng.randint(1, 20_000)}- {_name(rng)}"
        rows.append(IndexRow(accession, f"{cik:010d}", form, company, filed.isoformat()))
        folder = accession.replace("-", "")
        entries.append(
            "<entry>"
            f"<title>{escape(form)} - {escape(company)} ({cik:010d}) (Filer)</title>"
            f'<link rel="alternate" type="text/html" '
            f'href="https://www.sec.gov/Archives/edgar/data/{cik}/{folder}/{accession}-index.htm"/>'
            f'<summary type="html"> &lt;b&gt;Filed:&lt;/b&gt; {filed.isoformat()} '
            f"&lt;b&gt;AccNo:&lt;/b&gt; {accession} &lt;b&gt;Size:&lt;/b&gt; 30 KB</summary>"
            f"<updated>{filed.isoformat()}T12:36:07-04:00</updated>"
            f'<category scheme="https://www.sec.gov/" label="form type" term="{escape(form)}"/>'
            f"<id>urn:tag:sec.gov,2008:accession-number={accession}</id>"
            "</entry>"
        )
    feed = (
        '<?xml version="1.0" encoding="ISO-8859-1" ?>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Latest Filings</title>'
        + "".join(entries)
        + "</feed>"
    )
    return feed.encode("latin-1"), rows
