"""Text of an HTML letter with its block structure kept (selectolax, lexbor backend).

Block elements (paragraphs, divs, list items, headings, table rows) become paragraphs, ``<br>``
a line break, table cells of one row are joined with a space so "1." in one cell and the
comment in the next stay together. Scripts, styles and images (logo alt text) are dropped.
The SGML wrapper EDGAR keeps around CORRESP documents (``<DOCUMENT><TYPE>CORRESP…<TEXT>``)
is removed first.
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
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2007\u202f\u200b]+")
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
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return ExtractedText("", TextSource.NONE, (*warnings, "empty HTML document"))
    pieces: list[str] = []
    _walk(root, pieces)
    return ExtractedText(_assemble(pieces), TextSource.HTML, warnings)


def _walk(node: LexborNode, pieces: list[str]) -> None:
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            pieces.append(child.text_content or "")
        elif tag in _SKIPPED or tag == "-comment":
            continue
        elif tag == "br":
            pieces.append(_BREAK)
        elif tag in _CELLS:
            pieces.append(" ")
            _walk(child, pieces)
            pieces.append(" ")
        elif tag in _BLOCKS:
            pieces.append(_PARAGRAPH)
            _walk(child, pieces)
            pieces.append(_PARAGRAPH)
        else:
            _walk(child, pieces)


def _assemble(pieces: list[str]) -> str:
    raw = "".join(pieces).replace("\n", " ")
    paragraphs = []
    for block in raw.split(_PARAGRAPH):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split(_BREAK)]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)
