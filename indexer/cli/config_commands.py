"""``corresp config check|show``: validate a configuration and show the effective values."""

from __future__ import annotations

from importlib.metadata import entry_points

import click
import yaml
from rich.markup import escape

from indexer.cli.context import CliContext, pass_cli
from indexer.cli.output import emit_json, err, out, warn
from indexer.config_file import load_settings
from indexer.errors import ConfigError, redact_credentials
from indexer.settings import Settings, user_agent_problem

__all__ = ["config_group", "config_warnings"]

_SEC_BLOCK_SECONDS = 600


@click.group("config")
def config_group() -> None:
    """Validate and inspect the configuration (config.yaml)."""


@config_group.command("check")
@click.argument("path", required=False, metavar="[PATH]")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_cli
def check(cli_ctx: CliContext, path: str | None, as_json: bool) -> None:
    """Validate a configuration file; print `ok` or each error with its key.

    PATH defaults to the file chosen by --config / $CORRESP_CONFIG / ./config.yaml.
    Environment overrides (CORRESP__SECTION__KEY) are applied and checked too.
    Exits with status 2 when the configuration is invalid.
    """
    try:
        loaded = load_settings(path or cli_ctx.config_path)
        if problems := plugin_problems(loaded.settings):
            source = str(loaded.path) if loaded.path else "defaults"
            raise ConfigError(source, problems)
    except ConfigError as exc:
        if as_json:
            emit_json(
                {
                    "ok": False,
                    "source": exc.source,
                    "errors": [{"key": k, "message": m} for k, m in exc.problems],
                }
            )
        else:
            err.print(f"[red]error:[/red] {escape(exc.source)} is invalid:")
            for key, message in exc.problems:
                out.print(f"{key}: {message}")
        raise SystemExit(2) from None
    warnings = config_warnings(loaded.settings)
    source = str(loaded.path) if loaded.path else "defaults (no config file)"
    if as_json:
        emit_json({"ok": True, "source": source, "warnings": warnings})
        return
    for message in warnings:
        warn(message)
    out.print("ok")
    err.print(f"[dim]checked {escape(source)}[/dim]")


def plugin_problems(settings: Settings) -> list[tuple[str, str]]:
    """Problems found by the checks other packages register (``corresp.config_checks``)."""
    problems = []
    for point in entry_points(group="corresp.config_checks"):
        problems.extend(point.load()(settings))
    return problems


def config_warnings(settings: Settings) -> list[str]:
    """Valid but risky or incomplete settings worth telling the user about."""
    warnings = []
    if problem := user_agent_problem(settings.edgar.user_agent):
        warnings.append(f"edgar.user_agent is {problem}; crawling will refuse to start")
    if settings.edgar.block_cooldown_seconds < _SEC_BLOCK_SECONDS:
        warnings.append(
            "edgar.block_cooldown_seconds is below SEC's 10-minute block; requests during "
            "a block extend it"
        )
    return warnings


@config_group.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of YAML.")
@pass_cli
def show(cli_ctx: CliContext, as_json: bool) -> None:
    """Print the effective configuration (file + environment + defaults), secrets masked."""
    loaded = cli_ctx.loaded
    values = loaded.settings.model_dump(mode="json")
    values["elasticsearch"]["url"] = redact_credentials(values["elasticsearch"]["url"])
    if as_json:
        emit_json(values)
        return
    source = str(loaded.path) if loaded.path else "defaults (no config file)"
    out.print(f"# effective configuration from {source}")
    for key, variable in loaded.env_keys.items():
        out.print(f"# {key} set by {variable}")
    out.print(yaml.safe_dump(values, sort_keys=False), end="")
