"""The web pages: search, letter, thread, company and statistics, rendered on the server.

Pages read through the same functions as the JSON routes (``run_search``, ``get_letter``,
``get_thread``, ``get_company``, the ``/stats`` bodies), all on ``SearchService``, and pass
the answers through the API's response models, so a page shows exactly what the API
answers. Every page state is in its URL (plain GET links and forms).

The routes are plain ``def`` (run in the thread pool, like the JSON routes) and left out of
the OpenAPI document. ``PageRoute`` answers their errors as HTML pages instead of the API's
JSON: an unknown or malformed id is a 404 page, a malformed parameter a 400 page, an
unreachable Elasticsearch a 503 page (counted like the API's).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import ValidationError
from starlette.responses import HTMLResponse, Response

from api.deps import ServiceDep, SettingsDep
from api.errors import ApiError, BadRequestError, NotFoundError, describe_validation_error
from api.routes.comments import find_similar
from api.routes.companies import get_company
from api.routes.letters import get_letter
from api.routes.search import run_search
from api.routes.stats import run_stats
from api.routes.threads import get_thread
from api.schemas import (
    CommentHit,
    CompanyDetail,
    LetterDetail,
    LetterHit,
    SearchResults,
    SimilarComments,
    ThreadDetail,
)
from api.web import pages
from api.web.links import SearchState
from api.web.rendering import render
from api.web.views import PARAMETER_LABELS
from indexer.errors import SearchBackendError
from indexer.models import Cik, LetterId
from indexer.search.kinds import COMMENTS, LETTERS
from indexer.search.params import CommentId, LetterFilters
from indexer.search.query import parse_query
from indexer.search.stats import add_duration_aggs

__all__ = ["PageRoute", "router"]

logger = logging.getLogger(__name__)

_RETRY_SECONDS = "30"
_NOT_FOUND = {
    "accession": "There is no letter with accession number {value}.",
    "thread_id": "There is no review thread {value}.",
    "cik": "There is no company with CIK {value} among the letters.",
}


def _error_page(request: Request, status: int, message: str) -> HTMLResponse:
    response = render(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )
    if status == 503:
        response.headers["Retry-After"] = _RETRY_SECONDS
    return response


def _not_found_message(parameter: str | None, value: Any) -> str:
    template = _NOT_FOUND.get(parameter or "", "There is no such page.")
    return template.format(value=str(value)[:80])


class PageRoute(APIRoute):
    """A route whose errors are HTML pages (404, 400, 503) rather than the API's JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                errors = exc.errors()
                parameter, problem = describe_validation_error(errors)
                if errors and errors[0].get("loc", ("",))[0] == "path":
                    value = request.path_params.get(parameter or "", "")
                    return _error_page(request, 404, _not_found_message(parameter, value))
                return _error_page(request, 400, f"{parameter}: {problem}")
            except NotFoundError as exc:
                value = request.path_params.get(exc.parameter or "", "")
                return _error_page(request, 404, _not_found_message(exc.parameter, value))
            except ApiError as exc:
                return _error_page(request, exc.status_code, exc.message)
            except SearchBackendError as exc:
                logger.warning("search backend error on a page: %s", exc)
                request.app.state.metrics.backend_errors.inc()
                return _error_page(request, 503, "The search index cannot be reached.")

        return page_handler


router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _problem(exc: ValidationError) -> str:
    """A malformed parameter, named as the page names it ("Dated from: …")."""
    parameter, problem = describe_validation_error(exc.errors())
    if parameter is None:
        return problem
    return f"{PARAMETER_LABELS.get(parameter, parameter)}: {problem}"


def _query(request: Request) -> dict[str, list[str]]:
    params = request.query_params
    return {name: params.getlist(name) for name in params}


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, service: ServiceDep, settings: SettingsDep) -> HTMLResponse:
    """Letters (or comments) matching a search, with filters, facets and paging."""
    query = _query(request)
    try:
        state = SearchState.from_query(query)
    except ValidationError as exc:
        fallback = SearchState.from_query({"q": query.get("q", [])[:1]})
        context = pages.search_context(fallback, None, settings=settings)
        context["error"] = _problem(exc)
        return render(request, "search.html", context, status_code=400)
    kind = COMMENTS if state.mode == "comments" else LETTERS
    model = SearchResults[CommentHit] if state.mode == "comments" else SearchResults[LetterHit]
    try:
        answer = run_search(kind, state.params, service=service, settings=settings)
    except ApiError as exc:  # a cursor that does not fit this search
        context = pages.search_context(state, None, settings=settings)
        context["error"] = exc.message
        return render(request, "search.html", context, status_code=exc.status_code)
    results = model.model_validate(answer).model_dump()
    return render(request, "search.html", pages.search_context(state, results, settings=settings))


@router.get("/letter/{accession}", response_class=HTMLResponse)
def letter_page(
    request: Request,
    accession: Annotated[LetterId, Path()],
    service: ServiceDep,
    q: Annotated[str, Query(max_length=1000)] = "",
) -> HTMLResponse:
    """One letter: its text with the comments set off, dates, company, filings, thread."""
    letter = LetterDetail.model_validate(get_letter(accession, service)).model_dump()
    terms = parse_query(q).highlight_terms() if q.strip() else ()
    return render(request, "letter.html", pages.letter_context(letter, terms=terms, q=q))


@router.get("/comment/{comment_id}/similar", response_class=HTMLResponse)
def similar_page(
    request: Request,
    comment_id: Annotated[CommentId, Path()],
    service: ServiceDep,
    settings: SettingsDep,
) -> HTMLResponse:
    """Who else got this comment: the most similar staff comments sent to other companies,
    each with how the company answered."""
    found = SimilarComments.model_validate(
        find_similar(comment_id, settings.api.page_size_default, service)
    ).model_dump()
    return render(request, "similar.html", pages.similar_context(found))


@router.get("/thread/{thread_id}", response_class=HTMLResponse)
def thread_page(
    request: Request, thread_id: Annotated[LetterId, Path()], service: ServiceDep
) -> HTMLResponse:
    """A review: its timeline, and each staff comment beside the company's answer."""
    thread = ThreadDetail.model_validate(get_thread(thread_id, service)).model_dump()
    return render(request, "thread.html", pages.thread_context(thread))


@router.get("/company/{cik}", response_class=HTMLResponse)
def company_page(
    request: Request, cik: Annotated[Cik, Path()], service: ServiceDep
) -> HTMLResponse:
    """A company's reviews over the years and its letters per year."""
    company = CompanyDetail.model_validate(get_company(cik, service)).model_dump()
    return render(request, "company.html", pages.company_context(company))


@router.get("/statistics", response_class=HTMLResponse)
def statistics_page(request: Request, service: ServiceDep, settings: SettingsDep) -> HTMLResponse:
    """Letters and reviews per year, days to close and top topics, of all or some letters."""
    query = _query(request)
    known = {name: values for name, values in query.items() if name in LetterFilters.model_fields}
    try:
        state = SearchState.from_query(known, path="/statistics")
    except ValidationError as exc:
        raise BadRequestError(_problem(exc)) from exc
    filters = LetterFilters.model_validate(
        {name: getattr(state.params, name) for name in LetterFilters.model_fields}
    )
    stats, threads = run_stats(filters, service, threads_body=add_duration_aggs)
    context = pages.statistics_context(state, stats, threads, settings=settings)
    return render(request, "statistics.html", context)
