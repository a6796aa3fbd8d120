"""API keys: who may change watchlists, and, when configured, who may read anything.

Keys are the secrets of ``api.keys`` (from ``CORRESP__API__KEYS``, comma-separated). A
request presents one as ``Authorization: Bearer KEY`` or ``X-API-Key: KEY`` (browsers may
also send it as the password of HTTP Basic authentication, which they prompt for). It is
compared with every configured key in constant time (``hmac.compare_digest``, no early exit).

- Writes (``POST``/``PUT``/``DELETE`` of watchlists, the ``/watch`` forms) depend on
  ``require_write_key``: no key or a wrong one is a 401 with ``WWW-Authenticate``; with no key
  configured at all, changes through the API are off (403).
- ``api.require_key_for_reads: true`` adds ``KeyRequiredMiddleware``: every request but
  ``/health`` needs a key, JSON and HTML alike (a 401 in the API's one JSON error shape).

Keys are never logged, echoed or stored anywhere else.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from collections.abc import Mapping, Sequence

from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import SecretStr
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_body
from indexer.settings import ApiConfig

__all__ = [
    "KeyRequiredMiddleware",
    "WriteKey",
    "install_access_control",
    "key_matches",
    "key_problem",
    "presented_key",
    "require_write_key",
]

REALM = "corresp"
OPEN_PATHS = frozenset({"/health"})
_MISSING = "an API key is required: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"
_WRONG = "the API key is not valid"
_DISABLED = "changes through the API are disabled: no API key is configured (api.keys)"


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The key a request presents (Bearer, X-API-Key, or a Basic password), if any."""
    authorization = headers.get("authorization", "")
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if scheme.lower() == "basic" and value.strip():
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    key = headers.get("x-api-key", "").strip()
    return key or None


def key_matches(presented: str, keys: Sequence[SecretStr]) -> bool:
    """Whether ``presented`` is one of ``keys``; compares with every key, in constant time."""
    given = presented.encode("utf-8")
    found = False
    for key in keys:
        found |= hmac.compare_digest(given, key.get_secret_value().encode("utf-8"))
    return found


def _challenge(*, wrong: bool, browser: bool) -> str:
    if browser:
        return f'Basic realm="{REALM}", charset="UTF-8"'
    return f'Bearer realm="{REALM}"' + (', error="invalid_token"' if wrong else "")


def _problem(headers: Mapping[str, str], keys: Sequence[SecretStr]) -> str | None:
    """Why a read may not proceed (``require_key_for_reads``), or ``None``."""
    refused = key_problem(presented_key(headers), keys)
    return refused[1] if refused else None


def _wants_html(headers: Mapping[str, str]) -> bool:
    return "text/html" in headers.get("accept", "")


def key_problem(presented: str | None, keys: Sequence[SecretStr]) -> tuple[int, str] | None:
    """Why a change may not be made with ``presented``: ``(status, message)``, or ``None``."""
    if not keys:
        return 403, _DISABLED
    if presented is None:
        return 401, _MISSING
    if not key_matches(presented, keys):
        return 401, _WRONG
    return None


def require_write_key(request: Request) -> None:
    """Dependency of every route that changes watchlists."""
    refused = key_problem(presented_key(request.headers), request.app.state.settings.api.keys)
    if refused is None:
        return
    status, message = refused
    headers = None
    if status == 401:
        headers = {"WWW-Authenticate": _challenge(wrong=message == _WRONG, browser=False)}
    raise HTTPException(status_code=status, detail=message, headers=headers)


WriteKey = Depends(require_write_key)


class KeyRequiredMiddleware:
    """Every HTTP request but ``OPEN_PATHS`` needs one of ``keys`` (pure ASGI middleware)."""

    def __init__(self, app: ASGIApp, *, keys: Sequence[SecretStr]) -> None:
        self.app = app
        self.keys = list(keys)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in scope.get("headers", ())
        }
        problem = _problem(headers, self.keys)
        if problem is None:
            await self.app(scope, receive, send)
            return
        body = json.dumps(error_body(401, problem)).encode("utf-8")
        challenge = _challenge(wrong=problem == _WRONG, browser=_wants_html(headers))
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode("ascii")),
                    (b"www-authenticate", challenge.encode("ascii")),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def install_access_control(app: FastAPI, api: ApiConfig) -> None:
    """Add the read check when ``api.require_key_for_reads`` is set (writes check per route)."""
    if api.require_key_for_reads:
        app.add_middleware(KeyRequiredMiddleware, keys=api.keys)
