"""The ``corresp`` command line: help, config check, and error reporting without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli.main import cli

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_help_lists_the_commands(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("config", "es"):
        assert f"  {command} " in result.output
    assert "CORRESP__SECTION__KEY" in result.output


def test_config_check_ok(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["config", "check", str(ROOT / "config.yaml")])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "ok"


def test_config_check_names_misspelled_key(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("edgar:\n  usr_agent: Jane jane@example.org\n")
    result = runner.invoke(cli, ["--config", str(path), "config", "check"])
    assert result.exit_code == 2
    assert "edgar.usr_agent: unknown key; did you mean 'user_agent'?" in result.stdout
    assert "Traceback" not in result.output


def test_config_check_rejects_rate_from_environment(runner: CliRunner) -> None:
    result = runner.invoke(
        cli,
        ["config", "check", "--json", str(ROOT / "config.yaml")],
        env={"CORRESP__EDGAR__MAX_REQUESTS_PER_SECOND": "50"},
    )
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert payload["errors"][0]["key"] == "edgar.max_requests_per_second"


def test_config_check_warns_about_missing_user_agent(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["config", "check", "--json", str(ROOT / "config.yaml")])
    payload = json.loads(result.stdout)
    assert payload["ok"] is True
    assert any("edgar.user_agent" in warning for warning in payload["warnings"])


def test_other_commands_report_bad_config_without_traceback(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("elasticsearch:\n  managed:\n    heap: lots\n")
    result = runner.invoke(cli, ["--config", str(path), "es", "status"])
    assert result.exit_code == 2
    assert "elasticsearch.managed.heap" in result.stderr
    assert "Traceback" not in result.output


def test_config_show_masks_secrets(runner: CliRunner) -> None:
    result = runner.invoke(
        cli,
        ["config", "show", "--json"],
        env={"CORRESP__ELASTICSEARCH__PASSWORD": "hunter2-secret"},
    )
    assert result.exit_code == 0, result.output
    assert "hunter2-secret" not in result.output
    assert json.loads(result.stdout)["elasticsearch"]["password"] == "**********"
