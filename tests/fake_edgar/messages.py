"""The fake's request and reply values, and how a stored file becomes a reply.

`Request` is what the HTTP layer hands to the app; `Reply` is what the app decides to answer,
before latency and faults shape how it goes on the wire. File-backed replies carry S3-style
validators (`ETag` = quoted MD5, `Last-Modified`) so conditional GETs can be tested.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from email.utils import format_datetime
from pathlib import PurePosixPath

_CONTENT_TYPES = {
    ".idx": "text/plain",
    ".txt": "text/plain",
    ".nc": "text/plain",
    ".htm": "text/html",
    ".html": "text/html",
    ".json": "application/json",
    ".xml": "application/xml",
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".png": "image/png",
    ".zip": "application/zip",
    ".gz": "application/x-gzip",
}

# EDGAR builds the daily indexes from about 22:00 ET; 03:00 UTC the next day is "overnight".
_NIGHTLY_BUILD = time(3, 0, tzinfo=UTC)
# Release hour used as Last-Modified of a submission disseminated on a given day.
_RELEASE = time(12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Request:
    """One HTTP request as the app sees it (header names lower-case)."""

    method: str
    path: str
    query: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def user_agent(self) -> str | None:
        return self.headers.get("user-agent")

    @property
    def host(self) -> str | None:
        return self.headers.get("host")


@dataclass(frozen=True)
class Reply:
    """Status, headers and body the app decided on; `Content-Length` is added on the wire."""

    status: int
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    def with_headers(self, headers: Mapping[str, str]) -> Reply:
        """Copy with `headers` added or overriding existing ones."""
        return replace(self, headers={**self.headers, **headers})

    def header(self, name: str) -> str | None:
        """Case-insensitive header lookup."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


def content_type(name: str) -> str:
    """Content type SEC serves for a file name (by extension)."""
    return _CONTENT_TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")


def http_date(moment: datetime) -> str:
    """RFC 9110 IMF-fixdate, e.g. `Fri, 14 Jun 2024 12:00:00 GMT`."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def nightly_build(day: date) -> datetime:
    """When the indexes covering `day` were (notionally) built."""
    return datetime.combine(day + timedelta(days=1), _NIGHTLY_BUILD)


def released(day: date) -> datetime:
    """Last-Modified of a submission disseminated on `day`."""
    return datetime.combine(day, _RELEASE)


def etag(body: bytes) -> str:
    """S3-style strong validator: the quoted MD5 of the body."""
    return f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'


def file_reply(body: bytes, name: str, last_modified: datetime, status: int = 200) -> Reply:
    """A stored object: typed by `name`, with `ETag` and `Last-Modified` validators."""
    return Reply(
        status=status,
        body=body,
        headers={
            "Content-Type": content_type(name),
            "Last-Modified": http_date(last_modified),
            "ETag": etag(body),
        },
    )
