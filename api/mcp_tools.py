"""The tools of ``corresp mcp``, each the twin of a REST route. No MCP library here.

A ``Tool`` names what an assistant sees (name, title, description), the pydantic model of its
arguments and the response model of its answer, and the function that answers it. The
argument models are the REST endpoints' parameter models (``indexer/search/params.py``), so
the argument descriptions, limits and normal forms are the API's own, and a filter added to
an endpoint's model (``outcome`` on comments, say) is offered by its tool too. The answering
functions are the REST routes' own (FastAPI leaves a route a plain function), called with the
same ``SearchService`` and settings: a tool answers exactly what its route answers, with the
same page-size maximum, search time limit, cursors and EDGAR URLs, in the same JSON shape
(dumped through the route's response model).

``run_tool`` validates, answers and dumps. Whatever a caller can cause or meet is raised as
a ``ToolCallError`` carrying the REST status, message and parameter, the same as the API's
(the message led by the parameter at fault: an assistant reads only the text)::

    ValidationError (the argument model)  400, naming the first argument at fault
    ApiError                              its status and parameter (size, cursor, accession …)
    QueryLimitError                       400: beyond a cluster limit, with what to narrow
    SearchBackendError                    503: "search backend unavailable: …"

Arguments are read as assistants send them: one value where a list is expected is a one-item
list (as ``?form=UPLOAD`` is in the API), a list sent as a JSON string is read as the list,
and a null means "not given". An unknown argument is an error naming it, never ignored.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from api.errors import ApiError, describe_validation_error, error_body
from api.routes import comments, companies, letters, threads
from api.routes.search import run_search
from api.routes.stats import run_stats
from api.schemas import (
    CommentHit,
    CompanyDetail,
    LetterDetail,
    LetterHit,
    SearchResults,
    SimilarComments,
    StatsResponse,
    ThreadDetail,
    ThreadList,
)
from api.search import SearchService
from indexer.errors import QueryLimitError, SearchBackendError
from indexer.es_client import make_es_client
from indexer.lifecycle import index_names
from indexer.models import Cik, LetterId
from indexer.search.kinds import COMMENTS, LETTERS
from indexer.search.params import (
    CommentId,
    CommentSearchParams,
    LetterFilters,
    LetterSearchParams,
    SimilarParams,
    ThreadListParams,
)
from indexer.settings import Settings

__all__ = ["TOOLS", "Tool", "ToolCallError", "ToolContext", "open_context", "run_tool"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ToolContext:
    """What the tools answer from: the API's search service and the settings (page sizes)."""

    service: SearchService
    settings: Settings


@dataclass(frozen=True)
class Tool:
    """One tool: what the assistant is told, what it may pass, what it gets back."""

    name: str
    title: str
    description: str
    arguments: type[BaseModel]
    answer: type[BaseModel]
    run: Callable[[Any, ToolContext], dict[str, Any]]


class ToolCallError(Exception):
    """A tool call that cannot be answered: the API's status, message and parameter."""

    def __init__(self, status: int, message: str, *, parameter: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter

    def body(self) -> dict[str, Any]:
        """The REST API's one error shape."""
        return error_body(self.status, self.message, parameter=self.parameter)


class LetterArgs(BaseModel):
    """``get_letter``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    accession: LetterId = Field(
        description="The letter's accession number, e.g. 0001193125-22-123456 (dashed or 18 "
        "digits), as in the accession of search hits; a letter filed inside another "
        "submission adds its document sequence: 0001193125-10-099603.13."
    )


class ThreadArgs(BaseModel):
    """``get_thread``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    thread_id: LetterId = Field(
        description="The review's id: the accession of its first letter, as given in the "
        "thread_id of search hits and letters."
    )


class CompanyArgs(BaseModel):
    """``get_company``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cik: Cik = Field(
        description="The company's CIK, any zero padding (e.g. 1300514 or 0001300514), as in "
        "the ciks of search hits."
    )


class SimilarArgs(SimilarParams):
    """``similar_comments``: the comment, and how many similar ones."""

    comment_id: CommentId = Field(
        description="The comment's id, {accession}-{number} (e.g. 0001193125-22-123456-3 "
        "for comment 3 of that letter), as in the comment_id of search_comments hits."
    )


def _search_letters(args: LetterSearchParams, context: ToolContext) -> dict[str, Any]:
    return run_search(LETTERS, args, service=context.service, settings=context.settings)


def _search_comments(args: CommentSearchParams, context: ToolContext) -> dict[str, Any]:
    return run_search(COMMENTS, args, service=context.service, settings=context.settings)


def _get_letter(args: LetterArgs, context: ToolContext) -> dict[str, Any]:
    return letters.get_letter(args.accession, context.service)


def _get_thread(args: ThreadArgs, context: ToolContext) -> dict[str, Any]:
    return threads.get_thread(args.thread_id, context.service)


def _list_threads(args: ThreadListParams, context: ToolContext) -> dict[str, Any]:
    return threads.list_threads(args, context.service, context.settings)


def _get_company(args: CompanyArgs, context: ToolContext) -> dict[str, Any]:
    return companies.get_company(args.cik, context.service)


def _similar_comments(args: SimilarArgs, context: ToolContext) -> dict[str, Any]:
    return comments.similar_comments(args.comment_id, args, context.service, context.settings)


def _get_statistics(args: LetterFilters, context: ToolContext) -> dict[str, Any]:
    return run_stats(args, context.service)[0]


_PAGING = (
    "The exact total and facet counts cover every match; next_cursor, passed back as cursor "
    "with the same other arguments, gives the next page (null after the last). "
)
_PARTIAL = "partial is true (with partial_reason) when the search was stopped at the time limit."
TOOLS: tuple[Tool, ...] = (
    Tool(
        name="search_letters",
        title="Search SEC comment letters",
        description="Full-text search of SEC comment letters: the staff's letters to companies "
        "(EDGAR form UPLOAD: comments, review complete, no review) and the companies' responses "
        "(CORRESP). Each hit has the accession, company, CIKs, letter type, dates, file numbers, "
        "thread_id (its review), url (the letter on EDGAR) and highlighted snippets (HTML, "
        "matches in <mark>). " + _PAGING + "Use get_letter for a letter's whole text and "
        "comments, get_thread for its review. " + _PARTIAL,
        arguments=LetterSearchParams,
        answer=SearchResults[LetterHit],
        run=_search_letters,
    ),
    Tool(
        name="search_comments",
        title="Search individual staff comments",
        description="Search the numbered comments of staff letters one by one, each with the "
        "company's answer to it (response, response_accession, response_date) when its response "
        "letter is indexed. The filters are those of search_letters, applied to the comment's "
        "letter, plus has_response and outcome (how the company answered: will_revise, "
        "amended, supplemental, no_change, confidential, other). Each hit has comment_id (for "
        "similar_comments), accession, thread_id, topics, outcomes and url (the letter on "
        "EDGAR); facets count hits per outcome. " + _PAGING + _PARTIAL,
        arguments=CommentSearchParams,
        answer=SearchResults[CommentHit],
        run=_search_comments,
    ),
    Tool(
        name="get_letter",
        title="Get one letter",
        description="One letter by accession number: every field (dates, company, SIC, state, "
        "file numbers, the filings it reviews with their EDGAR links, staff, office, topics), "
        "its numbered comments (with the company's answers, in a response), its whole text, "
        "url (the letter on EDGAR) and its review (thread: thread_id, status, rounds, dates).",
        arguments=LetterArgs,
        answer=LetterDetail,
        run=_get_letter,
    ),
    Tool(
        name="get_thread",
        title="Get one review thread",
        description="One review, from the first staff letter to the closing letter, by "
        "thread_id: its letters in date order (each with its role, the rule and evidence that "
        "linked it, and its EDGAR url), and round by round each staff comment beside the "
        "company's answer and its outcomes; status, rounds, days open, reviewed filings, topics, "
        "outcomes and whether the company amended the filing under review (amended, with the "
        "evidence).",
        arguments=ThreadArgs,
        answer=ThreadDetail,
        run=_get_thread,
    ),
    Tool(
        name="list_threads",
        title="List review threads",
        description="Reviews (threads of letters by SEC file number and the links between "
        "letters), newest first, filtered by company CIK, file number, status (open, closed, "
        "no_review, response_only), opening dates, minimum rounds, reviewed form (10-K, S-1 …) "
        "or words of the company name. Each has its thread_id (for get_thread), company, "
        "status, rounds, opening and closing dates, days open and reviewed filings. "
        "next_cursor, passed back as cursor with the same other arguments, gives the next "
        "page (null after the last).",
        arguments=ThreadListParams,
        answer=ThreadList,
        run=_list_threads,
    ),
    Tool(
        name="get_company",
        title="Get a company's review history",
        description="One company by CIK: its name, SIC code and state from its newest "
        "letters, its letter count and letters per year, its newest letters and every review "
        "of it, newest first (thread_id, status, rounds, dates, reviewed filings).",
        arguments=CompanyArgs,
        answer=CompanyDetail,
        run=_get_company,
    ),
    Tool(
        name="similar_comments",
        title="Similar comments sent to other companies",
        description="Who else got this comment, and how did they answer? The staff comments "
        "most like one comment (by comment_id) that were sent to other companies, most similar "
        "first, each with that company's answer, how it answered (outcomes, with the sentence "
        "that shows each in outcome_evidence), its letter's EDGAR url and thread_id.",
        arguments=SimilarArgs,
        answer=SimilarComments,
        run=_similar_comments,
    ),
    Tool(
        name="get_statistics",
        title="Statistics of letters and reviews",
        description="Statistics of the letters matching a search string and filters (the same "
        "as search_letters, without paging): letters and reviews per year, reviews closed and "
        "their mean and median days to close, the top comment topics, and how the companies "
        "answered (answers per outcome, the share of no_change answers by topic and by year). "
        + _PARTIAL,
        arguments=LetterFilters,
        answer=StatsResponse,
        run=_get_statistics,
    ),
)


@contextmanager
def open_context(settings: Settings) -> Iterator[ToolContext]:
    """The search service the REST API would use for ``settings`` (its request and search
    time limits), closed at the end."""
    es = make_es_client(
        settings.elasticsearch, timeout_seconds=settings.api.request_timeout_seconds
    )
    targets = index_names(settings.elasticsearch.index_prefix).aliases
    try:
        service = SearchService(es, targets, timeout_seconds=settings.api.search_timeout_seconds)
        yield ToolContext(service, settings)
    finally:
        es.close()


def run_tool(tool: Tool, arguments: Mapping[str, Any], context: ToolContext) -> dict[str, Any]:
    """The answer of ``tool`` to ``arguments`` as JSON data; raises ``ToolCallError``."""
    try:
        args = tool.arguments.model_validate(_prepared(tool.arguments, arguments))
    except ValidationError as exc:
        raise _invalid(tool, exc) from exc
    try:
        answer = tool.run(args, context)
    except ApiError as exc:
        raise _refused(exc) from exc
    except QueryLimitError as exc:
        raise ToolCallError(400, str(exc)) from exc
    except SearchBackendError as exc:
        logger.warning("search backend error: %s", exc)
        raise ToolCallError(503, f"search backend unavailable: {exc}") from exc
    return tool.answer.model_validate(answer).model_dump(mode="json")


def _refused(exc: ApiError) -> ToolCallError:
    """The API's error, its text led by the parameter at fault (as the assistant reads only
    the text): "accession: no letter with accession …"."""
    message = exc.message
    if exc.parameter and not message.startswith(f"{exc.parameter}:"):
        message = f"{exc.parameter}: {message}"
    return ToolCallError(exc.status_code, message, parameter=exc.parameter)


def _invalid(tool: Tool, exc: ValidationError) -> ToolCallError:
    """The first problem of the arguments, worded as the API words it."""
    parameter, problem = describe_validation_error(exc.errors())
    if parameter is None:
        return ToolCallError(400, problem)
    if problem == "unknown parameter":
        known = ", ".join(tool.arguments.model_fields)
        problem = f"unknown argument of {tool.name} (it takes {known})"
    return ToolCallError(400, f"{parameter}: {problem}", parameter=parameter)


def _prepared(model: type[BaseModel], arguments: Mapping[str, Any]) -> dict[str, Any]:
    """``arguments`` without nulls, one value or a JSON array given for a list as the list."""
    prepared: dict[str, Any] = {}
    for name, value in arguments.items():
        if value is None:
            continue
        field = model.model_fields.get(name)
        is_list = field is not None and get_origin(field.annotation) is list
        prepared[name] = _as_list(value) if is_list else value
    return prepared


def _as_list(value: Any) -> Any:
    if isinstance(value, list):
        return value
    if isinstance(value, str) and value.lstrip().startswith("["):
        try:
            parsed = json.loads(value)
        except ValueError:
            return [value]
        return parsed if isinstance(parsed, list) else [value]
    return [value]
