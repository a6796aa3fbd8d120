"""Keeping webhook secrets out of the Elasticsearch client's request traces.

The watchlists index stores each webhook secret (it is needed to sign deliveries), so the
bodies that ``elastic_transport`` traces at DEBUG level (``corresp -vv``) would show it.
``ensure_secret_redaction`` installs, once, a filter on that logger that replaces the value
of every ``"webhook_secret"`` JSON member with ``**********`` before the record is emitted.
"""

from __future__ import annotations

import logging
import re

__all__ = ["REDACTED", "SecretRedactor", "ensure_secret_redaction", "redact"]

REDACTED = "**********"
TRACE_LOGGER = "elastic_transport.node"
_MEMBER = re.compile(r'("webhook_secret"\s*:\s*)"(?:[^"\\]|\\.)*"')


def redact(text: str) -> str:
    """``text`` with every ``"webhook_secret": "…"`` value masked."""
    return _MEMBER.sub(rf'\1"{REDACTED}"', text)


class SecretRedactor(logging.Filter):
    """Masks webhook secrets in a record's message and string arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def ensure_secret_redaction() -> None:
    """Install the filter on the client's trace logger (idempotent)."""
    logger = logging.getLogger(TRACE_LOGGER)
    if not any(isinstance(existing, SecretRedactor) for existing in logger.filters):
        logger.addFilter(SecretRedactor())
