"""The reference ("Re:") block: file numbers, reviewed filings and a cited CIK.

Both staff and company letters name what they concern in a Re: block::

    Re: Apple Inc.
        Form 10-K for the Fiscal Year Ended September 30, 2023
        Response dated March 20, 2024
        File No. 001-36743

File numbers are normalized to EDGAR's form (``1-15405`` -> ``001-15405``; see
``indexer.models.normalize_file_number``). A letter without a Re: block (some company
letters) is searched for "File No." in its opening paragraphs instead. Draft registration
letters cite "CIK No. 0001783180" instead of a file number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from indexer.models import normalize_file_number
from indexer.normalize.dates import find_dates, parse_date
from indexer.normalize.letter import ReviewedFiling

__all__ = ["ReferenceBlock", "parse_reference_block"]

_RE_START = re.compile(r"^\s*(?:re|subject)\s*:|^\s*re\s{2,}|^\s*re\s+(?=[A-Z])", re.I | re.M)
_BLOCK_END = re.compile(
    r"^\s*(?:dear\b|ladies\b|gentlemen\b|to whom\b|sir\b|madam\b|this is to advise|"
    r"we have (?:reviewed|completed|limited)|on behalf of|in response|attention\b)",
    re.IGNORECASE | re.MULTILINE,
)
_MAX_BLOCK = 1500
_FILE_LABEL = re.compile(
    r"(?:(?:commission|sec)\s+)?file\s*(?:no|nos|number|numbers)\b\.?\s*:?\s*",
    re.IGNORECASE,
)
_FILE_NUMBER = re.compile(r"(?<![\d(])(\d{1,3})\s?-\s?(\d{3,8})(?:\s?-\s?(\d{1,3}))?(?!\d)")
_CIK_REFERENCE = re.compile(r"\bCIK\s*(?:No\.?|Number|#)?\s*:?\s*(\d{4,10})\b", re.IGNORECASE)
_FORM_MENTION = re.compile(
    r"(?P<amend>Amendment\s+No\.\s*\d+\s+to\s+|Amended\s+|Post-Effective\s+Amendment\s+"
    r"No\.\s*\d+\s+to\s+)?"
    r"(?P<draft>Draft\s+)?"
    r"(?:(?P<kind>Registration\s+Statement|Offering\s+Statement|Annual\s+Report|"
    r"Quarterly\s+Report|Current\s+Report|Definitive\s+Proxy\s+Statement|Preliminary\s+Proxy"
    r"\s+Statement|Definitive\s+Additional\s+Materials|Soliciting\s+Material|Information\s+"
    r"Statement|Tender\s+Offer\s+Statement|Preliminary\s+Information\s+Statement|Definitive\s+"
    r"Information\s+Statement)\s+(?:on\s+|pursuant\s+to\s+|under\s+)?)?"
    r"(?:(?:Form|Schedule)\s+(?P<form>[A-Z0-9]{1,4}(?:-[A-Z0-9]{1,3})*(?:/A)?)\b"
    r"|(?P<bare>PREC14A|PRE\s?14A|DEF\s?14A|DEFA14A|PREM14A|DEFM14A|PRER14A|DEFC14A|"
    r"DFAN14A|SC\s?TO-[TIC]|SC\s?14D9|SC\s?13[DG]|10-K|10-Q|8-K|20-F|40-F|6-K|S-1|S-3|S-4|"
    r"F-1|F-3|F-4|10-12B|10-12G)(?:/A)?\b)",
    re.IGNORECASE,
)
_KIND_ONLY = re.compile(
    r"(?P<kind>(?:Revised\s+)?(?:Definitive|Preliminary)\s+(?:Proxy|Information)\s+Statement|"
    r"Definitive\s+Additional\s+Materials|Soliciting\s+Materials?)\b"
    r"(?!\s+(?:on|pursuant\s+to|under)\s+(?:Form|Schedule)|\s+(?:Form|Schedule)\b)",
    re.IGNORECASE,
)
"""Proxy material named without its schedule ("Preliminary Proxy Statement filed by …")."""
_PERIOD = re.compile(
    r"\bfor\s+(?:the\s+)?(?:fiscal\s+|transition\s+|quarterly\s+|annual\s+)?"
    r"(?:year|quarter|period|years|quarters)(?:\s+\w+){0,3}?\s+ended\s+",
    re.IGNORECASE,
)
_FILED = re.compile(r"\b(?:filed|submitted|furnished|dated)\s+(?:on\s+)?", re.IGNORECASE)
_FILED_ONLY = re.compile(r"\b(?:filed|submitted|furnished)\s+(?:on\s+)?", re.IGNORECASE)
_DATED = re.compile(r"\bdated\s+(?:as\s+of\s+)?", re.IGNORECASE)
_FILED_BY = re.compile(
    r"\b(?i:filed|submitted|furnished)\b[^\n]{0,40}?\b(?i:by)\s+(?P<filer>[A-Z][^\n,;()]{2,80}?)"
    r"(?=\s+(?:et\.?\s*al|on\s|and\s+(?:its|their)\s)|\s*(?:[,;(\n]|$))"
)
"""Who filed a filing, when not the company: "PREC14A filed January 12, 2024 by SEIU et al."."""
_EVENT_FORMS = frozenset({"8-K", "8-K/A", "6-K", "6-K/A"})
"""Forms whose "dated" date is the event's (EDGAR's period of report), not the filing's."""
_RESPONSE_LINE = re.compile(r"\bresponse(?:\s+letter)?s?\s+(?:dated|filed|submitted)\b", re.I)
"""Re: lines citing the company's response, whose date is not the filing's."""
_RESPECTIVELY = re.compile(r"respectively", re.IGNORECASE)
_SCHEDULE_14A = {
    "definitive proxy statement": "DEF 14A",
    "preliminary proxy statement": "PRE 14A",
    "definitive additional materials": "DEFA14A",
    "soliciting material": "DEFA14A",
    "preliminary information statement": "PRE 14C",
    "definitive information statement": "DEF 14C",
}


@dataclass(slots=True)
class _Draft:
    form: str
    period_end: date | None
    filed_on: date | None
    filed_by: str | None = None


@dataclass(frozen=True, slots=True)
class ReferenceBlock:
    """What the Re: block (or, without one, the opening) names."""

    text: str
    """The block as found (empty when the letter has none)."""
    file_numbers: tuple[str, ...]
    raw_file_numbers: tuple[str, ...]
    reviewed_filings: tuple[ReviewedFiling, ...]
    cik_reference: str | None


def parse_reference_block(text: str) -> ReferenceBlock:
    """Find and read the Re: block of cleaned letter text."""
    block = _find_block(text)
    searched = block or text[:4000]
    raw_numbers = _file_numbers(searched, labelled_only=not block)
    if not raw_numbers and block:
        raw_numbers = _file_numbers(text[:4000], labelled_only=True)
    normalized: list[str] = []
    for raw in raw_numbers:
        try:
            number = normalize_file_number(raw)
        except ValueError:
            continue
        if number not in normalized:
            normalized.append(number)
    cik = _CIK_REFERENCE.search(block) if block else None
    return ReferenceBlock(
        text=block,
        file_numbers=tuple(normalized),
        raw_file_numbers=tuple(raw_numbers),
        reviewed_filings=tuple(_reviewed_filings(block)) if block else (),
        cik_reference=cik.group(1).zfill(10) if cik else None,
    )


def _find_block(text: str) -> str:
    start = _RE_START.search(text[:8000])
    if start is None:
        return ""
    rest = text[start.end() : start.end() + _MAX_BLOCK]
    end = _BLOCK_END.search(rest)
    return rest[: end.start()] if end else rest


def _file_numbers(text: str, *, labelled_only: bool) -> list[str]:
    """File numbers after a "File No." label; in a Re: block, also unlabelled ones."""
    found: list[str] = []
    for label in _FILE_LABEL.finditer(text):
        position = label.end()
        while True:
            match = _FILE_NUMBER.match(text, position)
            if match is None:
                break
            found.append(match.group(0))
            gap = _next_separator(text, match.end())
            if gap is None:
                break
            position = gap
    if not found and not labelled_only:
        found = [m.group(0) for m in _FILE_NUMBER.finditer(text) if _looks_like_file_number(m)]
    return [re.sub(r"\s+", "", number) for number in found]


def _next_separator(text: str, position: int) -> int | None:
    """Where the next number of a list starts ("333-1, 333-2 and 333-3")."""
    window = text[position : position + 12]
    match = re.match(r"\s*(?:,|;|and|&|/)?\s*(?:and\s+)?", window)
    if match is None:
        return None
    following = position + match.end()
    return following if _FILE_NUMBER.match(text, following) else None


def _looks_like_file_number(match: re.Match[str]) -> bool:
    prefix = int(match.group(1))
    return prefix in (0, 1, 2, 5, 33, 333, 377, 811, 814, 24, 21, 22, 28, 81, 367) or (
        match.group(1).startswith("0") and len(match.group(1)) == 3
    )


def _reviewed_filings(block: str) -> list[ReviewedFiling]:
    mentions: list[tuple[int, int, str, str]] = [
        (m.start(), m.end(), _form_name(m), m.group(0))
        for m in _FORM_MENTION.finditer(block)
        if _is_filing_mention(block, m)
    ]
    taken = [(start, end) for start, end, _, _ in mentions]
    for kind in _KIND_ONLY.finditer(block):
        if not any(start <= kind.start() < end for start, end in taken):
            name = " ".join(kind.group("kind").lower().split()).removeprefix("revised ")
            form = _SCHEDULE_14A.get(name.removesuffix("s"), "14A")
            mentions.append((kind.start(), kind.end(), form, kind.group(0)))
    mentions.sort()
    filings: list[_Draft] = []
    for index, (_, mention_end, named, text) in enumerate(mentions):
        end = mentions[index + 1][0] if index + 1 < len(mentions) else len(block)
        tail = _RESPONSE_LINE.split(block[mention_end:end])[0]
        form = named
        period = _PERIOD.search(tail)
        period_end = parse_date(tail[period.end() : period.end() + 30]) if period else None
        filed_on = _date_after(_FILED if form not in _EVENT_FORMS else _FILED_ONLY, tail)
        if form in _EVENT_FORMS and period_end is None:
            period_end = _date_after(_DATED, tail)
        if filed_on is not None and period_end == filed_on and form not in _EVENT_FORMS:
            filed_on = None
        filer = _FILED_BY.search(tail)
        filed_by = " ".join(filer["filer"].split()) if filer else None
        if filed_by and form == "DEFA14A" and "soliciting" in text.lower():
            form = "DFAN14A"  # soliciting material filed by someone other than the company
        draft = _Draft(form, period_end, filed_on, filed_by)
        repeated = any(
            f.form == form and (draft == f or (period_end is None and filed_on is None))
            for f in filings
        )  # co-registrants' letters list a filing twice; later lines may repeat its form
        if not repeated:
            filings.append(draft)
    _assign_respectively(block, filings)
    return [ReviewedFiling(f.form, f.period_end, f.filed_on, filed_by=f.filed_by) for f in filings]


def _date_after(label: re.Pattern[str], tail: str) -> date | None:
    """The date after a label: on its line ("filed by X on March 3, 2024"), else just after."""
    for found in label.finditer(tail):  # "filed by X" first, "Filed on March 1" later
        line = tail[found.end() : found.end() + 120].split("\n", 1)[0]
        if day := parse_date(line) or parse_date(tail[found.end() : found.end() + 30]):
            return day
    return None


def _is_filing_mention(block: str, mention: re.Match[str]) -> bool:
    """Skip forms named only in passing ("as required by Form 10-K", "Exhibit 99.1") and
    defined terms ('(“Form 10-K”)')."""
    before = block[max(0, mention.start() - 12) : mention.start()].lower()
    if before.rstrip().endswith(("(“", '("', "“", '"', "(the “", '(the "')):
        return False
    return "exhibit" not in before and "item" not in before


def _form_name(mention: re.Match[str]) -> str:
    form = (mention.group("form") or mention.group("bare") or "").upper().replace(" ", "")
    form = re.sub(r"^([SF])-L$", r"\1-1", form)  # "Form S-l": a letter l for the digit 1
    kind = (mention.group("kind") or "").lower()
    kind = " ".join(kind.split())
    if kind in _SCHEDULE_14A and form in ("14A", "14C", ""):
        form = _SCHEDULE_14A[kind]
    form = {
        "DEF14A": "DEF 14A",
        "PRE14A": "PRE 14A",
        "SCTO-T": "SC TO-T",
        "SCTO-I": "SC TO-I",
        "SCTO-C": "SC TO-C",
        "SC14D9": "SC 14D9",
    }.get(form, form)
    if mention.group("draft"):
        return "DRS/A" if mention.group("amend") else "DRS"
    if mention.group("amend") and not form.endswith("/A"):
        form += "/A"
    return form


def _assign_respectively(block: str, filings: list[_Draft]) -> None:
    """ "Filed February 28, 2018 and August 7, 2018, respectively" names each form's date."""
    match = _RESPECTIVELY.search(block)
    if match is None or len(filings) < 2:
        return
    filed = list(_FILED.finditer(block[: match.start()]))
    if not filed:
        return
    dates = [m.value for m in find_dates(block[filed[-1].end() : match.start()])]
    if len(dates) == len(filings):
        for filing, value in zip(filings, dates, strict=True):
            filing.filed_on = value
