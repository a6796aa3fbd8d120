"""Ticker symbols -> CIKs, from SEC's ``company_tickers.json`` kept in the data folder.

SEC publishes the map at ``https://www.sec.gov/files/company_tickers.json`` as
``{"0": {"cik_str": 320193, "ticker": "AAPL", "title": "Apple Inc."}, …}``. The crawler
downloads it at most once a day into ``{data_dir}/company_tickers.json``; this module only
reads that file. Without the file every ticker stays unresolved (and is reported so), never
an error. Parsed maps are cached by the file's modification time and size, so a fresh
download is picked up by the next lookup.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from indexer.models import normalize_cik

__all__ = [
    "TickerMap",
    "load_company_names",
    "load_ticker_map",
    "parse_company_names",
    "parse_ticker_map",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TickerMap:
    """CIKs by upper-case ticker; ``available`` is False when there is no map file."""

    ciks: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    available: bool = False

    def resolve(self, tickers: Iterable[str]) -> tuple[dict[str, str], list[str]]:
        """``({ticker: cik} resolved, [unresolved tickers])``, in the order given."""
        resolved: dict[str, str] = {}
        unresolved: list[str] = []
        for ticker in tickers:
            cik = self.ciks.get(ticker.upper())
            if cik:
                resolved[ticker] = cik
            else:
                unresolved.append(ticker)
        return resolved, unresolved


def _entries(data: bytes | str) -> list[object]:
    """The entries of ``company_tickers.json`` (an object of objects); raises ``ValueError``."""
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise ValueError("the top level is not an object")
    return list(document.values())


def parse_ticker_map(data: bytes | str) -> dict[str, str]:
    """CIKs by ticker from the JSON of ``company_tickers.json``; raises ``ValueError``."""
    entries = _entries(data)
    ciks: dict[str, str] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            raise ValueError("an entry is not an object")
        ticker, cik = entry.get("ticker"), entry.get("cik_str")
        if not isinstance(ticker, str) or not ticker.strip() or cik is None:
            continue
        try:
            ciks.setdefault(ticker.strip().upper(), normalize_cik(cik))
        except ValueError:
            continue
    if entries and not ciks:
        raise ValueError("no entry has a ticker and a CIK")
    return ciks


def parse_company_names(data: bytes | str) -> dict[str, str]:
    """Company names (SEC's ``title``) by normalized CIK; raises ``ValueError``."""
    names: dict[str, str] = {}
    for entry in _entries(data):
        if not isinstance(entry, dict):
            continue
        title, cik = entry.get("title"), entry.get("cik_str")
        if not isinstance(title, str) or not title.strip() or cik is None:
            continue
        try:
            names.setdefault(normalize_cik(cik), " ".join(title.split()))
        except ValueError:
            continue
    return names


def load_company_names(path: Path) -> dict[str, str]:
    """Names by CIK from the map in ``path``; empty when it is missing or unreadable."""
    try:
        return parse_company_names(path.read_bytes())
    except (OSError, ValueError) as exc:
        if path.exists():
            logger.warning("ticker map %s is unusable (%s); no names from it", path, exc)
        return {}


def load_ticker_map(path: Path) -> TickerMap:
    """The map in ``path``; empty (``available=False``) when it is missing or unreadable."""
    try:
        stat = path.stat()
    except OSError:
        return TickerMap()
    return _cached(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _cached(path: str, _mtime_ns: int, _size: int) -> TickerMap:
    try:
        ciks = parse_ticker_map(Path(path).read_bytes())
    except (OSError, ValueError) as exc:
        logger.warning("ticker map %s is unusable (%s); tickers stay unresolved", path, exc)
        return TickerMap()
    return TickerMap(MappingProxyType(ciks), available=True)
