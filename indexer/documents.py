"""What Elasticsearch stores: letter, comment and thread documents (pure conversions).

A letter document holds every normalized field (and, stored but not indexed, its comments
and topic evidence) so that threads can be rebuilt from the index alone. A comment document
is one numbered staff comment with the company's answer taken from the thread's next
response that restates it, and the letter's metadata copied in. A thread document is a
review with its letters in order. Document ids are natural keys: the accession, the
accession plus comment number, the thread id.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from indexer.models import accession_of
from indexer.normalize.letter import (
    CitedDate,
    Comment,
    Letter,
    LetterType,
    Office,
    OutcomeMatch,
    ReviewedFiling,
    StaffMember,
    TopicMatch,
    filing_dict,
)
from indexer.normalize.review_facts import amendment_evidence
from indexer.normalize.threads import Thread

__all__ = [
    "comment_documents",
    "comment_id",
    "edgar_url",
    "letter_document",
    "letter_from_document",
    "thread_document",
]

EDGAR = "https://www.sec.gov"


def edgar_url(cik: str | None, accession: str, *, base: str = EDGAR) -> str | None:
    """The filing's index page on EDGAR (a letter filed inside another submission: that
    submission's page)."""
    if not cik:
        return None
    accession = accession_of(accession)
    folder = accession.replace("-", "")
    return f"{base}/Archives/edgar/data/{int(cik)}/{folder}/{accession}-index.htm"


def _with_urls(filings: list[dict[str, Any]], ciks: tuple[str, ...]) -> list[dict[str, Any]]:
    """Reviewed filings with the EDGAR page of each one whose accession is known."""
    cik = ciks[0] if ciks else None
    return [
        {**filing, "url": edgar_url(cik, filing["accession"]) if filing["accession"] else None}
        for filing in filings
    ]


def comment_id(accession: str, number: int) -> str:
    return f"{accession}-{number}"


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def letter_document(letter: Letter, *, thread_id: str | None = None) -> dict[str, Any]:
    """The letters-index document of ``letter``."""
    public = letter.to_public_dict()
    extra = letter.extra
    when = letter.letter_date or letter.filing_date
    return {
        "accession": letter.accession,
        "form": letter.form,
        "sender": letter.sender,
        "letter_type": str(letter.letter_type),
        "letter_date": public["letter_date"],
        "filing_date": public["filing_date"],
        "released_on": _iso(letter.released_on),
        "first_seen_at": extra.get("first_seen_at"),
        "year": when.year if when else None,
        "ciks": list(letter.ciks),
        "company": letter.company,
        "company_suggest": [letter.company] if letter.company else [],
        "sic": extra.get("sic"),
        "state": extra.get("state_of_incorporation"),
        "fiscal_year_end": extra.get("fiscal_year_end"),
        "file_numbers": list(letter.file_numbers),
        "reviewed_filings": _with_urls(public["reviewed_filings"], letter.ciks),
        "reviewed_forms": sorted({f.form for f in letter.reviewed_filings if f.form}),
        "cited_dates": public["cited_dates"],
        "cik_reference": letter.cik_reference,
        "reference_accession": letter.reference_accession,
        "opens_review": letter.opens_review,
        "comment_count": len(letter.comments),
        "comments": public["comments"],
        "staff": public["staff"],
        "staff_names": [member.name for member in letter.staff],
        "office": letter.office.canonical or letter.office.raw if letter.office else None,
        "office_raw": letter.office.raw if letter.office else None,
        "topics": sorted({match.topic for match in letter.topics}),
        "topic_matches": public["topics"],
        "outcomes": sorted({match.outcome for match in letter.outcomes}),
        "outcome_matches": public["outcomes"],
        "amendments_filed": [filing_dict(f) for f in letter.amendments_filed],
        "text": letter.text,
        "text_source": letter.text_source,
        "warnings": list(letter.warnings),
        "thread_id": thread_id,
        "url": edgar_url(letter.ciks[0] if letter.ciks else None, letter.accession),
        "source": {
            key: extra[key]
            for key in (
                "source_url",
                "primary_document",
                "documents",
                "filed_within",
                "ocr_confidence",
            )
            if key in extra
        },
    }


def letter_from_document(doc: dict[str, Any]) -> Letter:
    """Rebuild a ``Letter`` from its stored document (for rethreading)."""
    office = None
    if doc.get("office_raw"):
        canonical = doc.get("office") if doc.get("office") != doc["office_raw"] else None
        office = Office(doc["office_raw"], canonical)
    return Letter(
        accession=doc["accession"],
        form=doc["form"],
        sender=doc["sender"],
        filing_date=_date(doc.get("filing_date")),
        letter_date=_date(doc.get("letter_date")),
        ciks=tuple(doc.get("ciks") or ()),
        company=doc.get("company"),
        letter_type=LetterType(doc["letter_type"]),
        file_numbers=tuple(doc.get("file_numbers") or ()),
        reviewed_filings=_filings(doc.get("reviewed_filings")),
        amendments_filed=_filings(doc.get("amendments_filed")),
        cited_dates=tuple(
            CitedDate(date.fromisoformat(c["date"]), c["kind"])
            for c in doc.get("cited_dates") or ()
        ),
        comments=tuple(
            Comment(c["number"], c.get("heading"), c.get("text") or "", c.get("response"))
            for c in doc.get("comments") or ()
        ),
        staff=tuple(
            StaffMember(s["name"], s.get("title"), s.get("phone")) for s in doc.get("staff") or ()
        ),
        office=office,
        topics=tuple(
            TopicMatch(t["topic"], t.get("comment"), tuple(t.get("evidence") or ()))
            for t in doc.get("topic_matches") or ()
        ),
        outcomes=tuple(
            OutcomeMatch(o["outcome"], o.get("comment"), o.get("evidence") or "")
            for o in doc.get("outcome_matches") or ()
        ),
        text_source=doc.get("text_source") or "none",
        text=doc.get("text") or "",
        warnings=tuple(doc.get("warnings") or ()),
        released_on=_date(doc.get("released_on")),
        cik_reference=doc.get("cik_reference"),
        reference_accession=doc.get("reference_accession"),
        opens_review=bool(doc.get("opens_review")),
        extra={
            "first_seen_at": doc.get("first_seen_at"),
            "sic": doc.get("sic"),
            "state_of_incorporation": doc.get("state"),
            "fiscal_year_end": doc.get("fiscal_year_end"),
            **(doc.get("source") or {}),
        },
    )


def _filings(stored: list[dict[str, Any]] | None) -> tuple[ReviewedFiling, ...]:
    return tuple(
        ReviewedFiling(
            f.get("form"),
            _date(f.get("period_end")),
            _date(f.get("filed_on")),
            f.get("accession"),
            f.get("filed_by"),
        )
        for f in stored or ()
    )


def thread_document(thread: Thread, letters: dict[str, Letter]) -> dict[str, Any]:
    """The threads-index document of ``thread`` (``letters`` by accession, for metadata)."""
    members = [letters[m.accession] for m in thread.letters if m.accession in letters]
    released = [m.released_on for m in members if m.released_on]
    staff_letters = [m for m in members if m.sender == "sec"]
    latest_staff = max(staff_letters, key=lambda m: m.date or date.min, default=None)
    data = thread.to_dict()
    evidence = amendment_evidence(thread, members)
    return {
        "thread_id": thread.thread_id,
        "ciks": list(thread.ciks),
        "company": thread.company,
        "sic": next((m.extra.get("sic") for m in members if m.extra.get("sic")), None),
        "state": next(
            (
                m.extra.get("state_of_incorporation")
                for m in members
                if m.extra.get("state_of_incorporation")
            ),
            None,
        ),
        "file_numbers": list(thread.file_numbers),
        "office": (latest_staff.office.canonical or latest_staff.office.raw)
        if latest_staff and latest_staff.office
        else None,
        "status": thread.status,
        "opened_on": data["opened_on"],
        "closed_on": data["closed_on"],
        "released_on": _iso(max(released)) if released else None,
        "days_open": thread.days_open,
        "rounds": thread.rounds,
        "letter_count": len(thread.letters),
        "comment_count": sum(len(m.comments) for m in staff_letters),
        "year": thread.opened_on.year if thread.opened_on else None,
        "reviewed_filings": _with_urls(data["reviewed_filings"], thread.ciks),
        "reviewed_forms": sorted({f.form for f in thread.reviewed_filings if f.form}),
        "topics": sorted({t.topic for m in members for t in m.topics if t.topic != "other"}),
        "outcomes": sorted({o.outcome for m in members for o in m.outcomes}),
        "answer_count": sum(
            1 for m in members if m.sender == "company" for c in m.comments if c.response
        ),
        "amended": evidence is not None,
        "amended_evidence": evidence,
        "letters": data["letters"],
        "warnings": data["warnings"],
    }


def comment_documents(thread: Thread, letters: dict[str, Letter]) -> Iterator[dict[str, Any]]:
    """One document per staff comment of the thread, with the company's answer to it."""
    ordered = [letters[m.accession] for m in thread.letters if m.accession in letters]
    for position, letter in enumerate(ordered):
        if letter.sender != "sec":
            continue
        for comment in letter.comments:
            answer, answered_by = _answer(comment.number, ordered[position + 1 :])
            topics = [t for t in letter.topics if t.comment == comment.number]
            outcomes = [
                o
                for o in (answered_by.outcomes if answered_by else ())
                if o.comment == comment.number
            ]
            when = letter.letter_date or letter.filing_date
            yield {
                "comment_id": comment_id(letter.accession, comment.number),
                "accession": letter.accession,
                "number": comment.number,
                "heading": comment.heading,
                "text": comment.text,
                "response": answer,
                "response_accession": answered_by.accession if answered_by else None,
                "response_date": _iso(answered_by.date) if answered_by else None,
                "has_response": answer is not None,
                "form": letter.form,
                "letter_type": str(letter.letter_type),
                "letter_date": _iso(when),
                "released_on": _iso(letter.released_on),
                "year": when.year if when else None,
                "ciks": list(letter.ciks),
                "company": letter.company,
                "sic": letter.extra.get("sic"),
                "state": letter.extra.get("state_of_incorporation"),
                "file_numbers": list(letter.file_numbers),
                "thread_id": thread.thread_id,
                "office": (letter.office.canonical or letter.office.raw) if letter.office else None,
                "staff_names": [member.name for member in letter.staff],
                "topics": sorted({t.topic for t in topics}),
                "topic_evidence": [
                    {"topic": t.topic, "evidence": list(t.evidence)} for t in topics
                ],
                "outcomes": [o.outcome for o in outcomes],
                "outcome_evidence": [
                    {"outcome": o.outcome, "evidence": o.evidence} for o in outcomes
                ],
                "url": edgar_url(letter.ciks[0] if letter.ciks else None, letter.accession),
            }


def _answer(number: int, later: list[Letter]) -> tuple[str | None, Letter | None]:
    """The first later company letter's answer to comment ``number``, before the next round."""
    for letter in later:
        if letter.sender == "sec" and letter.comments:
            return None, None  # a new round of comments: this one was not answered by number
        if letter.sender != "company":
            continue
        for restated in letter.comments:
            if restated.number == number and restated.response:
                return restated.response, letter
    return None, None
