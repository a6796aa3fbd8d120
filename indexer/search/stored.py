"""What an ingest reads back of what is stored: the bodies of its walks. Pure.

An ingest rebuilds the reviews of the companies its letters name, so it reads every letter,
thread and comment filed under those CIKs (letters whole; threads and comments as ids, to
delete those the rebuild no longer makes), walked by their id with ``search_after``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from indexer.search.scan import build_walk_page

__all__ = ["build_stored_page"]


def build_stored_page(
    ciks: list[str], *, key: str, size: int, after: Sequence[Any] | None, source: bool
) -> dict[str, Any]:
    """One page of the documents filed under any of ``ciks``, by ``key``, after ``after``."""
    return build_walk_page(
        {"terms": {"ciks": ciks}}, key=key, size=size, after=after, source=source
    )
