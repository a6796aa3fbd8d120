"""The search page's state in its URL, and the links that change it. Pure.

Every state of the search page is a plain GET URL: the search string, the filters (the
parameters of ``GET /search``), ``mode`` (``letters`` or ``comments``), ``sort``, the page's
``cursor`` and ``prev``, the cursors of the pages before it (oldest first, ``""`` for the
first page), which make "previous page" a plain link too.

``SearchState.from_query`` reads a request's query string: unknown parameters are ignored
(bookmarks and shared links keep working), values are validated and normalized by the API's
own parameter models, so every link built here is canonical (``cik=0000320193``,
``file_number=001-07933``). A malformed value raises ``pydantic.ValidationError``, which the
page shows next to the form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal
from urllib.parse import urlencode

from indexer.search.params import CommentSearchParams, LetterFilters, LetterSearchParams

__all__ = [
    "FILTER_NAMES",
    "MAX_BACK_PAGES",
    "Mode",
    "SearchState",
    "build_url",
    "to_pairs",
]

Mode = Literal["letters", "comments"]
Pair = tuple[str, str]

MAX_BACK_PAGES = 30
"""Previous pages remembered in the URL; older ones are reached from the first page."""

FILTER_NAMES: tuple[str, ...] = tuple(name for name in LetterFilters.model_fields if name != "q")
_COMMENT_ONLY = ("has_response", "outcome")


def build_url(path: str, pairs: Iterable[Pair]) -> str:
    """``path`` with ``pairs`` as its query string (no ``?`` when there are none)."""
    query = urlencode(list(pairs))
    return f"{path}?{query}" if query else path


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_pairs(params: Any, names: Iterable[str]) -> list[Pair]:
    """The given fields of a parameter model as query pairs, in order, empty ones left out."""
    pairs: list[Pair] = []
    for name in names:
        value = getattr(params, name, None)
        values = value if isinstance(value, list) else [value]
        pairs.extend((name, _text(item)) for item in values if item not in (None, ""))
    return pairs


def _read(
    query: Mapping[str, Sequence[str]], model: type[LetterSearchParams | CommentSearchParams]
) -> dict[str, Any]:
    """The known parameters of ``model`` in ``query`` (lists for list fields)."""
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        given = [value for value in query.get(name, ()) if value.strip()]
        if not given:
            continue
        is_list = getattr(info.annotation, "__origin__", None) is list
        values[name] = given if is_list else given[0]
    return values


@dataclass(frozen=True)
class SearchState:
    """What the search page shows: mode, validated parameters and the pages before."""

    mode: Mode
    params: LetterSearchParams | CommentSearchParams
    prev: tuple[str, ...] = field(default=())
    path: str = "/"
    """The page the links lead to: the search page, or the statistics page."""

    @classmethod
    def from_query(cls, query: Mapping[str, Sequence[str]], *, path: str = "/") -> SearchState:
        """The state of a query string given as ``{name: [values]}``.

        Raises ``pydantic.ValidationError`` for a malformed filter, sort, size or date.
        """
        mode: Mode = "comments" if (query.get("mode") or [""])[0] == "comments" else "letters"
        model = CommentSearchParams if mode == "comments" else LetterSearchParams
        params = model.model_validate(_read(query, model))
        prev = tuple(query.get("prev", ()))[-MAX_BACK_PAGES:]
        return cls(mode, params, prev if params.cursor else (), path)

    # -- the state as pairs -------------------------------------------------------------

    @property
    def filter_pairs(self) -> list[Pair]:
        """The search string and the filters (what selects the matches)."""
        names = ["q", *FILTER_NAMES]
        if self.mode == "comments":
            names.extend(_COMMENT_ONLY)
        return to_pairs(self.params, names)

    @property
    def view_pairs(self) -> list[Pair]:
        """How the matches are shown: mode, sort and page size (not the page)."""
        pairs = [("mode", "comments")] if self.mode == "comments" else []
        return pairs + to_pairs(self.params, ("sort", "size"))

    @property
    def pairs(self) -> list[Pair]:
        """The whole state, this page included."""
        paging = to_pairs(self.params, ("cursor",)) + [("prev", c) for c in self.prev]
        return self.filter_pairs + self.view_pairs + paging

    def url(self, pairs: Iterable[Pair] | None = None) -> str:
        return build_url(self.path, self.pairs if pairs is None else pairs)

    # -- links that change it (always back to the first page) ----------------------------

    def has(self, name: str, value: str) -> bool:
        return (name, value) in self.filter_pairs

    def adding(self, name: str, value: str) -> str:
        """This search narrowed by one more filter value (or the same, if already there)."""
        pairs = [pair for pair in self.filter_pairs if pair != (name, value)]
        return self.url([*pairs, (name, value), *self.view_pairs])

    def removing(self, name: str, value: str | None = None) -> str:
        """This search without the filter value (or without any value of ``name``)."""
        pairs = [
            (key, old)
            for key, old in self.filter_pairs
            if not (key == name and (value is None or old == value))
        ]
        return self.url([*pairs, *self.view_pairs])

    def adding_term(self, term: str) -> str:
        """This search with one more term in the search string (which every match must have)."""
        q = f"{self.params.q.strip()} {term}".strip()
        pairs = [("q", q), *(pair for pair in self.filter_pairs if pair[0] != "q")]
        return self.url([*pairs, *self.view_pairs])

    def without(self, *names: str) -> str:
        """This search without any value of the named filters."""
        pairs = [pair for pair in self.filter_pairs if pair[0] not in names]
        return self.url([*pairs, *self.view_pairs])

    def replacing(self, values: Mapping[str, str]) -> str:
        """This search with each named filter set to one value (e.g. a year's date range)."""
        pairs = [pair for pair in self.filter_pairs if pair[0] not in values]
        return self.url([*pairs, *values.items(), *self.view_pairs])

    def in_mode(self, mode: Mode) -> str:
        """The same search over letters or over comments."""
        pairs = [
            pair for pair in self.filter_pairs if mode == "comments" or pair[0] not in _COMMENT_ONLY
        ]
        view = [pair for pair in self.view_pairs if pair[0] != "mode"]
        return self.url([*pairs, *([("mode", mode)] if mode == "comments" else []), *view])

    def sorted_by(self, sort: str) -> str:
        view = [pair for pair in self.view_pairs if pair[0] != "sort"]
        return self.url([*self.filter_pairs, *view, ("sort", sort)])

    def cleared(self) -> str:
        """The search string alone, every filter removed."""
        return self.url([*to_pairs(self.params, ("q",)), *self.view_pairs])

    # -- paging -------------------------------------------------------------------------

    @property
    def page_number(self) -> int:
        return len(self.prev) + 1 if self.params.cursor else 1

    def next_page(self, cursor: str) -> str:
        prev = [*self.prev, self.params.cursor or ""][-MAX_BACK_PAGES:]
        paging = [("cursor", cursor), *(("prev", c) for c in prev)]
        return self.url([*self.filter_pairs, *self.view_pairs, *paging])

    def previous_page(self) -> str | None:
        """The page before this one, ``None`` on the first page."""
        if not self.params.cursor:
            return None
        if not self.prev or not self.prev[-1]:
            return self.first_page()
        paging = [("cursor", self.prev[-1]), *(("prev", c) for c in self.prev[:-1])]
        return self.url([*self.filter_pairs, *self.view_pairs, *paging])

    def first_page(self) -> str:
        return self.url([*self.filter_pairs, *self.view_pairs])

    # -- the same matches elsewhere -----------------------------------------------------

    def export_url(self) -> str:
        """``/export`` (CSV) of every match, in this order."""
        kind = [("kind", "comments")] if self.mode == "comments" else []
        return build_url("/export", [*self.filter_pairs, *kind, *to_pairs(self.params, ["sort"])])

    def statistics_url(self) -> str:
        """``/statistics`` of the same letters (the letter filters only)."""
        return build_url(
            "/statistics", [pair for pair in self.filter_pairs if pair[0] not in _COMMENT_ONLY]
        )

    def values(self, name: str) -> list[str]:
        """The current values of one filter, as shown in the form."""
        return [value for key, value in self.filter_pairs if key == name]
