"""The raw tree of an EDGAR submission header, built from either of its two spellings.

- full submission ``{ACC}.txt``: ``KEY:<TAB(s)>value`` lines nested by leading TABs, with
  ``<TAG>value`` lines mixed in (``<ACCEPTANCE-DATETIME>``, ``<DEPOSITOR-CIK>``) and, in older
  files, tag containers such as ``<REPORTING-OWNER>`` ... ``</REPORTING-OWNER>``;
- dissemination ``.nc``: one ``<TAG>value`` per field, containers closed by ``</TAG>``, one
  per line, run together on one line, or separated by bare CRs.

Both are lexed into the same tokens and built into one tree of ``RawSection`` dicts that keeps
EDGAR's own key spelling; a key that repeats collects its values in a list. A tag with no value
is a container when a matching ``</TAG>`` exists in the header, else an empty field (such as
``<PRIVATE-TO-PUBLIC>``). An empty ``KEY:`` opens a section when more deeply indented keys
follow it, else it is an empty field (such as ``SEC ACT:`` in 1990s headers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, TypeAlias

__all__ = ["HeaderTree", "RawSection", "RawValue", "build_header_tree"]

RawSection: TypeAlias = dict[str, "RawValue"]
"""One header section: EDGAR's keys to values; a key that repeats holds a list."""
RawValue: TypeAlias = "str | RawSection | list[str | RawSection]"

_TAG = re.compile(
    r"<(/?)([A-Za-z0-9][A-Za-z0-9_.-]*)>"  # <TAG> or </TAG>
    r"((?:[^<]|<(?!/?[A-Za-z0-9][A-Za-z0-9_.-]*>))*)"  # value: up to the next tag
)
_CLOSING_TAG = re.compile(r"</([A-Za-z0-9][A-Za-z0-9_.-]*)>")
_FRAME_TAGS = frozenset({"SEC-DOCUMENT", "SEC-HEADER", "SUBMISSION"})
"""Tags that wrap the whole file or header: their values are kept, they contain nothing."""
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""Dissemination files may use bare CRs; ``str.splitlines`` would also split on cp1252 bytes."""


@dataclass(frozen=True, slots=True)
class HeaderTree:
    """A header as a raw tree, its top-level sections in order, and what was not understood."""

    raw: RawSection
    top_sections: list[tuple[str, RawSection]]
    """Sections directly under the root (``FILER``, ``FILED FOR`` ...) in header order."""
    warnings: list[str]


@dataclass(frozen=True, slots=True)
class _Token:
    kind: Literal["key", "tag", "open", "close"]
    name: str
    value: str = ""
    depth: int = 0


def build_header_tree(text: str) -> HeaderTree:
    """Build the raw tree of a header given as text (either spelling)."""
    tokens, warnings = _lex(text)
    raw, top_sections = _build_tree(tokens, warnings)
    return HeaderTree(raw=raw, top_sections=top_sections, warnings=warnings)


def _lex(text: str) -> tuple[list[_Token], list[str]]:
    """Split header text into key/value and tag tokens; blank lines are dropped."""
    containers = {match.group(1) for match in _CLOSING_TAG.finditer(text)}
    tokens: list[_Token] = []
    warnings: list[str] = []
    for line_no, line in enumerate(_LINE_BREAK.split(text), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("<"):
            tokens.extend(_lex_tags(stripped, containers, line_no, warnings))
        elif ":" in stripped:
            key, _, value = stripped.partition(":")
            depth = len(line) - len(line.lstrip("\t"))
            tokens.append(_Token("key", key.strip(), value.strip(), depth))
        else:
            warnings.append(f"header line {line_no} not understood: {stripped[:80]!r}")
    return tokens, warnings


def _lex_tags(line: str, containers: set[str], line_no: int, warnings: list[str]) -> list[_Token]:
    """Tokens of a line made of ``<TAG>value`` and ``</TAG>`` items (possibly several)."""
    tokens: list[_Token] = []
    position = 0
    for match in _TAG.finditer(line):
        if match.start() != position:
            break
        position = match.end()
        closing, name, value = match.group(1), match.group(2), match.group(3).strip()
        if name in _FRAME_TAGS:
            if value and not closing:
                tokens.append(_Token("tag", name, value))
        elif closing:
            tokens.append(_Token("close", name))
        elif not value and name in containers:
            tokens.append(_Token("open", name))
        else:
            tokens.append(_Token("tag", name, value))
    if position != len(line):
        warnings.append(f"header line {line_no} not understood after column {position}")
    return tokens


def _build_tree(
    tokens: list[_Token], warnings: list[str]
) -> tuple[RawSection, list[tuple[str, RawSection]]]:
    """Build the raw tree; also return the top-level sections in header order."""
    root: RawSection = {}
    containers: list[tuple[str, RawSection]] = [("", root)]
    outline: list[tuple[int, RawSection]] = []  # open KEY: sections of the current container
    top_sections: list[tuple[str, RawSection]] = []
    for index, token in enumerate(tokens):
        if token.kind == "key":
            while outline and outline[-1][0] >= token.depth:
                outline.pop()
            parent = outline[-1][1] if outline else containers[-1][1]
            if token.value or not _opens_section(tokens, index):
                _add(parent, token.name, token.value)
                continue
            section: RawSection = {}
            _add(parent, token.name, section)
            outline.append((token.depth, section))
            if parent is root:
                top_sections.append((token.name, section))
            continue
        outline.clear()
        if token.kind == "tag":
            _add(containers[-1][1], token.name, token.value)
        elif token.kind == "open":
            section = {}
            _add(containers[-1][1], token.name, section)
            if len(containers) == 1:
                top_sections.append((token.name, section))
            containers.append((token.name, section))
        elif any(name == token.name for name, _ in containers[1:]):
            while containers.pop()[0] != token.name:
                pass  # also closes containers left open inside this one
        else:
            warnings.append(f"header has </{token.name}> without a matching <{token.name}>")
    return root, top_sections


def _opens_section(tokens: list[_Token], index: int) -> bool:
    """True when the empty ``KEY:`` at ``index`` is followed by more deeply indented keys."""
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    return (
        following is not None and following.kind == "key" and following.depth > tokens[index].depth
    )


def _add(section: RawSection, key: str, value: str | RawSection) -> None:
    """Store ``value`` under ``key``; a repeated key collects its values in a list."""
    if key not in section:
        section[key] = value
        return
    existing = section[key]
    if isinstance(existing, list):
        existing.append(value)
    else:
        section[key] = [existing, value]
