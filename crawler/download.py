"""Downloading one filing into the raw store: one request in the normal case.

The full submission ``{ACCESSION}.txt`` holds the SGML header and every document, so one GET
is enough. Only when it is absent or over the size limit are the folder listing and the
letter documents fetched instead. A filing already in the store (a crash between storing
and the ledger write) is adopted without touching EDGAR. Everything downloaded is parsed
before it is kept: a truncated or unparsable submission is a failure with its reason, and a
document that cannot be decoded is reported while the filing is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from crawler.client import EdgarClient
from crawler.edgar.filing_index import parse_index_json, pick_letter_documents
from crawler.edgar.sgml import Submission, parse_submission
from crawler.edgar.urls import document_path, index_json_path, submission_path
from crawler.errors import (
    DownloadError,
    EdgarNotFoundError,
    ParseError,
    RawReadError,
    ResponseTooLargeError,
)
from crawler.state import PendingFiling
from crawler.store import RawStore, StoredRaw, is_plain_name

__all__ = ["DownloadedFiling", "download_filing", "submission_facts"]


@dataclass(frozen=True)
class DownloadedFiling:
    """A filing now in the raw store."""

    accession: str
    stored: StoredRaw
    filing_date: date | None
    released_on: date | None
    """The release day from the SEC header, used when no index day is known."""
    requests: int
    """Requests this download made (0 when adopted from the store)."""
    adopted: bool = False
    problems: list[str] = field(default_factory=list)
    """Per-document problems (undecodable document, missing attachment)."""
    submission: Submission | None = field(default=None, repr=False, compare=False)
    """The parsed full submission (None for a folder of documents), kept for the hand-off."""


def download_filing(
    client: EdgarClient,
    store: RawStore,
    filing: PendingFiling,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> DownloadedFiling:
    """Fetch, check and store ``filing``; raise ``DownloadError`` or ``ParseError``.

    A copy already in the store is adopted; one that cannot be read back is downloaded again."""
    if (stored := store.find(filing.accession)) is not None:
        try:
            return _adopt(store, filing, stored)
        except (RawReadError, ParseError):
            pass
    path = submission_path(filing.cik, filing.accession)
    try:
        result = client.get("www", path, cancelled=cancelled)
    except (EdgarNotFoundError, ResponseTooLargeError) as exc:
        return _download_documents(client, store, filing, reason=exc, cancelled=cancelled)
    submission = checked_submission(result.content, source=result.url, accession=filing.accession)
    stored = store.put_submission(filing.accession, result.content)
    filing_date, released_on = submission_facts(submission)
    problems = [
        f"{document.label}: {warning}"
        for document in submission.documents
        for warning in document.warnings
    ]
    return DownloadedFiling(
        filing.accession,
        stored,
        filing_date,
        released_on,
        result.attempts,
        problems=problems,
        submission=submission,
    )


def checked_submission(data: bytes, *, source: str, accession: str) -> Submission:
    """Parse a submission and refuse one that is truncated or belongs to another filing."""
    submission = parse_submission(data, source=source)
    if submission.truncated:
        detail = "; ".join(submission.warnings[:3]) or "closing tags missing"
        raise ParseError(source, f"truncated submission ({detail})")
    if submission.accession != accession:
        raise ParseError(source, f"holds accession {submission.accession}, not {accession}")
    return submission


def submission_facts(submission: Submission) -> tuple[date | None, date | None]:
    """The filing date and the release day recorded in a submission's header."""
    header = submission.header
    return header.filed_as_of, header.sec_document_date


def _adopt(store: RawStore, filing: PendingFiling, stored: StoredRaw) -> DownloadedFiling:
    raw = store.read(stored.relative_path)
    if not isinstance(raw, bytes):
        return DownloadedFiling(filing.accession, stored, None, None, 0, adopted=True)
    submission = parse_submission(raw, source=stored.relative_path)
    filing_date, released_on = submission_facts(submission)
    return DownloadedFiling(
        filing.accession,
        stored,
        filing_date,
        released_on,
        0,
        adopted=True,
        submission=submission,
    )


def _download_documents(
    client: EdgarClient,
    store: RawStore,
    filing: PendingFiling,
    *,
    reason: DownloadError,
    cancelled: Callable[[], bool] | None,
) -> DownloadedFiling:
    """The fallback: the folder listing plus the letter documents it names."""
    listing = client.get("www", index_json_path(filing.cik, filing.accession), cancelled=cancelled)
    items = parse_index_json(listing.content, source=listing.url)
    names = pick_letter_documents(items, filing.form)
    if not names:
        raise ParseError(listing.url, f"no letter document listed (submission: {reason})")
    if unsafe := [name for name in names if not is_plain_name(name)]:
        raise ParseError(listing.url, f"refusing document names with a folder part: {unsafe}")
    documents = {"index.json": listing.content}
    problems = [f"full submission unavailable: {reason}"]
    requests = reason.attempts + listing.attempts
    for position, name in enumerate(names):
        try:
            result = client.get(
                "www", document_path(filing.cik, filing.accession, name), cancelled=cancelled
            )
        except EdgarNotFoundError as missing:
            if position == 0:
                raise
            requests += missing.attempts
            problems.append(f"{name}: listed but not on EDGAR")
            continue
        requests += result.attempts
        documents[name] = result.content
    stored = store.put_documents(filing.accession, documents)
    return DownloadedFiling(filing.accession, stored, None, None, requests, problems=problems)
