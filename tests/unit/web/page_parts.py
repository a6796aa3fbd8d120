"""Read rendered pages in tests: a small element tree from the standard library's parser.

``parse_page(html)`` returns the root ``Element``; ``find_all`` selects descendants by tag,
class and id, ``text`` gives an element's text with whitespace squeezed, and ``inner_html``
the markup it was parsed from (to check what was escaped).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["Element", "parse_page"]

_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)
    source: str = ""

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)

    def walk(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.walk()

    def find_all(self, tag: str | None = None, *, cls: str | None = None, id: str | None = None):
        return [
            element
            for element in self.walk()
            if (tag is None or element.tag == tag)
            and (cls is None or cls in element.classes)
            and (id is None or element.get("id") == id)
        ]

    def find(self, tag: str | None = None, *, cls: str | None = None, id: str | None = None):
        found = self.find_all(tag, cls=cls, id=id)
        assert found, f"no <{tag or '*'}> with class={cls!r} id={id!r}"
        return found[0]

    @property
    def text(self) -> str:
        parts: list[str] = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text)
        return " ".join(" ".join(parts).split())


class _Builder(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.root = Element("#root", {})
        self.stack = [self.root]
        self.starts: list[int] = []
        self.line_starts = [0]
        for line in page.split("\n"):
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)
            self.starts.append(self._offset() + len(self.get_starttag_text() or ""))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                end = self._offset()
                for _ in range(len(self.stack) - depth):
                    element = self.stack.pop()
                    start = self.starts.pop()
                    element.source = self.page[start:end]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_page(page: str) -> Element:
    builder = _Builder(page)
    builder.feed(page)
    builder.close()
    return builder.root
