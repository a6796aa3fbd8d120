"""No secret reaches the CLI's output, its logs or the files it writes in the data directory.

The secrets: Elasticsearch credentials (a password inside ``elasticsearch.url``, the
``api_key``, the basic-auth ``password``), the API's write keys and a watchlist's webhook
secret. Every command that prints configuration, cluster state, errors or crawl results runs
with them set, at full verbosity (``-vv``, so the Elasticsearch client's debug log is on),
against a cluster URL where nothing listens and, for ``crawl``, a fake EDGAR on loopback.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from indexer.cli.main import cli
from tests.fake_edgar import FakeEdgar, FakeEdgarConfig
from tests.integration.crawler.conftest import crawler_env

pytestmark = pytest.mark.samples

URL_PASSWORD = "s3cretpass-in-url"
ES_API_KEY = "es-api-key-SECRET-7f3a9c"
ES_PASSWORD = "es-basic-password-SECRET-41b2"
API_KEYS = ("api-write-key-SECRET-0123456789", "api-write-key-SECRET-abcdefghij")
WEBHOOK_SECRET = "webhook-SECRET-5e6d7c8b9a"
SECRETS = (URL_PASSWORD, ES_API_KEY, ES_PASSWORD, *API_KEYS, WEBHOOK_SECRET)
DAY = date(2023, 1, 9)


@pytest.fixture
def edgar(samples_dir: Path) -> Iterator[FakeEdgar]:
    with FakeEdgar(samples_dir, FakeEdgarConfig()) as server:
        server.synthetic_filings(2, DAY, DAY)
        yield server


def _config_file(folder: Path) -> Path:
    path = folder / "config.yaml"
    path.write_text(
        "watchlists:\n"
        "  - id: secret-test\n"
        "    name: Secret test\n"
        "    ciks: ['320193']\n"
        "    webhook_url: http://127.0.0.1:9/hook\n"
        f"    webhook_secret: {WEBHOOK_SECRET}\n",
        encoding="utf-8",
    )
    return path


def _environments(edgar: FakeEdgar, folder: Path) -> dict[str, dict[str, str]]:
    """Two ways of giving Elasticsearch credentials (the client takes one at a time), each
    with its own data directory under ``folder``."""
    config = _config_file(folder)
    credentials = {
        "password in url, api key": {
            "CORRESP__ELASTICSEARCH__URL": f"http://esuser:{URL_PASSWORD}@127.0.0.1:9",
            "CORRESP__ELASTICSEARCH__API_KEY": ES_API_KEY,
        },
        "user and password": {
            "CORRESP__ELASTICSEARCH__URL": "http://127.0.0.1:9",
            "CORRESP__ELASTICSEARCH__USERNAME": "esuser",
            "CORRESP__ELASTICSEARCH__PASSWORD": ES_PASSWORD,
        },
    }
    return {
        label: crawler_env(edgar, folder / f"data-{number}")
        | {"CORRESP_CONFIG": str(config), "CORRESP__API__KEYS": ",".join(API_KEYS)}
        | values
        for number, (label, values) in enumerate(credentials.items())
    }


COMMANDS = (
    ("config", "check"),
    ("config", "check", "--json"),
    ("config", "show"),
    ("config", "show", "--json"),
    ("es", "status"),
    ("es", "status", "--json"),
    ("es", "up"),
    ("crawl", "--since", DAY.isoformat(), "--until", DAY.isoformat()),
    ("crawl", "--since", DAY.isoformat(), "--until", DAY.isoformat(), "--json"),
    ("index",),
    ("status",),
    ("status", "--json"),
    ("search", "revenue"),
)


def _run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, ["-vv", *args], env=env)


def _leaks(text: str | bytes) -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    return [secret for secret in SECRETS if secret.encode() in data]


def test_no_secret_in_output_logs_or_data_files(edgar: FakeEdgar, tmp_path: Path) -> None:
    outputs: dict[str, Result] = {}
    for label, env in _environments(edgar, tmp_path).items():
        for command in COMMANDS:
            result = _run(env, *command)
            key = f"{label}: corresp {' '.join(command)}"
            outputs[key] = result
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                key,
                result.exception,
            )
            assert "Traceback" not in result.output, key
            assert _leaks(result.stdout) == [], (key, result.stdout)
            assert _leaks(result.stderr) == [], (key, result.stderr)

    # The commands did what they are for (so the checks above saw real output).
    shown = outputs["password in url, api key: corresp config show"].stdout
    assert "url: http://**********@127.0.0.1:9" in shown
    assert "api_key: '**********'" in shown
    assert "webhook_secret: '**********'" in shown
    status = outputs["password in url, api key: corresp es status"]
    assert status.exit_code == 1
    assert "no Elasticsearch node is reachable at http://**********@127.0.0.1:9" in status.stderr
    for label in ("password in url, api key", "user and password"):
        crawled = outputs[f"{label}: corresp crawl --since {DAY} --until {DAY}"]
        assert crawled.exit_code == 0, crawled.output
        assert "2 fetched" in crawled.stdout
        assert "indexing postponed" in crawled.stderr
        assert '"fetched": 2' in outputs[f"{label}: corresp status --json"].stdout

    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert len([path for path in files if path.name == "crawl-state.sqlite3"]) == 2
    for path in files:
        if path.name != "config.yaml":  # the webhook secret's own file
            assert _leaks(path.read_bytes()) == [], path


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
