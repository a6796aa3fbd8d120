"""Conditional GET (304 Not Modified) and gzip content coding, applied to a decided reply.

SEC answers `If-None-Match` / `If-Modified-Since` with 304 and compresses text when the client
sends `Accept-Encoding: gzip`; images and PDFs go out as they are.
"""

from __future__ import annotations

import functools
import gzip
from email.utils import parsedate_to_datetime

from .messages import Reply, Request

_COMPRESSIBLE = ("text/", "application/json", "application/xml")
_VALIDATORS = ("ETag", "Last-Modified")


def negotiate(reply: Reply, request: Request) -> Reply:
    """Turn a 200 into a 304 when the client's copy is current, else gzip it if accepted."""
    if reply.status != 200:
        return reply
    if not_modified(reply, request):
        kept = {k: v for k, v in reply.headers.items() if k in _VALIDATORS}
        return Reply(304, b"", kept)
    content_type = reply.header("Content-Type") or ""
    if not content_type.startswith(_COMPRESSIBLE) or reply.header("Content-Encoding"):
        return reply
    vary = reply.with_headers({"Vary": "Accept-Encoding"})
    if not accepts_gzip(request.headers.get("accept-encoding", "")):
        return vary
    return Reply(reply.status, compress(reply.body), {**vary.headers, "Content-Encoding": "gzip"})


def not_modified(reply: Reply, request: Request) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present, else If-Modified-Since."""
    if_none_match = request.headers.get("if-none-match")
    tag = reply.header("ETag")
    if if_none_match is not None:
        offered = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in offered or (tag is not None and tag in offered)
    since, modified = request.headers.get("if-modified-since"), reply.header("Last-Modified")
    if since is None or modified is None:
        return False
    try:
        return parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an `Accept-Encoding` value allows gzip (a `q=0` refuses it)."""
    for item in accept_encoding.split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip", "*"):
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


@functools.lru_cache(maxsize=256)
def compress(body: bytes) -> bytes:
    """Deterministic gzip (mtime 0); cached because the same index files are asked repeatedly."""
    return gzip.compress(body, compresslevel=6, mtime=0)
