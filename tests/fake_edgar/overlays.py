"""Content a test puts over the samples and synthetic filings, path by path.

An overlay answers one exact path with a file (`put`), as missing (`remove`), or with a
different version on each request (`put_versions`: the first request gets the first
version, the next the second, and the last version stays once reached), as when SEC
rebuilds an index between two reads or publishes a day's index late. `restore` lifts the
overlay of a path, so what lies beneath shows again. Versions share one `Last-Modified`
(rebuilt within the same second) and differ in their `ETag`, so only a client that sends
`If-None-Match` is sure to see a new version.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from .messages import Reply, file_reply


@dataclass
class _Versions:
    """Successive replies of one path; `served` counts the requests answered so far."""

    replies: Sequence[Reply | None]
    served: int = 0

    def next(self) -> Reply | None:
        reply = self.replies[min(self.served, len(self.replies) - 1)]
        self.served += 1
        return reply


class Overlays:
    """Thread-safe table of path overlays."""

    def __init__(self) -> None:
        self._paths: dict[str, _Versions] = {}
        self._lock = threading.Lock()

    def put(self, path: str, reply: Reply | None) -> None:
        """Answer `path` with `reply` (None: as missing) from now on."""
        self.put_versions(path, [reply])

    def put_versions(self, path: str, replies: Sequence[Reply | None]) -> None:
        """Answer the n-th request for `path` with `replies[n]` (the last one from then on)."""
        if not replies:
            raise ValueError(f"no versions given for {path}")
        with self._lock:
            self._paths[path] = _Versions(list(replies))

    def restore(self, path: str) -> None:
        """Lift the overlay of `path` (no effect if there is none)."""
        with self._lock:
            self._paths.pop(path, None)

    def resolve(self, path: str) -> tuple[bool, Reply | None]:
        """(True, reply or None for missing) when `path` has an overlay, else (False, None)."""
        with self._lock:
            versions = self._paths.get(path)
            if versions is None:
                return False, None
            return True, versions.next()

    def clear(self) -> None:
        with self._lock:
            self._paths.clear()


def file_versions(path: str, bodies: Sequence[bytes | None]) -> list[Reply | None]:
    """Replies for successive versions of a file (None: missing), one Last-Modified for all."""
    modified = datetime.now(UTC)
    return [None if body is None else file_reply(body, path, modified) for body in bodies]
