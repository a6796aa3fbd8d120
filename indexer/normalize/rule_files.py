"""The editable YAML rule files (topics, outcomes): reading one, with errors that name the
file, the entry and the pattern; the configured file or the packaged one; patterns compiled as
one whole-word, case-insensitive alternation, each checked on its own first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml

from indexer.errors import ConfigError

__all__ = ["configured", "load_rules", "read_rule_file", "whole_words"]

T = TypeVar("T")


def read_rule_file(text: str, *, source: str, entries: str) -> dict[str, Any]:
    """The YAML mapping of a rule file, with a ``version`` and an ``entries`` list; raises
    ``ValueError`` naming ``source`` otherwise."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get(entries), list):
        raise ValueError(f"{source}: expected a mapping with a '{entries}' list")
    if data.get("version") is None:
        raise ValueError(f"{source}: 'version' is missing")
    return data


def load_rules(path: Path | None, *, packaged: str, parse: Callable[..., T]) -> T:
    """The rules of the file at ``path``, or of the packaged file named ``packaged`` (read
    once) when ``path`` is None; ``parse(text, source=...)`` reads them."""
    if path is None:
        return cast(T, _packaged(packaged, parse))  # lru_cache drops the type
    return parse(Path(path).read_text(encoding="utf-8"), source=str(path))


@lru_cache(maxsize=8)
def _packaged(name: str, parse: Callable[..., T]) -> T:
    text = resources.files("indexer.normalize").joinpath(name).read_text("utf-8")
    return parse(text, source=f"packaged {name}")


def configured(path: str, *, key: str, load: Callable[[Path | None], T]) -> T:
    """The rules of the file at ``path`` (the setting ``key``), or the packaged ones when it is
    empty; raises ``ConfigError`` naming ``key`` when the file is missing or invalid."""
    if not path:
        return load(None)
    try:
        return load(Path(path))
    except (OSError, ValueError) as exc:
        raise ConfigError(key, [(key, str(exc))]) from exc


def whole_words(patterns: tuple[str, ...], *, name: str, source: str) -> re.Pattern[str] | None:
    """One whole-word, case-insensitive alternation of ``patterns`` (None when empty).

    Raises ``ValueError`` naming ``source``, ``name`` and the pattern when one does not compile
    or matches empty text. The word-boundary guards stand outside the alternation: the same
    matches as guarding each pattern, several times faster.
    """
    if not patterns:
        return None
    for pattern in patterns:
        try:
            compiled = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"{source}: {name}: invalid pattern {pattern!r}: {exc}") from exc
        if not pattern.strip() or compiled.match(""):
            raise ValueError(f"{source}: {name}: pattern {pattern!r} matches empty text")
    union = "|".join(f"(?:{pattern})" for pattern in patterns)
    return re.compile(rf"(?<!\w)(?:{union})(?!\w)", re.IGNORECASE)
