"""A watchlist's alerts as an Atom 1.0 feed (RFC 4287), built with ``xml.etree``. Pure.

The feed has its id, title, ``updated`` (the newest alert's time), author, a ``self`` link
(the URL it was requested at) and an ``alternate`` link to the watchlist's web page. Each
alert is an entry with an id, title, ``updated``/``published`` (when the alert was found), a
link to the letter's page on this site (``/letter/{accession}``), a ``related`` link to the
filing on EDGAR, a plain-text summary and the match as a category.

Ids are ``urn:uuid:`` URNs (name-based UUIDs, version 5), derived from the watchlist id and
its creation time (and, for entries, the alert id), so they never change between requests
and differ when a watchlist is deleted and created again. Text is escaped by ElementTree;
characters XML cannot carry at all (control characters, in a company or watchlist name) are
left out, so the feed always parses.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from indexer.watchlists.models import Watchlist

__all__ = ["ATOM_MEDIA_TYPE", "ATOM_NS", "build_atom_feed", "entry_id", "feed_id"]

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml"
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LETTER_TYPES = {
    "comment": "staff comment letter",
    "review_complete": "review-complete letter",
    "no_review": "no-review letter",
    "response": "company response",
    "acceleration_request": "acceleration request",
    "extension_request": "extension request",
    "supplemental": "supplemental letter",
    "withdrawal_request": "withdrawal request",
}


def _urn(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _scope(watchlist: Watchlist) -> str:
    created = watchlist.created_at.isoformat() if watchlist.created_at else ""
    return f"corresp:watchlist:{watchlist.id}:{created}"


def feed_id(watchlist: Watchlist) -> str:
    return _urn(_scope(watchlist))


def entry_id(watchlist: Watchlist, alert_id: str) -> str:
    return _urn(f"{_scope(watchlist)}:alert:{alert_id}")


def _timestamp(value: str | datetime | None, fallback: datetime) -> str:
    """An RFC 3339 date-time with a zone (UTC when none was given)."""
    if isinstance(value, str) and value:
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if not isinstance(value, datetime):
        value = fallback
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def _xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (control characters, lone
    surrogates, U+FFFE/U+FFFF): ElementTree would write them and break the document."""
    return _NOT_XML.sub("", text)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    clean = {name: _xml_text(value) for name, value in attrs.items()}
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", clean)
    if text is not None:
        element.text = _xml_text(text)
    return element


def _describe(alert: Mapping[str, Any]) -> str:
    kind = _LETTER_TYPES.get(alert.get("letter_type") or "", "letter")
    return f"{kind} ({alert.get('form') or '?'})"


def _title(alert: Mapping[str, Any]) -> str:
    company = alert.get("company") or alert.get("accession")
    dated = f" dated {alert['letter_date']}" if alert.get("letter_date") else ""
    return f"{company}: {_describe(alert)}{dated}"


def _summary(alert: Mapping[str, Any]) -> str:
    parts = [f"Matched by {alert.get('matched_by')}."]
    line = f"{alert.get('company') or 'A company'}: {_describe(alert)}"
    if alert.get("letter_date"):
        line += f" dated {alert['letter_date']}"
    if alert.get("released_on"):
        line += f", released by EDGAR on {alert['released_on']}"
    parts.append(line + ".")
    parts.append(f"Accession {alert.get('accession')}.")
    if alert.get("thread_id"):
        parts.append(f"Review thread {alert['thread_id']}.")
    return " ".join(parts)


def build_atom_feed(
    watchlist: Watchlist,
    alerts: Sequence[Mapping[str, Any]],
    *,
    base_url: str,
    self_url: str,
    generated_at: datetime,
) -> bytes:
    """The feed document (UTF-8, with an XML declaration); ``alerts`` newest first."""
    base = base_url.rstrip("/")
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _add(feed, "id", feed_id(watchlist))
    _add(feed, "title", f"corresp watchlist: {watchlist.name}")
    _add(feed, "subtitle", "New SEC comment letters and responses matching this watchlist.")
    newest = alerts[0].get("found_at") if alerts else None
    fallback = watchlist.updated_at or generated_at
    _add(feed, "updated", _timestamp(newest, fallback))
    author = _add(feed, "author")
    _add(author, "name", "corresp")
    _add(feed, "link", rel="self", type=ATOM_MEDIA_TYPE, href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=f"{base}/watch/{watchlist.id}")
    _add(feed, "generator", "corresp")
    for alert in alerts:
        entry = _add(feed, "entry")
        _add(entry, "id", entry_id(watchlist, str(alert["alert_id"])))
        _add(entry, "title", _title(alert))
        found = _timestamp(alert.get("found_at"), generated_at)
        _add(entry, "updated", found)
        _add(entry, "published", found)
        letter = f"{base}/letter/{alert['accession']}"
        _add(entry, "link", rel="alternate", type="text/html", href=letter)
        if alert.get("url"):
            _add(entry, "link", rel="related", type="text/html", href=str(alert["url"]))
        _add(entry, "category", term=str(alert.get("matched_by")), label="matched by")
        _add(entry, "summary", _summary(alert), type="text")
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document
