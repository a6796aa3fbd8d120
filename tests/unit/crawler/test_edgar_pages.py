"""Classifying EDGAR error responses by body (crawler.edgar.pages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.edgar.pages import ErrorKind, classify_error_body

BLOCK_TITLE = "<title>SEC.gov | Request Rate Threshold Exceeded</title>"


def html_page(title: str, heading: str, text: str) -> bytes:
    """An HTML page shaped like SEC's refusal pages (both share the rate-limit title)."""
    return (
        f"<!DOCTYPE html>\n<html><head>{title}</head><body><div id='content'>"
        f"<h1>{heading}</h1><p>{text}</p></div></body></html>\n"
    ).encode()


RATE_LIMIT_PAGE = html_page(
    BLOCK_TITLE,
    "You've Exceeded the SEC's Traffic Limit",
    "Your request rate has exceeded the SEC's maximum allowable requests per second.",
)
UNDECLARED_TOOL_PAGE = html_page(
    BLOCK_TITLE,
    "Your Request Originates from an Undeclared Automated Tool",
    "SEC reserves the right to limit requests originating from undeclared automated tools.",
)


@pytest.mark.samples
@pytest.mark.parametrize(
    ("status", "name"),
    [
        (403, "index/errors/full-index_2099_QTR1_form.gz.403.xml"),
        (404, "json/errors/CIK-000000001.json.404.json"),
    ],
)
def test_s3_error_bodies_mean_not_found(samples_dir: Path, status: int, name: str) -> None:
    body = (samples_dir / name).read_bytes()

    assert classify_error_body(status, body, "application/xml") is ErrorKind.NOT_FOUND


@pytest.mark.parametrize("status", [403, 429, 503])
def test_rate_limit_page(status: int) -> None:
    assert classify_error_body(status, RATE_LIMIT_PAGE, "text/html") is ErrorKind.RATE_LIMITED


def test_undeclared_tool_page_wins_over_the_shared_title() -> None:
    assert classify_error_body(403, UNDECLARED_TOOL_PAGE, "text/html") is ErrorKind.UNDECLARED_TOOL


@pytest.mark.parametrize(
    "wording",
    [
        "REQUEST RATE THRESHOLD EXCEEDED",
        "You&#39;ve exceeded the SEC&#39;s traffic limit",
        "Exceeded the SEC’s Traffic Limit",
    ],
)
def test_block_wording_is_matched_case_insensitively(wording: str) -> None:
    body = f"<html><body><h1>{wording}</h1></body></html>".encode()

    assert classify_error_body(403, body, None) is ErrorKind.RATE_LIMITED


def test_any_429_is_a_rate_limit() -> None:
    assert classify_error_body(429, b"", None) is ErrorKind.RATE_LIMITED


@pytest.mark.parametrize(
    ("status", "body", "content_type", "expected"),
    [
        (404, b"", None, ErrorKind.NOT_FOUND),
        (403, b"<html><body>Forbidden</body></html>", "text/html", ErrorKind.OTHER),
        (500, b"<html><body>Internal Server Error</body></html>", "text/html", ErrorKind.OTHER),
        (503, b"", None, ErrorKind.OTHER),
        (200, RATE_LIMIT_PAGE, "text/html", ErrorKind.OTHER),
        (403, b"%PDF-1.5 Request Rate Threshold Exceeded", "application/pdf", ErrorKind.OTHER),
    ],
    ids=["plain-404", "other-403", "500", "503", "success", "binary"],
)
def test_other_responses(
    status: int, body: bytes, content_type: str | None, expected: ErrorKind
) -> None:
    assert classify_error_body(status, body, content_type) is expected
