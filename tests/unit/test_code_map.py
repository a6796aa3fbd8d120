"""The maps in the code stay true: every module or file a docstring names exists.

Docstrings are the project's map (style.md: a module says what it owns and where its
neighbours are). A module renamed or removed without its mentions leaves a newcomer searching;
this test names each stale mention, in ``crawler/``, ``indexer/``, ``api/`` and ARCHITECTURE.md.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from indexer.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
_PATH = re.compile(r"``((?:crawler|indexer|api|tests|bench|scripts)/[\w/.\-]+\.(?:py|yaml|sh))``")
_MODULE = re.compile(r"``((?:crawler|indexer|api)(?:\.\w+)+)``")


def _exists(module: str) -> bool:
    """``a.b`` names a module (package or file); ``a.b.name`` also a name defined in it."""
    parts = module.split(".")
    for end in range(len(parts), 1, -1):
        base = ROOT.joinpath(*parts[:end])
        for file in (base.with_suffix(".py"), base / "__init__.py"):
            if file.is_file():
                rest = parts[end:]
                return not rest or re.search(rf"\b{rest[0]}\b", file.read_text()) is not None
    return False


def _config_keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every key path of config.yaml (``crawler.ocr.dpi``): docstrings name them too."""
    keys = set()
    for name, info in model.model_fields.items():
        key = f"{prefix}{name}"
        keys.add(key)
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            keys |= _config_keys(annotation, f"{key}.")
    return keys


CONFIG_KEYS = _config_keys(Settings)


def _stale(text: str) -> list[str]:
    paths = [m for m in _PATH.findall(text) if not (ROOT / m).exists()]
    modules = [m for m in _MODULE.findall(text) if m not in CONFIG_KEYS and not _exists(m)]
    return paths + modules


def test_every_named_module_exists() -> None:
    sources = [p for wing in ("crawler", "indexer", "api") for p in (ROOT / wing).rglob("*.py")]
    sources.append(ROOT / "ARCHITECTURE.md")
    stale = {str(p.relative_to(ROOT)): found for p in sources if (found := _stale(p.read_text()))}
    assert stale == {}


def test_the_check_sees_a_stale_mention() -> None:
    assert _stale("see ``api/paging.py`` and ``api.kinds.KINDS``") == [
        "api/paging.py",
        "api.kinds.KINDS",
    ]
    assert _stale("see ``indexer/search/paging.py`` and ``indexer.search.kinds.SearchKind``") == []
