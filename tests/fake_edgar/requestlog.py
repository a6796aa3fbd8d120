"""The record of every request the fake received, for assertions on crawler politeness."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .limits import Admission


@dataclass(frozen=True)
class RequestRecord:
    """One request: when it arrived, what it asked for, and what the fake decided."""

    monotonic: float
    """Arrival on the server's clock (`time.monotonic` unless injected)."""
    wall: float
    """Arrival as Unix time."""
    method: str
    path: str
    query: str
    host: str | None
    user_agent: str | None
    status: int | None
    """Status sent, None when a fault sent no response (drop, timeout)."""
    admission: Admission
    fault: str | None = None
    """Name of the injected fault applied to this request, if any."""

    @property
    def during_block(self) -> bool:
        """Arrived while a block was already active (the triggering request is not)."""
        return self.admission is Admission.BLOCKED


class RequestLog:
    """Append-only, thread-safe list of `RequestRecord`s; readers get snapshots."""

    def __init__(self) -> None:
        self._records: list[RequestRecord] = []
        self._lock = threading.Lock()

    def append(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    def snapshot(self) -> list[RequestRecord]:
        """A copy of the records so far, in arrival order of logging."""
        with self._lock:
            return list(self._records)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()
