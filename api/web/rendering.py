"""Templates, security headers and static files of the web pages.

Templates are Jinja2 with autoescaping on for every template: values are escaped unless they
are ``Markup`` built by the pure code (charts, marked text) or, in one place, the API's
search snippets (already escaped by Elasticsearch's ``html`` encoder, only ``<mark>`` added).
The environment is built on first use, not at import time.

Every HTML answer carries ``SECURITY_HEADERS``: a Content-Security-Policy that allows
scripts, styles and images from this site only (no inline scripts or styles anywhere: the
JavaScript is ``static/site.js``), ``nosniff``, a referrer policy and no framing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from api.web.charts import format_value
from api.web.labels import (
    humanize,
    letter_type_label,
    long_date,
    outcome_labels,
    role_label,
    status_label,
    topic_labels,
)

__all__ = ["SECURITY_HEADERS", "STATIC_DIR", "StaticAssets", "render"]

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
_STATIC_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=86400"}


def _cik(value: str | None) -> str:
    """``0001300514`` -> ``1300514``."""
    return (value or "").lstrip("0") or (value or "")


def _number(value: Any) -> str:
    return "" if value is None else format_value(value)


@cache
def asset_version(name: str) -> str:
    """A short hash of a static file, appended to its URL so browsers never use a stale copy."""
    return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:10]


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        date=long_date,
        human=humanize,
        letter_type=letter_type_label,
        role=role_label,
        status=status_label,
        cik=_cik,
        number=_number,
    )
    env.globals["asset"] = lambda name: f"/static/{name}?v={asset_version(name)}"
    return env


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """The page ``template`` with ``context``, with the security headers."""
    settings = request.app.state.settings
    labels = topic_labels(settings.normalizer.taxonomy_path)
    outcomes = outcome_labels(settings.normalizer.outcomes_path)
    page = (
        environment()
        .get_template(template)
        .render(
            {
                "request_path": request.url.path,
                "topic_label": lambda code: labels.get(code) or humanize(code),
                "outcome_label": lambda code: outcomes.get(code) or humanize(code),
                **context,
            }
        )
    )
    return HTMLResponse(page, status_code=status_code, headers=dict(SECURITY_HEADERS))


class StaticAssets(StaticFiles):
    """The stylesheet, script and icon, with ``nosniff`` and a day of caching."""

    def __init__(self) -> None:
        super().__init__(directory=STATIC_DIR)

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.update(_STATIC_HEADERS)
        return response
