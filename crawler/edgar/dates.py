"""How EDGAR writes dates, and the US Eastern clock its timestamps follow.

Index files, SGML headers and JSON write calendar days as ``YYYYMMDD`` or ``YYYY-MM-DD``;
acceptance times are US Eastern wall-clock time (``edgar.md`` §3.3, §3.4).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

__all__ = ["EASTERN", "eastern_date", "to_date"]

EASTERN = ZoneInfo("America/New_York")

_EDGAR_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")


def to_date(text: str) -> date | None:
    """``YYYYMMDD`` or ``YYYY-MM-DD`` (surrounding spaces allowed) as a date, else None."""
    match = _EDGAR_DATE.match(text.strip())
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def eastern_date(moment: datetime) -> date:
    """The US Eastern calendar day of ``moment``; a naive ``moment`` is taken as Eastern."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(EASTERN).date()
