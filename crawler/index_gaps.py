"""Weekdays whose daily index was absent once the cursor passed them, watched for a while.

The daily-index cursor moves past a weekday whose index is still absent a few days later:
it is most likely a holiday, and waiting for it would stall every later day. But SEC does
publish a day's index late now and then, and the look-back window re-reads only the last few
days before the cursor, so such a day would never be read again. ``IndexGaps`` remembers
these days (in the ledger, as the cursor ``daily-index-gaps``: ISO dates, comma-separated),
discovery asks for each of them again on every pass, and a day leaves the list when its
index appears or ``LATE_INDEX_HORIZON_DAYS`` after it, when it is taken for a holiday and a
problem says so. Every change is written at once, before the cursor moves past the day.
"""

from __future__ import annotations

from datetime import date, timedelta

from crawler.state import CrawlState

__all__ = ["GAPS_CURSOR", "LATE_INDEX_HORIZON_DAYS", "IndexGaps"]

GAPS_CURSOR = "daily-index-gaps"
LATE_INDEX_HORIZON_DAYS = 30
"""A daily index absent this long after its day is taken for a holiday's (none exists)."""


class IndexGaps:
    """The watched days, loaded from and written back to the ledger."""

    def __init__(self, state: CrawlState, *, today: date) -> None:
        self._state = state
        self._oldest = today - timedelta(days=LATE_INDEX_HORIZON_DAYS)
        text = state.cursor(GAPS_CURSOR) or ""
        self._days = {date.fromisoformat(part) for part in text.split(",") if part}

    @property
    def days(self) -> frozenset[date]:
        """The days to ask for again."""
        return frozenset(self._days)

    def expire(self) -> list[date]:
        """Stop watching days past the horizon; return them (their index never appeared)."""
        expired = sorted(day for day in self._days if day < self._oldest)
        if expired:
            self._days.difference_update(expired)
            self._save()
        return expired

    def watch(self, day: date) -> None:
        """The index of ``day`` is absent, but it may yet be published."""
        if day >= self._oldest and day not in self._days:
            self._days.add(day)
            self._save()

    def close(self, day: date) -> None:
        """The index of ``day`` was read."""
        if day in self._days:
            self._days.discard(day)
            self._save()

    def _save(self) -> None:
        self._state.set_cursor(GAPS_CURSOR, ",".join(d.isoformat() for d in sorted(self._days)))
