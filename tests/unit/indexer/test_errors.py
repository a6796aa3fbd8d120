"""Error messages never carry the credentials of a URL they quote (indexer/errors.py)."""

from __future__ import annotations

import pytest

from crawler.errors import DownloadError
from indexer.errors import ConfigError, SearchBackendError, redact_credentials


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("http://user:pw@host:9200/x", "http://**********@host:9200/x"),
        ("HTTPS://USER@HOST", "HTTPS://**********@HOST"),
        ("'http://u:p@ss/wo@rd@h:9 x' is not", "'http://**********@h:9 x' is not"),
        ("a http://u:p@h and ftp://a:b@c/d", "a http://**********@h and ftp://**********@c/d"),
        ("https://www.sec.gov/Archives/x.txt: 403", "https://www.sec.gov/Archives/x.txt: 403"),
        ("write to ops@example.org", "write to ops@example.org"),
    ],
)
def test_redact_credentials(text: str, shown: str) -> None:
    assert redact_credentials(text) == shown


def test_every_error_message_is_redacted() -> None:
    config = ConfigError("http://a:secret1@h", [("elasticsearch.url", "'http://u:secret2@h x'")])
    assert "secret" not in str(config)
    assert "secret" not in config.source
    assert config.problems == [("elasticsearch.url", "'http://**********@h x'")]
    backend = SearchBackendError("cannot reach http://u:secret3@h:9200")
    assert str(backend) == "cannot reach http://**********@h:9200"
    download = DownloadError("https://u:secret4@mirror.example/x.txt", "HTTP 500")
    assert "secret" not in str(download)
