"""Errors of the core package and of every entry point's configuration.

::

    CorrespError                     base of every error the ``corresp`` command reports
    ConfigError                      a config file or environment variable is invalid
    IndexerError
      SearchBackendError             Elasticsearch unreachable, timing out or refusing
      NodeError                      the managed local Elasticsearch cannot be obtained or run
      IndexingError                  bulk writes failed for some documents
      SchemaError                    templates or aliases are in an inconsistent state
      DatasetError                   a dataset's files could not be written

Third-party exceptions are translated into these at their seam (``indexer/es_client.py`` for
Elasticsearch); code above a seam never catches a library's exception type.

A message never shows credentials: user information in any URL it quotes (a cluster URL
``http://user:password@host``, a mistyped one in a configuration error) is masked here, once
for every error, so neither the terminal, a log nor the crawl ledger receives it.
"""

from __future__ import annotations

import re

REDACTED = "**********"
# Up to the last "@" before a space: a password may itself hold "@" or "/" (unencoded); an
# "@" later in the same URL masks more than needed, which is the safe side.
_URL_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)\S+@")


def redact_credentials(text: str) -> str:
    """``text`` with the ``user:password@`` part of every URL in it masked."""
    return _URL_USERINFO.sub(lambda match: f"{match['scheme']}{REDACTED}@", text)


class CorrespError(Exception):
    """Base of every error the command line reports as a message (never a traceback)."""

    exit_code = 1

    def __init__(self, *args: object) -> None:
        super().__init__(*(redact_credentials(a) if isinstance(a, str) else a for a in args))


class ConfigError(CorrespError):
    """The configuration is invalid; ``problems`` lists ``(key, message)`` pairs."""

    exit_code = 2

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        self.source = redact_credentials(source)
        self.problems = [(key, redact_credentials(message)) for key, message in problems]
        lines = "; ".join(f"{key}: {message}" for key, message in self.problems)
        super().__init__(f"{self.source}: {lines}")


class IndexerError(CorrespError):
    """Base class of the core package's runtime errors."""


class SearchBackendError(IndexerError):
    """Elasticsearch could not be reached or answered with an error."""


class QueryLimitError(SearchBackendError):
    """A request asked for more than the cluster allows (too many buckets or clauses, an
    expired point in time); the message says what to narrow. Not an unavailable cluster."""


class NodeError(IndexerError):
    """The managed local Elasticsearch node could not be obtained, started or stopped."""


class IndexingError(IndexerError):
    """Some documents of a bulk write were rejected; ``failed`` holds ``(id, reason)``."""

    def __init__(self, failed: list[tuple[str, str]]) -> None:
        self.failed = failed
        super().__init__(f"{len(failed)} document(s) failed to index; first: {failed[:1]}")


class SchemaError(IndexerError):
    """Index templates or aliases are not in the state this version expects."""


class DatasetError(IndexerError):
    """The files of a dataset (``corresp dataset``) could not be written."""
