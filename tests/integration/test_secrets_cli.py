"""No secret reaches the CLI's output, its logs or the files it writes in the data directory.

The secrets: Elasticsearch credentials (a password inside ``elasticsearch.url``, the
``api_key``, the basic-auth ``password``), the API's write keys and a watchlist's webhook
secret. Every command that prints configuration, cluster state, errors or crawl results runs
with them set, at full verbosity (``-vv``, so the Elasticsearch client's debug log is on),
against a cluster URL where nothing listens and, for ``crawl``, a fake EDGAR on loopback.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from indexer.cli.main import cli

URL_PASSWORD = "s3cretpass-in-url"
ES_API_KEY = "es-api-key-SECRET-7f3a9c"
ES_PASSWORD = "es-basic-password-SECRET-41b2"
API_KEYS = ("api-write-key-SECRET-0123456789", "api-write-key-SECRET-abcdefghij")
WEBHOOK_SECRET = "webhook-SECRET-5e6d7c8b9a"
SECRETS = (URL_PASSWORD, ES_API_KEY, ES_PASSWORD, *API_KEYS, WEBHOOK_SECRET)


def _run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, ["-vv", *args], env=env)


def _leaks(text: str | bytes) -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    return [secret for secret in SECRETS if secret.encode() in data]


def test_mistyped_cluster_url_is_reported_without_its_password(tmp_path: Path) -> None:
    env = {
        "CORRESP__ELASTICSEARCH__URL": f"http://esuser:{URL_PASSWORD}@127.0.0.1:9 x",
        "CORRESP__STORAGE__DATA_DIR": str(tmp_path),
    }
    for command in (("config", "check"), ("config", "check", "--json"), ("es", "status")):
        result = _run(env, *command)
        assert result.exit_code == 2, result.output
        assert "elasticsearch.url" in result.output
        assert "http://**********@127.0.0.1:9 x" in result.output
        assert _leaks(result.output) == []


def test_api_key_and_password_together_are_a_config_error(tmp_path: Path) -> None:
    env = {
        "CORRESP__ELASTICSEARCH__URL": "http://127.0.0.1:9",
        "CORRESP__ELASTICSEARCH__API_KEY": ES_API_KEY,
        "CORRESP__ELASTICSEARCH__USERNAME": "esuser",
        "CORRESP__ELASTICSEARCH__PASSWORD": ES_PASSWORD,
        "CORRESP__STORAGE__DATA_DIR": str(tmp_path),
    }
    for command in (("config", "check"), ("es", "status"), ("search", "revenue")):
        result = _run(env, *command)
        assert result.exit_code == 2, result.output  # not a traceback from the client
        assert "set either api_key or username and password, not both" in result.output
        assert _leaks(result.output) == []
