"""What an EDGAR error response means, judged by its body (``edgar.md`` §5, §6).

Owns telling apart the two meanings of SEC's HTTP 403: an S3 XML ``AccessDenied`` body means
the object does not exist (like ``NoSuchKey`` on a 404), while an HTML block page ("Request
Rate Threshold Exceeded", or the undeclared-automated-tool notice) means every request to
every SEC host must stop. The exact markup of the block pages is unconfirmed, so they are
matched by their wording, case-insensitively.
"""

from __future__ import annotations

import re
from enum import StrEnum

__all__ = ["ErrorKind", "classify_error_body"]

_SCANNED_BYTES = 64 * 1024
"""Block pages and S3 errors are small; larger bodies are judged by their start."""
_S3_NOT_FOUND = re.compile(rb"<Code>\s*(?:AccessDenied|NoSuchKey)\s*</Code>")
_RATE_LIMIT_PAGE = re.compile(
    r"request rate threshold exceeded|exceeded the sec.{0,8}s traffic limit"
)
_UNDECLARED_TOOL_PAGE = re.compile(r"undeclared\s+automated\s+tool")
_BINARY_TYPES = ("application/pdf", "application/zip", "image/", "audio/", "video/")
_NOT_FOUND_STATUSES = frozenset({404, 410})
_TOO_MANY_REQUESTS = 429
_FIRST_ERROR_STATUS = 400


class ErrorKind(StrEnum):
    """The meaning of an EDGAR error response."""

    NOT_FOUND = "not_found"
    """The object does not exist (S3 ``AccessDenied``/``NoSuchKey``, or a plain 404)."""
    RATE_LIMITED = "rate_limited"
    """SEC's rate-limit block page, or any 429: stop all traffic for the cool-down."""
    UNDECLARED_TOOL = "undeclared_tool"
    """SEC refuses an undeclared automated tool: a block too; fix the User-Agent."""
    OTHER = "other"
    """Anything else: handled by the ordinary retry policy."""


def classify_error_body(status: int, body: bytes, content_type: str | None) -> ErrorKind:
    """Classify a non-success EDGAR response by its body, then by its status.

    A success status (below 400) is always ``OTHER``: the function judges error responses only.
    Binary content types are never block pages.
    """
    if status < _FIRST_ERROR_STATUS:
        return ErrorKind.OTHER
    head = body[:_SCANNED_BYTES]
    if not _is_binary(content_type):
        text = head.decode("latin-1").lower()
        # SEC titles both refusal pages "Request Rate Threshold Exceeded": check the more
        # specific undeclared-tool wording first.
        if _UNDECLARED_TOOL_PAGE.search(text):
            return ErrorKind.UNDECLARED_TOOL
        if _RATE_LIMIT_PAGE.search(text):
            return ErrorKind.RATE_LIMITED
    if status == _TOO_MANY_REQUESTS:
        return ErrorKind.RATE_LIMITED
    if _S3_NOT_FOUND.search(head) or status in _NOT_FOUND_STATUSES:
        return ErrorKind.NOT_FOUND
    return ErrorKind.OTHER


def _is_binary(content_type: str | None) -> bool:
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    return media_type.startswith(_BINARY_TYPES)
