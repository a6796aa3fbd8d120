"""EDGAR's current-filings Atom feed (``/cgi-bin/browse-edgar?action=getcurrent&output=atom``).

Owns turning feed entries into ``FilingRef`` rows. Per ``edgar.md`` §3.6 (no sample exists)
an entry's ``title`` is ``FORM - NAME (CIK) (Role)``, its ``summary`` holds
``Filed: YYYY-MM-DD AccNo: 0000000000-24-003505``, ``updated`` is the acceptance time and the
``link`` points to the filing's ``-index.htm`` page. The parser is defensive: the accession is
also recovered from the link or the entry ``id``, the CIK from the link, the form from the
``category``. An entry that still lacks a field is logged (with the reason) and skipped; the
feed is only a low-latency hint next to the daily index.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from xml.etree import ElementTree

from crawler.edgar.dates import eastern_date, to_date
from crawler.errors import ParseError
from crawler.models import FilingRef
from indexer.models import normalize_accession, normalize_cik

__all__ = ["FEED_SOURCE", "parse_current_feed"]

logger = logging.getLogger(__name__)

FEED_SOURCE = "feed"
"""``FilingRef.source`` of rows read from the current-filings feed."""

_ATOM = "{http://www.w3.org/2005/Atom}"
_TITLE_TAIL = re.compile(r"\(([0-9]{1,10})\)(?:\s*\([^)]*\))?\s*$")
"""``(CIK)`` and an optional ``(Role)`` at the end of an entry title."""
_TITLE_TAIL_CHARS = 200
_FORM_SEPARATOR = re.compile(r"\s-\s")
_FILED = re.compile(r"Filed:\D{0,20}?(\d{4}-\d{2}-\d{2})")
# [0-9], not \d: identifiers are ASCII (\d also matches other scripts' digits).
_ACCESSION = re.compile(r"([0-9]{10}-[0-9]{2}-[0-9]{6})")
_LINK_FOLDER = re.compile(r"/data/(?P<cik>[0-9]{1,10})/(?P<folder>[0-9]{18})/")


def parse_current_feed(data: bytes, *, source: str) -> list[FilingRef]:
    """Parse an Atom page of the current-filings feed into ``FilingRef`` rows.

    ``source`` names the data in errors. ``listed_on`` is the US Eastern day of the entry's
    ``updated`` time. Raises ``ParseError`` when the data is not an Atom feed.
    """
    try:
        root = ElementTree.fromstring(data)  # noqa: S314 - SEC's own feed, parsed without DTDs
    except (ElementTree.ParseError, LookupError, ValueError) as exc:
        # LookupError: an unknown encoding in the XML declaration; ValueError: one expat
        # cannot read ("multi-byte encodings are not supported", a failing codec).
        raise ParseError(source, f"not XML: {exc}") from exc
    if root.tag != f"{_ATOM}feed":
        raise ParseError(source, f"not an Atom feed (root element {root.tag!r})")
    refs: list[FilingRef] = []
    for position, entry in enumerate(root.iter(f"{_ATOM}entry"), start=1):
        try:
            refs.append(_to_ref(entry))
        except _EntryError as exc:
            logger.warning(
                "%s: feed entry %d skipped (%s): %s", source, position, exc, _describe(entry)
            )
    return refs


class _EntryError(ValueError):
    """A feed entry lacking a required field; its message says which."""


def _to_ref(entry: ElementTree.Element) -> FilingRef:
    """The FilingRef of one entry; raises ``_EntryError`` if a required field is missing."""
    summary = _child_text(entry, "summary")
    link = _link(entry)
    title = _split_title(_child_text(entry, "title"))
    link_match = _LINK_FOLDER.search(link)
    if title is not None:
        form, name, cik_text = title
    else:
        form, name = _category(entry), ""
        cik_text = link_match.group("cik") if link_match is not None else ""
    if not form:
        raise _EntryError("no form type")
    try:
        cik = normalize_cik(cik_text)
    except ValueError as exc:
        raise _EntryError("no CIK") from exc
    accession = _accession(summary, link, _child_text(entry, "id"), link_match)
    if accession is None:
        raise _EntryError("no accession number")
    filed = _FILED.search(summary)
    filing_date = to_date(filed.group(1)) if filed else None
    if filing_date is None:
        raise _EntryError("no 'Filed:' date")
    updated_at = _timestamp(_child_text(entry, "updated"))
    return FilingRef(
        accession=accession,
        cik=cik,
        form=form,
        company_name=name,
        filing_date=filing_date,
        source=FEED_SOURCE,
        listed_on=eastern_date(updated_at) if updated_at else None,
    )


def _split_title(title: str) -> tuple[str, str, str] | None:
    """(form, name, CIK) of a title ``FORM - NAME (CIK) (Role)``; None if it is not one.

    The CIK and role are taken from the end, then the form ends at the first " - ". (One
    regex over the whole title backtracked cubically on a run of spaces: two minutes for
    8,000 of them.)
    """
    tail = _TITLE_TAIL.search(title, max(0, len(title) - _TITLE_TAIL_CHARS))
    if tail is None:
        return None
    head = title[: tail.start()]
    separator = _FORM_SEPARATOR.search(head)
    if separator is None or not head[: separator.start()].strip():
        return None
    return head[: separator.start()].strip(), head[separator.end() :].strip(), tail.group(1)


def _accession(
    summary: str, link: str, entry_id: str, link_match: re.Match[str] | None
) -> str | None:
    """The accession from the summary ``AccNo:``, else the link, else the entry id."""
    for text in (summary.partition("AccNo:")[2], link, entry_id):
        match = _ACCESSION.search(text)
        if match:
            return match.group(1)
    if link_match:
        return normalize_accession(link_match.group("folder"))
    return None


def _child_text(entry: ElementTree.Element, name: str) -> str:
    child = entry.find(f"{_ATOM}{name}")
    return (child.text or "").strip() if child is not None else ""


def _link(entry: ElementTree.Element) -> str:
    """The ``href`` of the entry's alternate link (or of its first link)."""
    links = entry.findall(f"{_ATOM}link")
    alternate = [link for link in links if link.get("rel", "alternate") == "alternate"]
    chosen = (alternate or links)[:1]
    return chosen[0].get("href", "") if chosen else ""


def _category(entry: ElementTree.Element) -> str:
    category = entry.find(f"{_ATOM}category")
    return (category.get("term") or "").strip() if category is not None else ""


def _timestamp(text: str) -> datetime | None:
    """An ISO 8601 time (``2024-04-02T12:36:07-04:00``, ``...Z``), else None."""
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _describe(entry: ElementTree.Element) -> str:
    return repr(_child_text(entry, "title") or _child_text(entry, "id") or "(no title)")
