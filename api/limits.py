"""Request size limits: an overlong URL is a 414, an oversize body a 413, before any route.

``RequestLimitsMiddleware`` is pure ASGI, outermost but for error handling, so nothing of a
refused request is parsed. The URL (path plus query string, as sent) must fit in
``api.max_url_bytes``; a body must fit in ``api.max_request_body_bytes``: a declared
``Content-Length`` above it is refused before the body is read, and a body sent without one
(chunked) is counted as it arrives and refused at the first byte over the limit
(``BodyTooLargeError`` from the route's read of the body, answered by ``api/errors.py``).
Both answers are in the API's one JSON error shape.

The answer keeps the connection open: uvicorn then reads and discards the rest of the body
(closing at once would reset the connection with the body unread, and the client could lose
the answer). A server in front has its own limits too: uvicorn (h11) refuses a request line
and headers above 16 KiB with a plain 400 before the app sees it.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ApiError, error_body

__all__ = ["BodyTooLargeError", "RequestLimitsMiddleware"]


class BodyTooLargeError(ApiError):
    """The request body is larger than ``api.max_request_body_bytes``."""

    status_code = 413


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class RequestLimitsMiddleware:
    """Refuse overlong URLs (414) and oversize bodies (413) in the one JSON error shape."""

    def __init__(self, app: ASGIApp, *, max_url_bytes: int, max_body_bytes: int) -> None:
        self.app = app
        self.max_url_bytes = max_url_bytes
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("raw_path") or scope.get("path", "").encode("utf-8")
        url_bytes = len(path) + len(scope.get("query_string", b""))
        if url_bytes > self.max_url_bytes:
            message = f"the URL is too long ({url_bytes:,} bytes; at most {self.max_url_bytes:,})"
            await _refuse(send, 414, message)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            await _refuse(send, 413, self._too_large(declared))
            return
        await self.app(scope, self._counting(receive), send)

    def _too_large(self, size: int | None) -> str:
        got = f"{size:,} bytes" if size is not None else "more"
        return f"the request body is too large ({got}; at most {self.max_body_bytes:,} bytes)"

    def _counting(self, receive: Receive) -> Receive:
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLargeError(self._too_large(None))
            return message

        return counted


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps(error_body(status, message)).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode("ascii")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
