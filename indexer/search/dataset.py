"""The walks of a dataset (``corresp dataset``): their bodies. Pure.

A dataset walks three indices, each by its unique key so that the same index gives the
same files:

- the letters matching a search (``build_dataset_letters_body``: the search string and
  filters of ``/search`` and ``corresp export``, ``indexer.search.body.search_query``), by
  accession;
- then the comments and threads linked to them (``build_dataset_linked_body``): every
  document of the index (no filter was given) or those whose link field holds one of a
  batch of keys (``terms`` on the comments' ``accession``, the threads' ``thread_id``), by
  comment id or thread id.

Each body asks only for the fields the dataset's columns read (``source``), never a
letter's text or its stored comments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from indexer.search.body import search_query
from indexer.search.kinds import LETTERS
from indexer.search.paging import SortKey, SortOrder
from indexer.search.params import LetterFilters
from indexer.search.scan import build_scan_body

__all__ = ["LINK_FIELDS", "build_dataset_letters_body", "build_dataset_linked_body"]


def _by(scope: str, key: str) -> SortOrder:
    return SortOrder(scope, key, (SortKey(key, descending=False, kind="string"),))


LINK_FIELDS: Mapping[str, str] = MappingProxyType({"comments": "accession", "threads": "thread_id"})
"""The field of each linked index that holds a key of the rows before it."""
_ORDERS = MappingProxyType(
    {
        "letters": _by("letters", "accession"),
        "comments": _by("comments", "comment_id"),
        "threads": _by("threads", "thread_id"),
    }
)


def build_dataset_letters_body(filters: LetterFilters, *, source: list[str]) -> dict[str, Any]:
    """A walk over the letters matching ``filters`` (search string included), by accession."""
    _, query = search_query(LETTERS, filters)
    return build_scan_body(query, _ORDERS["letters"], source=source)


def build_dataset_linked_body(
    kind: str, *, keys: Sequence[str] | None, source: list[str]
) -> dict[str, Any]:
    """A walk over the ``comments`` or ``threads`` linked to ``keys`` (accessions or thread
    ids), or over all of them (``keys`` is ``None``), by their own key."""
    query: dict[str, Any] = (
        {"match_all": {}} if keys is None else {"terms": {LINK_FIELDS[kind]: list(keys)}}
    )
    return build_scan_body(query, _ORDERS[kind], source=source)
