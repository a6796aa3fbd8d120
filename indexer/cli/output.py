"""How the command line talks to people and programs.

Results go to standard output (plain text, or JSON with ``--json``); progress, warnings and
errors go to standard error, so ``corresp … --json | jq`` always sees clean JSON.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.logging import RichHandler

__all__ = ["configure_logging", "emit_json", "err", "out", "report", "warn"]

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def emit_json(value: Any) -> None:
    """Print ``value`` as one JSON document on standard output."""
    sys.stdout.write(json.dumps(value, default=_default, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def report(message: str) -> None:
    """A progress message for people, on standard error."""
    err.print(f"[dim]·[/dim] {message}", markup=True, highlight=False)


def warn(message: str) -> None:
    err.print(f"[yellow]warning:[/yellow] {message}", markup=True, highlight=False)


def configure_logging(verbosity: int) -> None:
    level = logging.WARNING - 10 * min(verbosity, 2)
    logging.basicConfig(
        level=level,
        format="%(name)s: %(message)s",
        handlers=[RichHandler(console=err, show_path=False, markup=False)],
        force=True,
    )
    # The Elasticsearch transport logs every failed attempt; our errors already say it.
    logging.getLogger("elastic_transport").setLevel(
        logging.DEBUG if verbosity >= 2 else logging.CRITICAL
    )
