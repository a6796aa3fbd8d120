"""Request parameters: what the search, export, stats and thread endpoints accept. Pure.

Each model is a FastAPI query-parameter model (``Annotated[Model, Query()]``); the command
line builds the same models, so both get the same validation and normal forms. Field
descriptions become the OpenAPI documentation of the parameters. Values are normalized on
the way in: CIKs to ten digits, file numbers to EDGAR's form (``1-7933`` -> ``001-07933``),
forms and states to upper case, letter types and topics to lower snake case. Unknown
parameters are errors (``extra="forbid"``), so a misspelled filter is a 400 naming it rather
than a silently unfiltered answer. Reversed date ranges are errors naming the upper bound.
A repeatable filter takes at most ``MAX_VALUES`` values, so no request (nor saved search)
builds a query of thousands of clauses.

Paging values that depend on configuration or on the sort order (``size``, ``cursor``) are
checked where the request is resolved (``indexer/search/paging.py``, called by ``api/deps.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from indexer.models import Cik, FileNumber, FormType
from indexer.normalize.letter import LetterType

__all__ = [
    "MAX_VALUES",
    "CommentFilters",
    "CommentId",
    "CommentSearchParams",
    "ExportParams",
    "LetterFilters",
    "LetterSearchParams",
    "SimilarParams",
    "SortName",
    "ThreadListParams",
    "ThreadStatus",
    "normalize_comment_id",
]

MAX_VALUES = 100
"""Values of one repeatable filter (``?cik=…&cik=…``); more is a 400 naming the filter."""
SortName = Literal["relevance", "date", "date_asc"]
ThreadStatus = Literal["open", "closed", "no_review", "response_only"]
_SNAKE = re.compile(r"[\s\-]+")


def _values(description: str) -> Any:
    """A repeatable filter's field: a list, empty by default, of at most ``MAX_VALUES``."""
    return Field([], max_length=MAX_VALUES, description=description)


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _snake(value: Any) -> Any:
    return _SNAKE.sub("_", value.strip().lower()) if isinstance(value, str) else value


def _is_blank(value: Any) -> bool:
    return isinstance(value, str) and not value.strip()


def _squeeze(value: str) -> str:
    return " ".join(value.split())


Form = Annotated[FormType, BeforeValidator(_upper)]
Kind = Annotated[LetterType, BeforeValidator(_snake)]
Topic = Annotated[str, BeforeValidator(_snake), StringConstraints(pattern=r"^[a-z0-9_]{1,64}$")]
Sic = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{3,4}$")]
State = Annotated[str, BeforeValidator(_upper), StringConstraints(pattern=r"^[A-Z0-9]{2}$")]
Words = Annotated[str, StringConstraints(max_length=200), AfterValidator(_squeeze)]
ReviewedForm = Annotated[str, BeforeValidator(_upper), StringConstraints(max_length=20)]


def _ordered(low: str, value: date | None, info: ValidationInfo) -> date | None:
    start = info.data.get(low)
    if value is not None and isinstance(start, date) and value < start:
        raise ValueError(f"must not be before {low} ({start.isoformat()})")
    return value


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_blanks(cls, data: Any) -> Any:
        """An empty parameter (``?company=&form=``, as HTML forms send) means "not given"."""
        if not isinstance(data, Mapping):
            return data
        kept: dict[str, Any] = {}
        for name, given in data.items():
            value = [v for v in given if not _is_blank(v)] if isinstance(given, list) else given
            if not _is_blank(value) and value != []:
                kept[name] = value
        return kept


class LetterFilters(_Params):
    """A search string and the filters shared by letter search, stats and export."""

    q: str = Field(
        "",
        description='Search string: words (all must match), "phrases", OR, -exclusions, '
        "word*, (groups), and prefixes company:, file:, cik:, form:, type:, topic:, office:, "
        "staff:. Malformed input is repaired, never rejected.",
    )
    form: list[Form] = _values("Letter form: UPLOAD, CORRESP or DRSLTR.")
    letter_type: list[Kind] = _values("Letter type, e.g. comment, review_complete, response.")
    cik: list[Cik] = _values("Company CIK (any zero padding).")
    company: Words | None = Field(None, description="Words of the company name (all must match).")
    file_number: list[FileNumber] = _values(
        "SEC file number, any form: 1-7933 and 001-07933 are the same."
    )
    sic: list[Sic] = _values("Standard Industrial Classification code.")
    state: list[State] = _values("State (or country code) of incorporation.")
    office: list[Words] = _values("Reviewing office, e.g. Technology (any case, exact name).")
    staff: list[Words] = _values("Words of a staff member's name.")
    topic: list[Topic] = _values("Comment topic id, e.g. non_gaap_measures.")
    date_from: date | None = Field(None, description="Letter dated on or after (YYYY-MM-DD).")
    date_to: date | None = Field(None, description="Letter dated on or before (YYYY-MM-DD).")
    released_from: date | None = Field(None, description="Released by EDGAR on or after.")
    released_to: date | None = Field(None, description="Released by EDGAR on or before.")

    @field_validator("date_to")
    @classmethod
    def _date_range(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _ordered("date_from", value, info)

    @field_validator("released_to")
    @classmethod
    def _released_range(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _ordered("released_from", value, info)


class CommentFilters(LetterFilters):
    """The letter filters, applied to each comment's letter, plus whether it was answered."""

    has_response: bool | None = Field(
        None, description="Only comments the company answered (true) or did not (false)."
    )
    outcome: list[Topic] = _values(
        "How the company answered: will_revise, amended, supplemental, no_change, "
        "confidential or other (indexer/normalize/outcomes.yaml)."
    )


class _Paging(_Params):
    sort: SortName | None = Field(
        None,
        description="relevance (default with a search string), date (newest first, the "
        "default otherwise) or date_asc.",
    )
    size: int | None = Field(
        None, ge=1, description="Hits per page (default 20, at most 100, as configured)."
    )
    cursor: str | None = Field(
        None, description="The next_cursor of the previous page, to continue after it."
    )
    snippets: bool = Field(
        True,
        description="Highlighted snippets with each hit (default true); false leaves "
        "highlights empty and answers faster (snippets are about two thirds of the time of "
        "a 100-hit page), for programs that read only the hits' fields.",
    )


class LetterSearchParams(_Paging, LetterFilters):
    """``GET /search``."""


class CommentSearchParams(_Paging, CommentFilters):
    """``GET /comments/search``."""


class ExportParams(CommentFilters):
    """``GET /export``: a search's filters, which documents and in what format."""

    kind: Literal["letters", "comments"] = Field("letters", description="What to export.")
    format: Literal["csv", "jsonl"] = Field("csv", description="CSV or JSON Lines.")
    sort: SortName | None = Field(None, description="Order of the rows, as for /search.")


class ThreadListParams(_Params):
    """``GET /threads``: reviews by company, file number, status, dates and size."""

    cik: list[Cik] = _values("Company CIK.")
    file_number: list[FileNumber] = _values("SEC file number, any form.")
    status: list[ThreadStatus] = _values("open, closed, no_review, response_only.")
    opened_from: date | None = Field(None, description="Opened on or after (YYYY-MM-DD).")
    opened_to: date | None = Field(None, description="Opened on or before (YYYY-MM-DD).")
    min_rounds: int | None = Field(None, ge=0, le=1000, description="At least this many rounds.")
    form_reviewed: list[ReviewedForm] = _values("Form of a reviewed filing, e.g. 10-K.")
    company: Words | None = Field(None, description="Words of the company name.")
    size: int | None = Field(None, ge=1, description="Threads per page (default 20, at most 100).")
    cursor: str | None = Field(None, description="The next_cursor of the previous page.")

    @field_validator("opened_to")
    @classmethod
    def _opened_range(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _ordered("opened_from", value, info)


class SimilarParams(_Params):
    """``GET /comments/{comment_id}/similar``."""

    size: int | None = Field(None, ge=1, description="How many comments (default 20).")


_COMMENT_ID = re.compile(r"^(\d{10}-\d{2}-\d{6})-(\d{1,4})$")


def normalize_comment_id(value: str) -> str:
    """A comment id, ``{accession}-{number}``; raises ``ValueError`` otherwise."""
    match = _COMMENT_ID.match(value.strip())
    if match is None:
        raise ValueError(f"not a comment id (accession-number): {value[:60]!r}")
    return f"{match.group(1)}-{int(match.group(2))}"


CommentId = Annotated[str, AfterValidator(normalize_comment_id)]
