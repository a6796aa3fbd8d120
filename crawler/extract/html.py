"""Text of an HTML letter with its block structure kept (selectolax, lexbor backend).

Block elements (paragraphs, divs, list items, headings, table rows) become paragraphs, ``<br>``
a line break, table cells of one row are joined with a space so "1." in one cell and the
comment in the next stay together. Scripts, styles and images (logo alt text) are dropped.
The SGML wrapper EDGAR keeps around CORRESP documents (``<DOCUMENT><TYPE>CORRESP…<TEXT>``)
is removed first.

HTML parsing rescans the stack of open elements for many tags (the HTML standard's scope
checks), so deeply nested markup takes quadratic time: 80,000 nested ``<div>`` took lexbor
19 s. Before parsing, the work is estimated from the tags (the open-element depth summed over
tags); a document far beyond any real letter is flattened first (blocks become line breaks,
inline tags go) and says so in a warning.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler.extract.encoding import decode_text
from crawler.extract.result import ExtractedText
from indexer.incoming import TextSource

__all__ = ["extract_html_text", "strip_sgml_wrapper"]

_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "center", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "thead",
    "tfoot", "tr", "ul", "title",
})  # fmt: skip
_CELLS = frozenset({"td", "th"})
_SKIPPED = frozenset({"script", "style", "head", "noscript", "img", "svg", "object"})
_WRAPPER_START = re.compile(r"^\s*<DOCUMENT>.*?<TEXT>", re.DOTALL | re.IGNORECASE)
_WRAPPER_END = re.compile(r"</TEXT>\s*</DOCUMENT>\s*$", re.IGNORECASE)
_SPACES = "\t\r\f\v\u00a0\u2007\u202f\u200b"
"""Characters read as a space, besides the space itself (line breaks become spaces first)."""
_SPACE_RUN = re.compile("  +")
_TAG_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*+)[^<>]*+>")
"""A start or end tag. Possessive (``*+``): backtracking between the name and the rest was
quadratic on a ``<`` followed by a long run of letters."""
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})  # fmt: skip
_KEPT_WHEN_FLAT = _SKIPPED | _VOID | {"title", "html", "body"}
_MAX_NESTING_WORK = 20_000_000
"""Open-element depth summed over tags; the sample letters stay below 60,000."""
_BREAK = "\x00BR\x00"
_PARAGRAPH = "\x00P\x00"


def strip_sgml_wrapper(text: str) -> str:
    """Remove EDGAR's ``<DOCUMENT>…<TEXT>`` … ``</TEXT></DOCUMENT>`` around a document."""
    return _WRAPPER_END.sub("", _WRAPPER_START.sub("", text, count=1), count=1)


def extract_html_text(data: bytes) -> ExtractedText:
    """Paragraph-structured text of an HTML document; never raises."""
    text, encoding = decode_text(data)
    warnings = () if encoding in ("utf-8", "ascii", "us-ascii") else (f"decoded as {encoding}",)
    html = strip_sgml_wrapper(text)
    if _may_nest_too_deeply(html) and _nesting_work(html) > _MAX_NESTING_WORK:
        html = _TAG_TOKEN.sub(_flat_tag, html)
        warnings = (*warnings, "HTML nested too deeply to parse: read with blocks as line breaks")
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return ExtractedText("", TextSource.NONE, (*warnings, "empty HTML document"))
    pieces: list[str] = []
    _walk(root, pieces)
    return ExtractedText(_assemble(pieces), TextSource.HTML, warnings)


def _may_nest_too_deeply(html: str) -> bool:
    """Whether the nesting work may pass the limit: with T tags it is at most 1 + … + T (each
    tag at most one level deeper than the one before), and each tag holds one "<". Counting
    "<" is far cheaper than reading the tags, and real letters stay far below the limit."""
    tags = html.count("<")
    return tags * (tags + 1) // 2 > _MAX_NESTING_WORK


def _nesting_work(html: str) -> int:
    """An estimate of the parser's work on open elements: the depth summed over tags."""
    depth = work = 0
    for match in _TAG_TOKEN.finditer(html):
        if match.group(2).lower() in _VOID:
            continue
        depth = max(0, depth - 1) if match.group(1) else depth + 1
        work += depth
    return work


def _flat_tag(match: re.Match[str]) -> str:
    """A tag of a flattened document: blocks become ``<br>``, cells a space, inline tags go;
    tags whose content is skipped (scripts, styles, the head) and void tags stay."""
    name = match.group(2).lower()
    if name in _KEPT_WHEN_FLAT:
        return match.group(0)
    if name in _BLOCKS:
        return "<br>"
    return " " if name in _CELLS else ""


def _walk(root: LexborNode, pieces: list[str]) -> None:
    """Append the text under ``root`` with paragraph, break and cell markers, in order.

    Iterative, with a stack of nodes and pending closing markers: recursion per nesting level
    exhausted Python's recursion limit on deeply nested markup (thousands of ``<div>``).
    """
    stack: list[LexborNode | str] = list(reversed(list(root.iter(include_text=True))))
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            pieces.append(item)
            continue
        tag = item.tag
        if tag == "-text":
            pieces.append(item.text_content or "")
            continue
        if tag in _SKIPPED or tag == "-comment":
            continue
        if tag == "br":
            pieces.append(_BREAK)
            continue
        marker = " " if tag in _CELLS else _PARAGRAPH if tag in _BLOCKS else None
        if marker is not None:
            pieces.append(marker)
            stack.append(marker)  # closes the element after its children
        stack.extend(reversed(list(item.iter(include_text=True))))


def _squeeze_spaces(text: str) -> str:
    """Each run of spaces (``_SPACES`` and " ") as one space. A replacement per kind of space,
    then a search for two spaces in a row: many times faster than a pattern for a run of any
    of them, which ``re`` has to try at every position (the markers hold no space)."""
    for space in _SPACES:
        text = text.replace(space, " ")
    return _SPACE_RUN.sub(" ", text)


def _assemble(pieces: list[str]) -> str:
    raw = _squeeze_spaces("".join(pieces).replace("\n", " "))
    paragraphs = []
    for block in raw.split(_PARAGRAPH):
        lines = [line.strip() for line in block.split(_BREAK)]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)
