"""Submissions parsed at download, kept for the hand-off so that each is parsed once.

A crawl pass parses every submission it downloads (to refuse a truncated one or one of another
filing), and its hand-off then makes letters of the same filings. ``ParsedSubmissions`` keeps
the parsed form between the two, bounded by the size of the original bytes it holds (the
oldest is dropped first). The hand-off takes each one out as it uses it; a filing that is not
held (dropped, or stored by another process) is read back from the raw store and parsed there.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from crawler.edgar.sgml import Submission

__all__ = ["DEFAULT_MAX_BYTES", "ParsedSubmissions"]

DEFAULT_MAX_BYTES = 64 * 2**20


class ParsedSubmissions:
    """Parsed submissions by accession, at most ``max_bytes`` of original bytes in all."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._held: OrderedDict[str, tuple[Submission, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def put(self, accession: str, submission: Submission, size: int) -> None:
        """Keep ``submission`` (``size``: its original bytes) until taken or crowded out."""
        if size > self.max_bytes:
            return
        with self._lock:
            self._drop(accession)
            self._held[accession] = (submission, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._held)))

    def take(self, accession: str) -> Submission | None:
        """The parsed submission of ``accession``, removed from the cache; None if not held."""
        with self._lock:
            entry = self._held.get(accession)
            self._drop(accession)
        return None if entry is None else entry[0]

    def __len__(self) -> int:
        return len(self._held)

    @property
    def held_bytes(self) -> int:
        return self._bytes

    def _drop(self, accession: str) -> None:
        entry = self._held.pop(accession, None)
        if entry is not None:
            self._bytes -= entry[1]
