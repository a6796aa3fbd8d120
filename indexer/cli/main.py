"""The ``corresp`` command: global options, error reporting, and sub-command discovery.

The root command lives in the core package; the crawler and the API contribute their
sub-commands through the ``corresp.commands`` entry-point group (see ``pyproject.toml``), so
neither edge package imports the other. Every ``CorrespError`` is printed as a message with
its exit status (1 = failure, 2 = bad configuration or usage), never as a traceback.
"""

from __future__ import annotations

import functools
from importlib.metadata import entry_points, version
from typing import Any

import click
from rich.markup import escape

from indexer.cli.alert_commands import alerts_group
from indexer.cli.config_commands import config_group
from indexer.cli.context import CliContext
from indexer.cli.es_commands import es_group
from indexer.cli.output import configure_logging, err
from indexer.cli.run_command import run
from indexer.errors import ConfigError, CorrespError

__all__ = ["cli", "main"]

ENTRY_POINT_GROUP = "corresp.commands"


class _Failure(click.ClickException):
    """A ``CorrespError`` shown as a clean message with the error's exit status (click keeps
    the status on the class: 1 here, 2 in ``_UsageFailure``)."""

    def __init__(self, error: CorrespError) -> None:
        super().__init__(str(error))
        self.error = error

    def show(self, file: Any = None) -> None:  # noqa: ARG002 - click's signature; stderr always
        if isinstance(self.error, ConfigError):
            err.print(f"[red]error:[/red] invalid configuration ({escape(self.error.source)}):")
            for key, message in self.error.problems:
                err.print(f"  {escape(key)}: {escape(message)}")
            return
        err.print(f"[red]error:[/red] {escape(str(self.error))}")


class _UsageFailure(_Failure):
    """A bad configuration or usage: exit status 2."""

    exit_code = 2


def _failure(error: CorrespError) -> _Failure:
    return _UsageFailure(error) if error.exit_code == _UsageFailure.exit_code else _Failure(error)


class CorrespGroup(click.Group):
    """A group that adds the edge packages' commands and reports project errors cleanly."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_plugin_commands()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in _plugin_commands():
            command = _plugin_commands()[cmd_name].load()
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CorrespError as exc:
            raise _failure(exc) from exc


@functools.cache
def _plugin_commands() -> dict[str, Any]:
    return {point.name: point for point in entry_points(group=ENTRY_POINT_GROUP)}


@click.group(cls=CorrespGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    metavar="PATH",
    help="Configuration file (default: $CORRESP_CONFIG, else ./config.yaml, else defaults).",
)
@click.option("-v", "--verbose", count=True, help="More logging (-v info, -vv debug).")
@click.version_option(version("corresp"), prog_name="corresp")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: int) -> None:
    """Crawl, thread and search SEC comment letters (EDGAR UPLOAD / CORRESP).

    Staff letters and company responses are found on EDGAR, stored, split into numbered
    comments, threaded into review cycles and served from Elasticsearch.

    Every command reads config.yaml (see `corresp config show`); any key can be overridden
    with an environment variable CORRESP__SECTION__KEY.
    """
    configure_logging(verbose)
    ctx.obj = CliContext(config_path)


cli.add_command(alerts_group)
cli.add_command(config_group)
cli.add_command(es_group)
cli.add_command(run)


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="corresp")
