"""Webhook secrets are masked in the Elasticsearch client's DEBUG traces."""

from __future__ import annotations

import logging

import pytest

from indexer.watchlists.redaction import REDACTED, TRACE_LOGGER, ensure_secret_redaction, redact


def test_redact_masks_every_secret_member() -> None:
    text = '{"webhook_secret":"abc\\"def","name":"x"}\n{"webhook_secret" : "second"}'
    masked = redact(text)
    assert "abc" not in masked
    assert "second" not in masked
    assert masked.count(REDACTED) == 2
    assert '"name":"x"' in masked


def test_trace_records_are_redacted_once_installed(caplog: pytest.LogCaptureFixture) -> None:
    ensure_secret_redaction()
    ensure_secret_redaction()
    logger = logging.getLogger(TRACE_LOGGER)
    assert len([f for f in logger.filters if type(f).__name__ == "SecretRedactor"]) == 1
    with caplog.at_level(logging.DEBUG, logger=TRACE_LOGGER):
        logger.debug("> %s", '{"id":"w","webhook_secret":"very-secret-value-123"}')
    assert "very-secret-value-123" not in caplog.text
    assert REDACTED in caplog.text
