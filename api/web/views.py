"""API answers -> what the pages show: timelines, rounds, review rows, facets, chips. Pure.

Each function takes the plain data the JSON API answers (``/threads/{id}``,
``/companies/{cik}``, ``/search``) and returns small, template-ready structures, so the
templates only lay things out.

A facet link narrows the search to the matches its count describes: it adds the filter
value (a year becomes that year's letter-date range); an active value's link removes it.
Values of one filter are OR-ed by the API, so for topics (a letter has several) a second
topic is added as ``topic:x`` to the search string instead, which every match must have.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from api.web.labels import humanize, letter_type_label, long_date, role_label
from api.web.links import SearchState

__all__ = [
    "PARAMETER_LABELS",
    "Chip",
    "Facet",
    "FacetLink",
    "Step",
    "build_chips",
    "build_facets",
    "build_rounds",
    "build_timeline",
    "days_between",
    "fill_years",
    "split_excerpt",
]

_STAFF_FORMS = ("UPLOAD",)
_FACET_PARAMS = {
    "form": "form",
    "letter_type": "letter_type",
    "year": "year",
    "office": "office",
    "topics": "topic",
    "outcomes": "outcome",
    "sic": "sic",
}
_FACET_TITLES = {
    "form": "Form",
    "letter_type": "Letter type",
    "year": "Year",
    "office": "Office",
    "topics": "Topic",
    "outcomes": "How they answered",
    "sic": "Industry (SIC)",
}
PARAMETER_LABELS = {
    "form": "Form",
    "letter_type": "Type",
    "cik": "CIK",
    "company": "Company",
    "file_number": "File",
    "sic": "SIC",
    "state": "State",
    "office": "Office",
    "staff": "Staff",
    "topic": "Topic",
    "date_from": "Dated from",
    "date_to": "Dated to",
    "released_from": "Released from",
    "released_to": "Released to",
    "has_response": "Answered",
    "outcome": "Answer",
    "q": "Search",
    "sort": "Sort",
    "size": "Page size",
    "cursor": "Page",
}


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def days_between(start: str | None, end: str | None) -> int | None:
    """Whole days from ``start`` to ``end`` (ISO dates); ``None`` if either is unknown."""
    first, last = _day(start), _day(end)
    return (last - first).days if first and last else None


@dataclass(frozen=True, slots=True)
class Step:
    """One letter of a review, with the days since the letter before it."""

    accession: str
    date: str | None
    form: str | None
    role: str | None
    label: str
    side: str
    """``staff`` or ``company``."""
    days_since_previous: int | None
    url: str | None
    evidence: str | None = None
    """Why the letter is in this review ("cites the staff letter of …")."""


def build_timeline(letters: Iterable[Mapping[str, Any]]) -> list[Step]:
    """A review's letters in order, each labelled, with the days between steps."""
    steps: list[Step] = []
    previous: str | None = None
    for index, letter in enumerate(letters):
        day = letter.get("date")
        steps.append(
            Step(
                accession=letter["accession"],
                date=day,
                form=letter.get("form"),
                role=letter.get("role"),
                label=role_label(letter.get("role"))
                if letter.get("role")
                else letter_type_label(letter.get("letter_type")),
                side="staff" if letter.get("form") in _STAFF_FORMS else "company",
                days_since_previous=days_between(previous, day) if index else None,
                url=letter.get("url"),
                evidence=letter.get("evidence") or None,
            )
        )
        previous = day or previous
    return steps


def build_rounds(thread: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The thread's staff letters in order, numbered, each comment with its answer."""
    rounds = []
    for number, staff_round in enumerate(thread.get("comment_rounds") or (), start=1):
        comments = list(staff_round.get("comments") or ())
        answered = [c.get("response_date") for c in comments if c.get("response")]
        rounds.append(
            {
                **staff_round,
                "number": number,
                "answered_on": min(answered) if answered else None,
                "days_to_answer": days_between(
                    staff_round.get("letter_date"), min(answered) if answered else None
                ),
                "comments": comments,
            }
        )
    return rounds


def fill_years(counts: Iterable[Mapping[str, Any]], *, key: str = "count") -> list[tuple[str, int]]:
    """``[{year, count}]`` as ``(year, count)`` for every year from the first to the last."""
    by_year = {int(item["year"]): int(item[key]) for item in counts}
    if not by_year:
        return []
    return [(str(year), by_year.get(year, 0)) for year in range(min(by_year), max(by_year) + 1)]


def split_excerpt(text: str | None, limit: int) -> tuple[str, str]:
    """``text`` cut after about ``limit`` characters, at a word: (shown, the rest)."""
    if not text or len(text) <= limit:
        return text or "", ""
    cut = text.rfind(" ", 0, limit)
    cut = cut if cut > limit // 2 else limit
    return text[:cut].rstrip(), text[cut:].lstrip()


@dataclass(frozen=True, slots=True)
class FacetLink:
    label: str
    count: int
    href: str
    active: bool


@dataclass(frozen=True, slots=True)
class Facet:
    name: str
    title: str
    links: tuple[FacetLink, ...]


def _facet_link(state: SearchState, name: str, value: str, count: int, label: str) -> FacetLink:
    if name == "year":
        bounds = {"date_from": f"{value}-01-01", "date_to": f"{value}-12-31"}
        active = all(state.has(key, day) for key, day in bounds.items())
        href = state.without(*bounds) if active else state.replacing(bounds)
        return FacetLink(label, count, href, active)
    param = _FACET_PARAMS[name]
    active = state.has(param, value)
    if active:
        href = state.removing(param, value)
    elif name == "topics" and state.values(param):
        # A letter has several topics and a filter's values are OR-ed: a second topic
        # narrows only as a term of the search string (topic:x), which every match must have.
        href = state.adding_term(f"topic:{value}")
    else:
        href = state.adding(param, value)
    return FacetLink(label, count, href, active)


def build_facets(
    state: SearchState,
    facets: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    topic_label: Callable[[str], str],
    outcome_label: Callable[[str], str] = humanize,
) -> list[Facet]:
    """Facet counts as links that narrow the search (or widen it again, when active)."""
    result = []
    for name in _FACET_PARAMS:
        buckets = facets.get(name) or ()
        links = []
        for bucket in buckets:
            value, count = str(bucket["value"]), int(bucket["count"])
            label = value
            if name == "letter_type":
                label = letter_type_label(value)
            elif name == "topics":
                label = topic_label(value)
            elif name == "outcomes":
                label = outcome_label(value)
            links.append(_facet_link(state, name, value, count, label))
        if links:
            result.append(Facet(name, _FACET_TITLES[name], tuple(links)))
    return result


@dataclass(frozen=True, slots=True)
class Chip:
    """An active filter, shown with a link that removes it."""

    name: str
    label: str
    value: str
    remove: str


def build_chips(
    state: SearchState,
    *,
    topic_label: Callable[[str], str],
    outcome_label: Callable[[str], str] = humanize,
    include_q: bool = False,
) -> list[Chip]:
    """The active filters (and the search string, if asked), each with its removal link."""
    chips = []
    for name, value in state.filter_pairs:
        if name == "q" and not include_q:
            continue
        shown = value
        if name == "letter_type":
            shown = letter_type_label(value)
        elif name == "topic":
            shown = topic_label(value)
        elif name == "outcome":
            shown = outcome_label(value)
        elif name in ("date_from", "date_to", "released_from", "released_to"):
            shown = long_date(value)
        elif name == "has_response":
            shown = "yes" if value == "true" else "no"
        elif name == "cik":
            shown = value.lstrip("0") or value
        label = PARAMETER_LABELS.get(name, humanize(name))
        chips.append(Chip(name, label, shown, state.removing(name, value)))
    return chips
