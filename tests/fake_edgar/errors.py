"""Canned error replies: S3 XML errors for missing objects and SEC's HTML refusal pages.

Two meanings of 403 must stay distinguishable by body (edgar.md §5):

- a missing object under `/Archives` is a 403 S3 `AccessDenied` XML document, and a missing
  `data.sec.gov/submissions/…` object a 404 S3 `NoSuchKey` document (bodies are the real ones
  from the samples);
- a refusal is an HTML page. Like SEC's own, both refusal pages are titled
  "SEC.gov | Request Rate Threshold Exceeded"; the heading says which one it is ("You've
  Exceeded the SEC's Traffic Limit" or "Your Request Originates from an Undeclared Automated
  Tool"). Neither carries `Retry-After`, unless a test asks for one on the block page.
"""

from __future__ import annotations

from http import HTTPStatus

from .messages import Reply
from .samples import SampleStore

ACCESS_DENIED_SAMPLE = "index/errors/full-index_2099_QTR1_form.gz.403.xml"
NO_SUCH_KEY_SAMPLE = "json/errors/CIK-000000001.json.404.json"
BLOCK_TITLE = "SEC.gov | Request Rate Threshold Exceeded"
_XML = {"Content-Type": "application/xml"}
_HTML = {"Content-Type": "text/html"}


class S3Errors:
    """The S3-style error replies, with the real bodies captured from SEC."""

    def __init__(self, store: SampleStore) -> None:
        self._access_denied = Reply(403, store.require(ACCESS_DENIED_SAMPLE), _XML)
        self._no_such_key = Reply(404, store.require(NO_SUCH_KEY_SAMPLE), _XML)

    def access_denied(self) -> Reply:
        """403 `AccessDenied`: what www.sec.gov answers for a missing `/Archives` object."""
        return self._access_denied

    def no_such_key(self) -> Reply:
        """404 `NoSuchKey`: what data.sec.gov answers for a missing submissions JSON."""
        return self._no_such_key

    def missing(self, path: str) -> Reply:
        """The reply for any path no object exists at."""
        return self._no_such_key if path.startswith("/submissions/") else self._access_denied


def _page(status: int, title: str, heading: str, *paragraphs: str) -> Reply:
    text = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    html = (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        f'<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />\n'
        f"<title>{title}</title>\n</head>\n<body>\n"
        f'<div id="content">\n<h1>{heading}</h1>\n{text}</div>\n</body>\n</html>\n'
    )
    return Reply(status, html.encode(), _HTML)


def rate_limited(status: int = 403, *, retry_after: int | None = None) -> Reply:
    """The block page served while a rate-limit block is active (with `Retry-After` seconds
    when given; SEC sends none)."""
    page = _page(
        status,
        BLOCK_TITLE,
        "You've Exceeded the SEC's Traffic Limit",
        "Your request rate has exceeded the SEC's maximum allowable requests per second. "
        "Your access to SEC.gov will be limited for 10 minutes.",
        "Current guidelines limit each user to a total of no more than 10 requests per second, "
        "regardless of the number of machines used to submit requests.",
        "The block will be lifted automatically by waiting 10 minutes. Continuing to exceed "
        "the maximum allowable request rate during the time-out period will extend the "
        "duration of the time-out period.",
    )
    return page if retry_after is None else page.with_headers({"Retry-After": str(retry_after)})


def undeclared_tool() -> Reply:
    """The 403 page for a User-Agent that declares no contact e-mail address."""
    return _page(
        403,
        BLOCK_TITLE,
        "Your Request Originates from an Undeclared Automated Tool",
        "To allow for equitable access to all users, SEC reserves the right to limit requests "
        "originating from undeclared automated tools.",
        "Please declare your traffic by updating your user agent to include company specific "
        "information (a name and a contact e-mail address).",
    )


def server_error(status: int) -> Reply:
    """A plain HTML error page for an injected status fault (e.g. 500, 502, 503, 504)."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return _page(status, f"{status} {phrase}", phrase, f"The server answered {status} {phrase}.")
