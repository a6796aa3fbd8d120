"""Loading the configuration: file choice, YAML, environment overrides, readable errors.

Precedence, highest first: environment variables ``CORRESP__SECTION__KEY`` (nested keys
joined by ``__``, e.g. ``CORRESP__EDGAR__BASE_URLS__WWW``), then the YAML file, then the
defaults in ``indexer/settings.py``. The file is ``--config PATH``, else ``$CORRESP_CONFIG``,
else ``./config.yaml`` when it exists, else none (defaults only).

Every problem is reported as ``(key, message)`` naming the dotted key and, for environment
overrides, the variable that set it. The overrides are applied here rather than through
pydantic-settings so that an error can say which variable caused it and an unknown variable
under the prefix is an error, never silently ignored.
"""

from __future__ import annotations

import difflib
import os
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from indexer.errors import ConfigError
from indexer.settings import Settings

__all__ = ["ENV_PREFIX", "LoadedSettings", "find_config_path", "load_settings"]

ENV_PREFIX = "CORRESP__"
CONFIG_ENV = "CORRESP_CONFIG"
DEFAULT_FILE = Path("config.yaml")


@dataclass(frozen=True)
class LoadedSettings:
    """Validated settings plus where they came from."""

    settings: Settings
    path: Path | None
    """The file read, or ``None`` when only defaults and environment were used."""
    env_keys: dict[str, str] = field(default_factory=dict)
    """Dotted key -> environment variable, for every override applied."""


def find_config_path(
    explicit: str | os.PathLike[str] | None, environ: Mapping[str, str] = os.environ
) -> Path | None:
    """The config file to read: explicit path, ``$CORRESP_CONFIG``, ``./config.yaml`` or none."""
    if explicit:
        return Path(explicit)
    if env_path := environ.get(CONFIG_ENV):
        return Path(env_path)
    return DEFAULT_FILE if DEFAULT_FILE.is_file() else None


def load_settings(
    path: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> LoadedSettings:
    """Read, merge and validate the configuration; raise ``ConfigError`` listing every problem."""
    environ = os.environ if environ is None else environ
    config_path = find_config_path(path, environ)
    source = str(config_path) if config_path else "defaults"
    data = _read_yaml(config_path) if config_path else {}
    env_keys, problems = _apply_environment(data, environ)
    settings: Settings | None = None
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems.extend(_describe(exc, env_keys))
    if problems or settings is None:
        raise ConfigError(source, problems)
    base_dir = config_path.resolve().parent if config_path else Path.cwd()
    return LoadedSettings(_resolve_paths(settings, base_dir), config_path, env_keys)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), [("(file)", f"cannot read: {exc.strerror or exc}")]) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(str(path), [("(file)", f"not valid YAML{where}: {problem}")]) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(str(path), [("(file)", "the top level must be a mapping of sections")])
    return data


def _apply_environment(
    data: dict[str, Any], environ: Mapping[str, str]
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Merge ``CORRESP__…`` variables into ``data``; return applied keys and problems."""
    applied: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for name in sorted(environ):
        if not name.startswith(ENV_PREFIX):
            continue
        parts = [part.lower() for part in name[len(ENV_PREFIX) :].split("__")]
        dotted = ".".join(parts)
        annotation, error = _field_annotation(parts)
        if error:
            problems.append((dotted, f"{error} (from environment variable {name})"))
            continue
        _set_path(data, parts, _coerce_env_value(environ[name], annotation))
        applied[dotted] = name
    return applied, problems


def _field_annotation(parts: list[str]) -> tuple[Any, str | None]:
    """The annotation of the field at ``parts``, or an error naming the unknown key."""
    model: type[BaseModel] = Settings
    annotation: Any = None
    for depth, part in enumerate(parts):
        fields = model.model_fields
        if part not in fields:
            return None, _unknown_key_message(part, list(fields))
        annotation = fields[part].annotation
        is_last = depth == len(parts) - 1
        submodel = _model_of(annotation)
        if is_last and submodel is not None:
            return None, "is a section; set one of its keys instead"
        if not is_last:
            if submodel is None:
                return None, f"{part!r} is not a section"
            model = submodel
    return annotation, None


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _coerce_env_value(raw: str, annotation: Any) -> Any:
    """Environment values are text; lists are comma-separated or a YAML/JSON list."""
    if _is_list(annotation):
        text = raw.strip()
        if text.startswith("["):
            try:
                return yaml.safe_load(text)
            except yaml.YAMLError:
                return raw
        return [item.strip() for item in text.split(",") if item.strip()]
    return raw


def _is_list(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_list(arg) for arg in typing.get_args(annotation))
    return origin is list


def _set_path(data: dict[str, Any], parts: list[str], value: Any) -> None:
    node = data
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = value


def _unknown_key_message(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(known)}"
    return f"unknown key{hint}"


def _describe(exc: ValidationError, env_keys: dict[str, str]) -> list[tuple[str, str]]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = [str(part) for part in error["loc"]]
        dotted = ".".join(loc)
        if error["type"] == "extra_forbidden":
            message = _unknown_key_message(loc[-1], _known_fields(loc[:-1]))
        else:
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] not in ("missing", "value_error") and "input" in error:
                message += f" (got {error['input']!r})"
            if error["type"] == "value_error":
                dotted, message = _narrowed(loc, dotted, message)
        if dotted in env_keys:
            message += f" (from environment variable {env_keys[dotted]})"
        problems.append((dotted, message))
    return problems


_SUBKEY = re.compile(r"^(?P<key>[a-z_]+(?:\.[a-z0-9_]+)+): (?P<message>.+)$", re.DOTALL)


def _narrowed(loc: list[str], dotted: str, message: str) -> tuple[str, str]:
    """A section's check that names the key at fault as "sub.key: message" (a model
    validator sees the whole section) is reported under that key."""
    match = _SUBKEY.match(message)
    if match is None or match["key"].split(".", 1)[0] not in _known_fields(loc):
        return dotted, message
    return ".".join([*loc, match["key"]]), match["message"]


def _known_fields(parent: list[str]) -> list[str]:
    model: type[BaseModel] = Settings
    for part in parent:
        field_info = model.model_fields.get(part)
        submodel = _model_of(field_info.annotation) if field_info else None
        if submodel is None:
            return []
        model = submodel
    return list(model.model_fields)


def _relative_to(path: str, base_dir: Path) -> str:
    """A configured file path, relative ones read from ``base_dir`` (empty stays empty)."""
    if path and not Path(path).expanduser().is_absolute():
        return str((base_dir / path).resolve())
    return path


def _resolve_paths(settings: Settings, base_dir: Path) -> Settings:
    data_dir = settings.storage.data_dir.expanduser()
    if not data_dir.is_absolute():
        data_dir = (base_dir / data_dir).resolve()
    storage = settings.storage.model_copy(update={"data_dir": data_dir})
    rule_files = {
        key: _relative_to(getattr(settings.normalizer, key), base_dir)
        for key in ("taxonomy_path", "outcomes_path")
    }
    normalizer = settings.normalizer.model_copy(update=rule_files)
    return settings.model_copy(update={"storage": storage, "normalizer": normalizer})
