"""Names of everything this project creates in Elasticsearch, from the configured prefix.

Searches and writes go through aliases (``{prefix}letters``, ``{prefix}comments``,
``{prefix}threads``); each alias points at one concrete index
``{prefix}{kind}-v{SCHEMA_VERSION}-{YYYYmmddHHMMSS}`` created from the versioned index
template ``{prefix}{kind}-v{SCHEMA_VERSION}``. A reindex builds new concrete indices and
swaps all aliases in one atomic step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = ["KINDS", "IndexNames", "Targets"]

KINDS = ("letters", "comments", "threads")


@dataclass(frozen=True, slots=True)
class Targets:
    """Where to read and write each kind of document (aliases, or a reindex's new indices)."""

    letters: str
    comments: str
    threads: str

    def of(self, kind: str) -> str:
        return str(getattr(self, kind))


@dataclass(frozen=True, slots=True)
class IndexNames:
    prefix: str
    schema_version: int

    @property
    def aliases(self) -> Targets:
        return Targets(*(f"{self.prefix}{kind}" for kind in KINDS))

    def template(self, kind: str) -> str:
        return f"{self.prefix}{kind}-v{self.schema_version}"

    def pattern(self, kind: str) -> str:
        """Index pattern of the current schema's template."""
        return f"{self.template(kind)}-*"

    def new_indices(self, now: datetime | None = None) -> Targets:
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S%f")[:17]
        return Targets(*(f"{self.template(kind)}-{stamp}" for kind in KINDS))
