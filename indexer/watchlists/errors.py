"""Errors of watchlist management.

::

    IndexerError                          indexer/errors.py
      WatchlistError                      base of the errors below
        WatchlistNotFoundError(id)        no watchlist with that id
        WatchlistConflictError(id, why)   the id is taken, or the watchlist is read-only
                                          (defined in config.yaml)
      SecretKeyError(message)             the key encrypting webhook secrets is missing,
                                          malformed or does not open a stored secret

The API answers them as 404 and 409; Elasticsearch problems stay ``SearchBackendError``.
"""

from __future__ import annotations

from indexer.errors import IndexerError

__all__ = [
    "SecretKeyError",
    "WatchlistConflictError",
    "WatchlistError",
    "WatchlistNotFoundError",
]


class WatchlistError(IndexerError):
    """Base of watchlist management errors; ``watchlist_id`` names the watchlist."""

    def __init__(self, watchlist_id: str, message: str) -> None:
        self.watchlist_id = watchlist_id
        super().__init__(message)


class WatchlistNotFoundError(WatchlistError):
    """There is no watchlist with this id."""

    def __init__(self, watchlist_id: str) -> None:
        super().__init__(watchlist_id, f"no watchlist {watchlist_id!r}")


class WatchlistConflictError(WatchlistError):
    """The id is already taken, or the watchlist cannot be changed this way."""


class SecretKeyError(IndexerError):
    """The key of ``secrets.py`` is missing, malformed, or does not open a stored secret."""
