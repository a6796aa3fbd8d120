"""Headers every answer carries: no content sniffing, no framing, a sparing referrer.

``base_headers`` (a pure ASGI middleware, outermost) adds ``BASE_HEADERS`` to every HTTP
answer that does not set the header itself: JSON, errors of every kind (the 413/414 of
``api/limits.py``, the 401 of ``api/auth.py``, the 500 of ``api/errors.py``), the Atom
feeds, the metrics. The pages set their own stricter set, with a Content-Security-Policy
(``api/web/rendering.py``).

No CORS headers are sent: browsers refuse cross-origin reads of the API, and preflight
requests get no ``Access-Control-Allow-*`` answer.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BASE_HEADERS", "base_headers"]

BASE_HEADERS: Mapping[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
_ENCODED = [
    (name.lower().encode("ascii"), value.encode("ascii")) for name, value in BASE_HEADERS.items()
]


def base_headers(app: ASGIApp) -> ASGIApp:
    """``app`` adding ``BASE_HEADERS`` to every HTTP answer that lacks them (a middleware)."""

    async def with_headers(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in _ENCODED if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await app(scope, receive, send_with_headers if scope["type"] == "http" else send)

    return with_headers
