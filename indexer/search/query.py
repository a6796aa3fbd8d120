"""The search box: a user's search string -> a query tree. Pure.

The syntax is forgiving: every input parses, and whatever does not fit is repaired or ignored
and noted in ``ParsedQuery.warnings`` (stable wording, for the UI)::

    query    := and_expr
    and_expr := or_expr ( ["AND"] or_expr )*        bare juxtaposition means AND
    or_expr  := unary ( "OR" unary )*               OR binds tighter than AND
    unary    := ( "NOT" | "-" | "+" )* primary      "+" is a no-op, "-"/"NOT" negate
    primary  := term | "(" and_expr ")" | prefix:"(" and_expr ")"
    term     := word | word* | "phrase" | "phrase*" | prefix:value | prefix:"phrase"

- Operators are the upper-case words AND, OR, NOT; "and", "or", "not" are ordinary words. In
  a run of operators AND wins unless all are OR; an operator with nothing on one side is dropped,
  and so are a leading ``AND``/``OR``; a leading ``NOT x`` excludes ``x``, like ``-x``.
- An unbalanced quote is closed at the end. A stray ``)`` is dropped, a missing one added at the
  end; parentheses deeper than ``MAX_DEPTH`` are flattened into their parent.
- ``word*`` and ``"phrase*"`` are prefix searches; a leading ``*`` and a lone ``*`` are ignored
  (no leading wildcards). Words and phrases without a letter or digit are ignored.
- Known prefixes (``PREFIXES``, any case) target one field. Their values are normalized here:
  ``file``: ``normalize_file_number`` (``1-7933`` -> ``001-07933``), else as typed;
  ``cik``: ``normalize_cik`` (``320193`` -> ``0000320193``), else as typed;
  ``form``: upper case (``UPLOAD``); ``type``, ``topic``: lower snake_case
  (``Review Complete`` -> ``review_complete``); ``company``, ``office``, ``staff``,
  ``heading``, ``response``: as typed. Prefix searches (``file:001-079*``) use the value as
  typed, apart from the case rules. An unknown prefix is read as words (``foo:bar`` -> ``foo
  bar``); ``https://x`` is a word; a known prefix without a value is dropped.
- Limits: ``MAX_QUERY_CHARS`` characters (after control characters are removed), ``MAX_TERMS``
  terms; an empty or all-operator query matches everything (``ParsedQuery.is_empty``).

``indexer/search/query_es.py`` maps the tree onto the fields of one index.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from indexer.models import normalize_cik, normalize_file_number

__all__ = [
    "MAX_DEPTH",
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "PREFIXES",
    "And",
    "Node",
    "Not",
    "Or",
    "ParsedQuery",
    "Term",
    "parse_query",
]

MAX_QUERY_CHARS = 1000
MAX_TERMS = 50
MAX_DEPTH = 5
PREFIXES = frozenset(
    {"company", "file", "cik", "form", "type", "topic", "office", "staff", "heading", "response"}
)
_FREE_TEXT_PREFIXES = frozenset({"company", "staff", "heading", "response"})
"""Prefixes whose values are free text, highlighted like bare words."""

# ---------------------------------------------------------------- the query tree


@dataclass(frozen=True, slots=True)
class Term:
    """A word, phrase or prefix search, optionally restricted to one prefix (``field``)."""

    text: str
    field: str | None = None
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class And:
    """All children must match (at least two children)."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """At least one child must match (at least two children)."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """The child must not match."""

    child: Node


Node = Term | And | Or | Not


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """What we understood: ``root`` is None for "match everything"."""

    root: Node | None
    text: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self.root is None

    def terms(self) -> tuple[Term, ...]:
        """Every term, negated ones included, in query order."""
        return tuple(term for term, _ in _leaves(self.root, negated=False))

    def highlight_terms(self) -> tuple[str, ...]:
        """Words and phrases to highlight: the terms not negated that search free text.

        Phrases come without quotes; a prefix search keeps its trailing ``*`` (``segment*``).
        Duplicates (ignoring case) are left out.
        """
        seen: set[str] = set()
        out: list[str] = []
        for term, negated in _leaves(self.root, negated=False):
            if negated or (term.field is not None and term.field not in _FREE_TEXT_PREFIXES):
                continue
            text = term.text + ("*" if term.prefix else "")
            if text.casefold() not in seen:
                seen.add(text.casefold())
                out.append(text)
        return tuple(out)

    def describe(self) -> str:
        """The query as understood, in the same syntax (``(a OR b) AND c``); "" if empty.

        Parsing the description again gives the same tree (within the limits).
        """
        if self.root is None:
            return ""
        text = _describe(self.root, parent="root")
        return "-" + text[4:] if text.startswith("NOT ") else text


def _leaves(node: Node | None, *, negated: bool) -> Iterator[tuple[Term, bool]]:
    if isinstance(node, Term):
        yield node, negated
    elif isinstance(node, Not):
        yield from _leaves(node.child, negated=not negated)
    elif isinstance(node, And | Or):
        for child in node.children:
            yield from _leaves(child, negated=negated)


def _describe(node: Node, *, parent: str) -> str:
    if isinstance(node, Term):
        body = node.text + ("*" if node.prefix else "")
        body = f'"{body}"' if node.phrase else body
        return f"{node.field}:{body}" if node.field else body
    if isinstance(node, Not):
        return "NOT " + _describe(node.child, parent="not")
    if isinstance(node, Or):
        text = " OR ".join(_describe(child, parent="or") for child in node.children)
        return f"({text})" if parent in ("and", "not") else text
    text = " AND ".join(_describe(child, parent="and") for child in node.children)
    return f"({text})" if parent in ("or", "not") else text


def _join(kind: type[And | Or], parts: list[Node]) -> Node | None:
    """``kind`` of ``parts``, flattened: None for no part, the part itself for one."""
    flat = [c for part in parts for c in (part.children if isinstance(part, kind) else (part,))]
    return None if not flat else flat[0] if len(flat) == 1 else kind(tuple(flat))


def _not(node: Node) -> Node:
    return node.child if isinstance(node, Not) else Not(node)


# ---------------------------------------------------------------- lexing

_CONTROL_SPACES = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029")
_QUOTES = str.maketrans(dict.fromkeys("“”„‟″＂", '"'))
_PREFIX = re.compile(r"([A-Za-z][A-Za-z0-9_]*):")
_ALNUM = re.compile(r"[^\W_]")
_SPACES = re.compile(r"\s+")
_SNAKE = re.compile(r"[\s\-]+")
_OPERATORS = frozenset({"AND", "OR", "NOT"})


_Token = tuple[str, Any]
"""(kind, payload): ("TERM", terms), ("FIELD", prefix name), or an operator, "(", ")", "-"."""


def _clean(text: str, warnings: list[str]) -> str:
    chars = [
        " " if ch in _CONTROL_SPACES else ch
        for ch in text.translate(_QUOTES)
        if ch in _CONTROL_SPACES or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    ]
    if len(chars) > MAX_QUERY_CHARS:
        ignored = len(chars) - MAX_QUERY_CHARS
        warnings.append(f"only the first {MAX_QUERY_CHARS} characters are used ({ignored} ignored)")
    return "".join(chars[:MAX_QUERY_CHARS])


def _normalize_value(field: str, value: str, *, prefix: bool) -> str:
    if field == "form":
        return value.upper()
    if field in ("type", "topic"):
        return _SNAKE.sub("_", value.strip().lower())
    normalize = {"file": normalize_file_number, "cik": normalize_cik}.get(field)
    if normalize is None or prefix:
        return value
    try:
        return normalize(value)
    except ValueError:
        return value


def _make_term(text: str, *, field: str | None, phrase: bool, warnings: list[str]) -> Term | None:
    """A term from its text as typed, or None if nothing searchable is left."""
    text = _SPACES.sub(" ", text).strip()
    if phrase:
        prefix = text.endswith("*")
        text = _SPACES.sub(" ", text.replace("*", " ")).strip()
    else:
        text = text if field is None else text.rstrip(",;")
        stripped = text.lstrip("*+-" if field is None else "*")
        if "*" in text[: len(text) - len(stripped)]:
            warnings.append("a leading '*' is ignored (no leading wildcards)")
        prefix = stripped.endswith("*")
        text = stripped.rstrip("*")
    if not _ALNUM.search(text):
        if text or prefix:
            warnings.append("a term without letters or digits is ignored")
        return None
    if field is not None:
        text = _normalize_value(field, text, prefix=prefix)
    elif not phrase and text in _OPERATORS:
        text = text.lower()
    return Term(text, field, phrase, prefix)


def _read_phrase(text: str, start: int, warnings: list[str]) -> tuple[str, int]:
    """The phrase opening at ``text[start] == '"'`` and the index after it."""
    end = text.find('"', start + 1)
    if end < 0:
        warnings.append("an unbalanced quote is closed at the end")
        end = len(text)
    return text[start + 1 : end], end + 1


def _lex_word(text: str, start: int, warnings: list[str], *, modified: bool) -> tuple[_Token, int]:
    """The token of the word at ``start``: an operator, a field, terms (maybe none)."""
    end = start
    while end < len(text) and not text[end].isspace() and text[end] not in '()"':
        end += 1
    word, match = text[start:end], _PREFIX.match(text, start, end)
    value = word[match.end() - start :] if match else ""
    if word in _OPERATORS and not modified:
        return (word, None), end
    name = match.group(1).lower() if match else ""
    parts: list[tuple[str, str | None, bool]]
    if match is None or value.startswith("//"):
        parts = [(word, None, False)]
    elif name not in PREFIXES:
        warnings.append(f"unknown field '{match.group(1)}:' is searched as words")
        parts = [(part, None, False) for part in word.split(":")]
    elif value:
        parts = [(value, name, False)]
    elif text.startswith('"', end):
        phrase, end = _read_phrase(text, end, warnings)
        parts = [(phrase, name, True)]
    elif text.startswith("(", end):
        return ("FIELD", name), end
    else:
        warnings.append(f"'{match.group(1)}:' without a value is ignored")
        parts = []
    terms = [_make_term(t, field=f, phrase=p, warnings=warnings) for t, f, p in parts]
    return ("TERM", terms), end


def _lex(text: str, warnings: list[str]) -> list[_Token]:
    tokens: list[_Token] = []
    i = count = ignored = 0
    modified = False  # after + or -: AND, OR, NOT are words
    token: _Token
    while i < len(text):
        ch = text[i]
        if ch in "+-*":  # modifiers, and stars that would make a leading wildcard
            j = i
            while j < len(text) and text[j] in "+-*":
                j += 1
            if "*" in text[i:j]:
                warnings.append("a leading '*' is ignored (no leading wildcards)")
            modified = j < len(text) and not text[j].isspace() and text[j] != ")"
            modified = modified and text[i:j].strip("*") != ""
            if modified and text[i:j].count("-") % 2:
                tokens.append(("-", None))
            i = j
            continue
        if ch.isspace():
            i += 1
            continue
        if ch in "()":
            token, i = (ch, None), i + 1
        elif ch == '"':
            phrase, i = _read_phrase(text, i, warnings)
            token = ("TERM", [_make_term(phrase, field=None, phrase=True, warnings=warnings)])
        else:
            token, i = _lex_word(text, i, warnings, modified=modified)
        modified = False
        if token[0] == "TERM":
            terms = [term for term in token[1] or () if term is not None]
            room = max(MAX_TERMS - count, 0)
            ignored += max(len(terms) - room, 0)
            count += min(len(terms), room)
            token = ("TERM", tuple(terms[:room]))
        if token[0] != "TERM" or token[1]:
            tokens.append(token)
    if ignored:
        warnings.append(f"only the first {MAX_TERMS} terms are used ({ignored} ignored)")
    return tokens


def _repair_parentheses(tokens: list[_Token], warnings: list[str]) -> list[_Token]:
    out: list[_Token] = []
    stack: list[bool] = []  # for each open "(": kept (True) or flattened (False)
    for token in tokens:
        if token[0] == "(":
            stack.append(stack.count(True) < MAX_DEPTH)
            if not stack[-1]:
                warnings.append(f"parentheses nested deeper than {MAX_DEPTH} are flattened")
        elif token[0] == ")" and not stack:
            warnings.append("an unmatched ')' is ignored")
            continue
        if token[0] not in ("(", ")") or (stack.pop() if token[0] == ")" else stack[-1]):
            out.append(token)
    if any(stack):
        warnings.append("a missing ')' is added at the end")
    out.extend((")", None) for kept in stack if kept)
    while out and out[0][0] in _OPERATORS and out[0][0] != "NOT":  # a leading NOT excludes
        warnings.append(f"a leading {out.pop(0)[0]} is ignored")
    return out


# ---------------------------------------------------------------- parsing


class _Parser:
    """Recursive descent over repaired tokens; an operator without an operand is dropped."""

    def __init__(self, tokens: list[_Token], warnings: list[str]) -> None:
        self.tokens, self.pos, self.warnings = tokens, 0, warnings

    def peek(self) -> str | None:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        self.pos += 1
        return self.tokens[self.pos - 1]

    def parse_and(self) -> Node | None:
        parts: list[Node] = []
        while (kind := self.peek()) not in (None, ")"):
            if kind in ("AND", "OR"):
                self.take()
                if kind == "OR" or not parts or self.peek() in (None, ")"):
                    self.warnings.append(f"a dangling {kind} is ignored")
            elif (node := self.parse_or()) is not None:
                parts.append(node)
        return _join(And, parts)

    def parse_or(self) -> Node | None:
        parts = [self.parse_unary()]
        while self.peek() == "OR":
            self.take()
            parts.append(self.parse_unary())
            if parts[-1] is None:
                self.warnings.append("a dangling OR is ignored")
        return _join(Or, [part for part in parts if part is not None])

    def parse_unary(self) -> Node | None:
        negate, field = False, ""
        while self.peek() in ("NOT", "-", "FIELD"):
            kind, payload = self.take()
            field, negate = (payload, negate) if kind == "FIELD" else (field, not negate)
        node = self.parse_primary()
        if node is None:
            if negate:
                self.warnings.append("a dangling NOT is ignored")
            return None
        node = _apply_field(node, field, self.warnings) if field else node
        return _not(node) if negate else node

    def parse_primary(self) -> Node | None:
        if self.peek() == "TERM":
            return _join(And, list(self.take()[1]))
        if self.peek() != "(":
            return None
        self.take()
        node = self.parse_and()
        if self.peek() == ")":  # always, after repair
            self.take()
        return node


def _apply_field(node: Node, field: str, warnings: list[str]) -> Node:
    """``field:(...)``: the field applies to every term inside that has none."""
    if isinstance(node, Term):
        if node.field is not None:
            return node
        text = node.text + ("*" if node.prefix else "")
        return _make_term(text, field=field, phrase=node.phrase, warnings=warnings) or node
    if isinstance(node, Not):
        return Not(_apply_field(node.child, field, warnings))
    children = tuple(_apply_field(child, field, warnings) for child in node.children)
    return And(children) if isinstance(node, And) else Or(children)


def parse_query(text: str) -> ParsedQuery:
    """Parse a user's search string; never raises (see the module docstring)."""
    warnings: list[str] = []
    cleaned = _clean(text, warnings)
    tokens = _repair_parentheses(_lex(cleaned, warnings), warnings)
    root = _Parser(tokens, warnings).parse_and()
    return ParsedQuery(root, cleaned, tuple(dict.fromkeys(warnings)))
