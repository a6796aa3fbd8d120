"""Response models: what each endpoint answers, as documented in ``/openapi.json``.

Dates are ISO strings (``YYYY-MM-DD``) as stored; CIKs are ten digits, accessions dashed,
file numbers in EDGAR's form. Snippets (``highlights``) are HTML: the letter's text escaped,
the matched words inside ``<mark>`` tags.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, Field

__all__ = [
    "CommentExchange",
    "CommentHit",
    "CommentRound",
    "CompanyDetail",
    "ErrorResponse",
    "FacetBucket",
    "HealthResponse",
    "LetterDetail",
    "LetterHit",
    "QueryInfo",
    "SearchResults",
    "SimilarComments",
    "StatsResponse",
    "ThreadDetail",
    "ThreadList",
    "ThreadSummary",
]


class ErrorResponse(BaseModel):
    """Every error: 400 (bad parameter), 404 (unknown id), 503 (search backend down)."""

    ok: bool = False
    error: str = Field(description="What went wrong, for people.")
    status: int = Field(description="The HTTP status, repeated.")
    parameter: str | None = Field(None, description="The request parameter at fault.")


class FacetBucket(BaseModel):
    value: str
    count: int


class QueryInfo(BaseModel):
    """How the search string was understood."""

    understood: str = Field(description="The query as parsed, in the same syntax.")
    warnings: list[str] = Field(description="What was repaired or ignored in the input.")
    highlight_terms: list[str] = Field(description="Words and phrases to highlight.")


class LetterHit(BaseModel):
    accession: str
    form: str | None = None
    letter_type: str | None = None
    company: str | None = None
    ciks: list[str] = []
    letter_date: str | None = None
    filing_date: str | None = None
    released_on: str | None = None
    file_numbers: list[str] = []
    thread_id: str | None = None
    url: str | None = None
    highlights: list[str] = Field([], description="Snippets of the text (HTML, <mark>ed).")
    score: float | None = Field(None, description="Relevance (null when sorted by date).")


def _none_as_empty(value: Any) -> Any:
    return [] if value is None else value


Outcomes = Annotated[list[str], BeforeValidator(_none_as_empty)]
"""Answer outcomes; documents indexed before outcomes existed have none (not a list)."""


class OutcomeEvidence(BaseModel):
    outcome: str
    evidence: str


class CommentHit(BaseModel):
    comment_id: str
    accession: str
    number: int | None = None
    heading: str | None = None
    text: str | None = Field(None, description="The whole comment (plain text).")
    response: str | None = Field(None, description="The company's answer (plain text).")
    has_response: bool | None = None
    response_accession: str | None = None
    response_date: str | None = None
    form: str | None = None
    letter_type: str | None = None
    company: str | None = None
    ciks: list[str] = []
    letter_date: str | None = None
    released_on: str | None = None
    file_numbers: list[str] = []
    topics: list[str] = []
    outcomes: Outcomes = Field(
        [], description="How the company answered (will_revise, amended, supplemental, …)."
    )
    outcome_evidence: Annotated[list[OutcomeEvidence], BeforeValidator(_none_as_empty)] = Field(
        [], description="The sentence of the answer that shows each outcome (similar comments)."
    )
    thread_id: str | None = None
    url: str | None = None
    highlights: list[str] = Field([], description="Snippets of heading, text and answer.")
    score: float | None = None


HitT = TypeVar("HitT", LetterHit, CommentHit)


class SearchResults(BaseModel, Generic[HitT]):
    total: int = Field(
        description="Every match (exact; only those found so far when query.warnings says "
        "the search was stopped at the time limit)."
    )
    hits: list[HitT]
    facets: dict[str, list[FacetBucket]] = Field(
        description="Counts over all matches: form, letter_type, year, office, topics, sic."
    )
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )
    query: QueryInfo
    partial: bool = Field(
        False,
        description="True when the answer is incomplete: stopped at the time limit, or some "
        "shards failed (partial_reason says which; never presented as complete).",
    )
    partial_reason: str | None = None


class ThreadRef(BaseModel):
    thread_id: str
    status: str | None = None
    rounds: int | None = None
    opened_on: str | None = None
    closed_on: str | None = None


class ReviewedFiling(BaseModel):
    """A filing named in the letter's Re: block, resolved to its EDGAR filing when possible."""

    form: str | None = None
    period_end: str | None = None
    filed_on: str | None = None
    filed_by: str | None = Field(
        None, description='Who filed it, when not the company ("PREC14A filed by …").'
    )
    accession: str | None = Field(
        None, description="The filing's accession (from the company's filing list), or null."
    )
    url: str | None = Field(None, description="The filing's index page on EDGAR, or null.")


class CitedDate(BaseModel):
    date: str
    kind: str = Field(description="staff_letter or response.")


class LetterComment(BaseModel):
    number: int
    heading: str | None = None
    text: str | None = None
    response: str | None = Field(None, description="In a response: the company's answer.")


class StaffMember(BaseModel):
    name: str
    title: str | None = None
    phone: str | None = None


class TopicMatch(BaseModel):
    topic: str
    comment: int | None = Field(None, description="The comment's number (null: whole letter).")
    evidence: list[str] = []


class LetterDetail(BaseModel):
    """Every field of the letter document, with its comments, text and thread."""

    accession: str
    form: str | None = None
    sender: str | None = None
    letter_type: str | None = None
    letter_date: str | None = None
    filing_date: str | None = None
    released_on: str | None = None
    first_seen_at: str | None = None
    year: int | None = None
    ciks: list[str] = []
    company: str | None = None
    sic: str | None = None
    state: str | None = None
    fiscal_year_end: str | None = None
    file_numbers: list[str] = []
    reviewed_filings: list[ReviewedFiling] = []
    reviewed_forms: list[str] = []
    cited_dates: list[CitedDate] = []
    cik_reference: str | None = None
    comment_count: int | None = None
    comments: list[LetterComment] = []
    staff: list[StaffMember] = []
    staff_names: list[str] = []
    office: str | None = None
    office_raw: str | None = None
    topics: list[str] = []
    topic_matches: list[TopicMatch] = []
    text: str | None = None
    text_source: str | None = None
    warnings: list[str] = []
    thread_id: str | None = None
    url: str | None = None
    source: dict[str, Any] = Field({}, description="Where the text came from on EDGAR.")
    thread: ThreadRef | None = Field(None, description="The review this letter belongs to.")


class ThreadSummary(BaseModel):
    thread_id: str
    company: str | None = None
    ciks: list[str] = []
    file_numbers: list[str] = []
    status: str | None = None
    opened_on: str | None = None
    closed_on: str | None = None
    days_open: int | None = None
    rounds: int | None = None
    letter_count: int | None = None
    comment_count: int | None = None
    reviewed_forms: list[str] = []
    topics: list[str] = []
    office: str | None = None
    outcomes: Outcomes = Field([], description="How the company answered, over its answers.")
    answer_count: int | None = Field(None, description="Answers in the company's letters.")
    amended: bool | None = Field(
        None,
        description="Whether the company amended the filing under review during the review "
        "(an amendment EDGAR lists, an answer saying so, or a staff letter reviewing one).",
    )
    amended_evidence: str | None = Field(None, description="What shows the amendment.")


class ThreadList(BaseModel):
    total: int
    hits: list[ThreadSummary]
    next_cursor: str | None


class ThreadLetter(BaseModel):
    accession: str
    date: str | None = None
    form: str | None = None
    letter_type: str | None = None
    role: str | None = Field(None, description="comment, follow_up, response, closing, …")
    link_rule: str | None = Field(
        None,
        description="The rule that put the letter in this thread: opened, citation, "
        "reviewed_filing, reference_accession, release_day, registration, "
        "draft_registration, cik_reference, closing_letter, file_number.",
    )
    linked_to: str | None = Field(None, description="The letter the link points to.")
    evidence: str | None = Field(None, description="The link in a sentence.")
    url: str | None = None


class CommentExchange(BaseModel):
    """A staff comment beside the company's answer to it."""

    comment_id: str
    accession: str
    number: int | None = None
    heading: str | None = None
    text: str | None = None
    response: str | None = None
    response_accession: str | None = None
    response_date: str | None = None
    topics: list[str] = []
    outcomes: Outcomes = []


class CommentRound(BaseModel):
    """One staff letter's comments, each with its answer."""

    accession: str
    letter_date: str | None = None
    url: str | None = None
    comments: list[CommentExchange]


class ThreadDetail(ThreadSummary):
    released_on: str | None = None
    reviewed_filings: list[ReviewedFiling] = []
    warnings: list[str] = Field(
        [], description="Letters the rules could say little about (no date, nothing named)."
    )
    letters: list[ThreadLetter] = Field(description="In date order.")
    comment_rounds: list[CommentRound] = Field(description="Staff letters in order.")


class YearCount(BaseModel):
    year: int
    count: int


class CompanyDetail(BaseModel):
    cik: str
    name: str | None = None
    ciks: list[str] = []
    sic: str | None = None
    state: str | None = None
    letter_count: int
    letters_per_year: list[YearCount]
    reviews: list[ThreadSummary] = Field(description="Newest first.")


class SimilarComments(BaseModel):
    comment: CommentHit = Field(description="The comment the others resemble.")
    hits: list[CommentHit] = Field(description="Most similar first; other companies only.")


class YearStats(BaseModel):
    year: int
    letters: int
    reviews: int = Field(description="Distinct reviews with a matching letter that year.")


class DaysToClose(BaseModel):
    closed_reviews: int
    mean: float | None = None
    median: float | None = None


class NoChangeShare(BaseModel):
    topic: str | None = None
    year: int | None = None
    answered: int = Field(description="Answered comments.")
    no_change: int = Field(description="Of them, answers that saw no change needed.")
    share: float | None = Field(description="no_change / answered.")


class AnswerStats(BaseModel):
    answered: int = Field(description="Staff comments of the matching letters with an answer.")
    outcomes: list[FacetBucket] = Field(description="Answered comments per outcome.")
    no_change_by_topic: list[NoChangeShare]
    no_change_by_year: list[NoChangeShare]


class StatsResponse(BaseModel):
    letters: int
    reviews: int
    years: list[YearStats]
    days_to_close: DaysToClose
    top_topics: list[FacetBucket]
    answers: AnswerStats = Field(description="How the companies answered the staff comments.")
    warnings: list[str] = []
    partial: bool = Field(False, description="True when a search behind it was incomplete.")
    partial_reason: str | None = None


class HealthResponse(BaseModel):
    ok: bool
    status: int
    error: str | None = None
    warnings: list[str] = Field(
        [], description="What works but needs attention (shard copies not allocated)."
    )
    elasticsearch: dict[str, Any] = Field(
        description="reachable, cluster status, nodes, unassigned shards."
    )
    indices: dict[str, dict[str, Any]] = Field(description="Per alias: present, documents.")
    crawl: dict[str, Any] | None = Field(None, description="Crawl cursors, when a ledger exists.")
