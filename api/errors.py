"""The API's errors and the one place they become HTTP answers.

::

    ApiError(message, parameter=None)    status_code set per class
      BadRequestError                    400: a parameter is malformed (``parameter`` names it)
      NotFoundError                      404: no such accession, thread, company or comment

Every error leaves the API in one JSON shape::

    {"ok": false, "error": "date_from: Input should be a valid date", "status": 400,
     "parameter": "date_from"}

``install_error_handlers`` maps, besides ``ApiError``: request validation errors (FastAPI's
422) to 400 naming the parameter; ``SearchBackendError`` (Elasticsearch unreachable or
failing, translated in ``indexer.es_client``) to 503, except ``QueryLimitError`` (a request
beyond a cluster limit, ``indexer.cluster_limits``: too many buckets or clauses) to 400 with
what to narrow; Starlette's HTTP errors (unknown
route, wrong method: ``Allow`` lists every method of the path) to their status; anything
else to a logged 500 (``UnexpectedErrorMiddleware``: the exception ends there).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from indexer.errors import QueryLimitError, SearchBackendError

__all__ = [
    "ApiError",
    "BadRequestError",
    "NotFoundError",
    "UnexpectedErrorMiddleware",
    "error_body",
    "install_error_handlers",
]

E = TypeVar("E", bound=Exception)

logger = logging.getLogger(__name__)

_MAX_ECHOED_INPUT = 80


class ApiError(Exception):
    """Base of the errors the API answers with; ``status_code`` is the HTTP status."""

    status_code = 500

    def __init__(self, message: str, *, parameter: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.parameter = parameter


class BadRequestError(ApiError):
    """A request parameter is malformed or out of range."""

    status_code = 400


class NotFoundError(ApiError):
    """The named letter, thread, company or comment does not exist."""

    status_code = 404


def error_body(status: int, message: str, *, parameter: str | None = None) -> dict[str, Any]:
    """The API's one error shape."""
    body: dict[str, Any] = {"ok": False, "error": message, "status": status}
    if parameter is not None:
        body["parameter"] = parameter
    return body


def _answer(status: int, message: str, *, parameter: str | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, message, parameter=parameter), status_code=status)


def describe_validation_error(errors: Sequence[Any]) -> tuple[str | None, str]:
    """The parameter and problem of the first validation error (pydantic's error dicts)."""
    if not errors:
        return None, "invalid request"
    first = errors[0]
    location = [part for part in first.get("loc", ()) if isinstance(part, str)]
    if location and location[0] in ("query", "path", "body"):
        location = location[1:]
    parameter = location[0] if location else None
    if first.get("type") == "extra_forbidden":
        return parameter, "unknown parameter"
    problem = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    value = first.get("input")
    if isinstance(value, str) and 0 < len(value) <= _MAX_ECHOED_INPUT:
        problem += f" (got {value!r})"
    return parameter, problem


def _on_api_error(_request: Request, exc: ApiError) -> JSONResponse:
    return _answer(exc.status_code, exc.message, parameter=exc.parameter)


def _on_validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    parameter, problem = describe_validation_error(exc.errors())
    message = f"{parameter}: {problem}" if parameter else problem
    return _answer(400, message, parameter=parameter)


def _allowed_methods(request: Request, routes: Sequence[BaseRoute]) -> str | None:
    """Every method some route offers at the request's path (``Allow`` of a 405).

    Starlette names only the methods of the first route matching the path, while GET and POST
    of one path are often two routes.
    """
    methods: set[str] = set()
    for route in routes:
        if isinstance(route, Route) and route.methods:
            match, _ = route.matches(request.scope)
            if match is not Match.NONE:
                methods |= route.methods
    return ", ".join(sorted(methods)) or None


def _on_http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    response = _answer(exc.status_code, str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def _on_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.error("unexpected error answering %s %s", request.method, request.url.path, exc_info=exc)
    return _answer(500, "internal error; it has been logged")


class UnexpectedErrorMiddleware:
    """Answers an exception no handler took with the logged 500, and ends it there.

    Starlette's outermost ``ServerErrorMiddleware`` answers it too, but then raises it on to
    the server, which logs it a second time and drops the connection, sometimes before the
    client has read the answer. Innermost, this also lets the metrics count the 500.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception as exc:
            if started:
                raise
            response = _on_unexpected_error(Request(scope, receive), exc)
            await response(scope, receive, send)


def install_error_handlers(
    app: FastAPI,
    *,
    on_backend_error: Callable[[SearchBackendError], None] | None = None,
    routes: Sequence[BaseRoute] = (),
) -> None:
    """Answer every error in the one JSON shape; ``on_backend_error`` sees each 503.

    ``routes`` (every route of the app) make the ``Allow`` header of a 405 complete.
    """

    def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = _on_http_error(request, exc)
        if exc.status_code == 405 and (allowed := _allowed_methods(request, routes)):
            response.headers["Allow"] = allowed
        return response

    def on_backend(_request: Request, exc: SearchBackendError) -> JSONResponse:
        logger.warning("search backend error: %s", exc)
        if on_backend_error is not None:
            on_backend_error(exc)
        return _answer(503, f"search backend unavailable: {exc}")

    _add_handler(app, ApiError, _on_api_error)
    _add_handler(app, RequestValidationError, _on_validation_error)
    _add_handler(app, SearchBackendError, on_backend)
    _add_handler(app, QueryLimitError, _on_limit)
    _add_handler(app, StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, _on_unexpected_error)  # outside the middleware
    app.add_middleware(UnexpectedErrorMiddleware)


def _on_limit(_request: Request, exc: QueryLimitError) -> JSONResponse:
    """A request beyond a cluster limit: the asker's to narrow, not a cluster failure."""
    return _answer(400, str(exc))


def _add_handler(app: FastAPI, kind: type[E], handle: Callable[[Request, E], JSONResponse]) -> None:
    """Register ``handle`` for ``kind`` (Starlette types every handler as taking any exception;
    it calls this one only with a ``kind``)."""

    def handler(request: Request, exc: Exception) -> JSONResponse:
        if not isinstance(exc, kind):
            raise exc
        return handle(request, exc)

    app.add_exception_handler(kind, handler)
