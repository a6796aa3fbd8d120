"""Words shown for the index's codes: letter types, thread roles, statuses, topics, dates. Pure.

The index stores compact codes (``review_complete``, ``follow_up``, ``non_gaap_measures``,
``2022-05-26``); pages show them as people say them. Topic labels come from the topic
taxonomy (``indexer/normalize/topics.yaml`` or the configured one); a code without a label
is shown with its underscores as spaces.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Protocol

from indexer.errors import ConfigError
from indexer.normalize.outcomes import outcome_rules_for
from indexer.normalize.topics import taxonomy_for

__all__ = [
    "FORMS",
    "LETTER_TYPES",
    "ROLES",
    "STATUSES",
    "humanize",
    "letter_type_label",
    "long_date",
    "role_label",
    "status_label",
    "topic_labels",
]

logger = logging.getLogger(__name__)

LETTER_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "comment": "Staff comment letter",
        "review_complete": "Review complete",
        "no_review": "No review",
        "response": "Company response",
        "acceleration_request": "Acceleration request",
        "extension_request": "Extension request",
        "supplemental": "Supplemental material",
        "withdrawal_request": "Withdrawal request",
        "other": "Other letter",
    }
)
ROLES: Mapping[str, str] = MappingProxyType(
    {
        "comment": "Staff comments",
        "follow_up": "Follow-up comments",
        "closing": "Review complete",
        "no_review": "No review",
        "response": "Company response",
        "acceleration_request": "Acceleration request",
        "extension_request": "Extension request",
        "supplemental": "Supplemental material",
        "withdrawal_request": "Withdrawal request",
        "other": "Other letter",
    }
)
STATUSES: Mapping[str, str] = MappingProxyType(
    {
        "open": "Open",
        "closed": "Closed",
        "no_review": "No review",
        "response_only": "Responses only",
    }
)
FORMS: Mapping[str, str] = MappingProxyType(
    {"UPLOAD": "Staff letter", "CORRESP": "Company letter", "DRSLTR": "Draft response"}
)
_MONTHS = (
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)


def humanize(code: str | None) -> str:
    """``review_complete`` -> ``Review complete``."""
    if not code:
        return ""
    words = code.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def letter_type_label(code: str | None) -> str:
    return LETTER_TYPES.get(code or "", humanize(code))


def role_label(code: str | None) -> str:
    return ROLES.get(code or "", humanize(code))


def status_label(code: str | None) -> str:
    return STATUSES.get(code or "", humanize(code))


def long_date(value: str | date | None) -> str:
    """``2022-05-26`` -> ``May 26, 2022`` (AP style months); "" for nothing, as-is if odd."""
    if not value:
        return ""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


@lru_cache(maxsize=4)
def outcome_labels(outcomes_path: str = "") -> Mapping[str, str]:
    """Answer outcome id -> label, from the rules the normalizer uses (empty if they cannot
    load)."""
    return _labels("outcome", lambda: outcome_rules_for(outcomes_path).outcomes)


@lru_cache(maxsize=4)
def topic_labels(taxonomy_path: str = "") -> Mapping[str, str]:
    """Topic id -> label, from the taxonomy the normalizer uses (empty if it cannot load)."""
    return _labels("topic", lambda: taxonomy_for(taxonomy_path).topics)


class _Labelled(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...


def _labels(what: str, read: Callable[[], Iterable[_Labelled]]) -> Mapping[str, str]:
    try:
        entries = read()
    except ConfigError as exc:
        logger.warning("%s labels unavailable: %s", what, exc)
        return MappingProxyType({})
    return MappingProxyType({entry.id: entry.label for entry in entries})
