"""The object every sub-command receives: the chosen config file, loaded on first use.

Loading lazily lets ``corresp config check`` report a broken file itself, while every other
command fails with the same readable ``ConfigError`` the first time it needs a setting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import click

from indexer.config_file import LoadedSettings, load_settings
from indexer.settings import Settings

__all__ = ["CliContext", "pass_cli"]


@dataclass
class CliContext:
    """Global options and the lazily loaded configuration."""

    config_path: str | None
    _loaded: LoadedSettings | None = field(default=None, repr=False)

    @property
    def loaded(self) -> LoadedSettings:
        if self._loaded is None:
            self._loaded = load_settings(self.config_path)
        return self._loaded

    @property
    def settings(self) -> Settings:
        return self.loaded.settings


pass_cli = click.make_pass_decorator(CliContext)
