"""Letter text as readable blocks, and search words marked in escaped text."""

from __future__ import annotations

from markupsafe import Markup

from api.web.letter_text import build_marker, build_text_blocks, mark_terms, paragraphs

PDF_TEXT = """May 26, 2022

Randy Hyzak
Executive Vice President and Chief Financial Officer

Dear Mr. Hyzak:

We urge all persons who are responsible for the accuracy and adequacy of the disclosure
in the filing to be certain that the filing includes the information the Securities Exchange Act of

1934 and all applicable Exchange Act rules require. Since the company is a China-
based issuer, it is responsible.

General

1. We note that a majority of your operations are conducted in Macao, a special
administrative region of China.

2. Please revise your disclosure to include a reconciliation.
"""

HTML_TEXT = """General

1.

We note that a majority of your operations are conducted in Macao.

Response: We acknowledge the Staff's comment.

3. A numbered paragraph that is not one of the comments.
"""


def test_wrapped_lines_are_joined_and_short_lines_kept() -> None:
    paras = paragraphs(PDF_TEXT)
    assert paras[1] == ["Randy Hyzak", "Executive Vice President and Chief Financial Officer"]
    urge = paras[3]
    assert len(urge) == 1
    assert "Exchange Act of 1934 and all applicable" in urge[0]  # rejoined across a page break
    assert "China-based issuer" in urge[0]  # hyphen at a line end kept, no space added


def test_numbered_comments_are_set_off() -> None:
    blocks = build_text_blocks(PDF_TEXT, [1, 2])
    comments = [(b.number, b.lines[0][:20]) for b in blocks if b.kind == "comment"]
    assert comments == [(1, "We note that a major"), (2, "Please revise your d")]
    assert all(b.kind == "para" for b in blocks[:4])


def test_a_lone_number_opens_the_next_paragraph_and_responses_are_marked() -> None:
    blocks = build_text_blocks(HTML_TEXT, [1])
    assert [(b.kind, b.number) for b in blocks] == [
        ("para", None),
        ("comment", 1),
        ("response", None),
        ("para", None),
    ]
    assert blocks[1].lines == (
        "We note that a majority of your operations are conducted in Macao.",
    )
    assert blocks[3].lines[0].startswith("3. A numbered")


def test_no_text_gives_no_blocks() -> None:
    assert build_text_blocks(None) == []
    assert build_text_blocks("  \n\n ") == []


def test_marking_escapes_the_text_and_marks_words_phrases_and_prefixes() -> None:
    marker = build_marker(["Macao", "special administrative", "operat*"])
    text = "<script>alert(1)</script> operations in macao, a Special  Administrative region"
    marked = mark_terms(text, marker)
    assert isinstance(marked, Markup)
    assert "<script>" not in marked
    assert marked.startswith("&lt;script&gt;alert(1)&lt;/script&gt; ")
    assert "<mark>operations</mark>" in marked
    assert "<mark>macao</mark>" in marked
    assert "<mark>Special  Administrative</mark>" in marked


def test_marking_keeps_whole_words_and_plurals() -> None:
    marker = build_marker(["revenue"])
    marked = mark_terms("Revenues and prerevenue revenue", marker)
    assert marked == "<mark>Revenues</mark> and prerevenue <mark>revenue</mark>"


def test_without_terms_the_text_is_only_escaped() -> None:
    assert build_marker([]) is None
    assert build_marker(["*", '""']) is None
    assert mark_terms("<b>x</b>", None) == "&lt;b&gt;x&lt;/b&gt;"
    assert mark_terms(None, None) == ""


def test_blocks_are_marked_when_a_marker_is_given() -> None:
    blocks = build_text_blocks(PDF_TEXT, [1, 2], marker=build_marker(["Macao"]))
    comment = next(b for b in blocks if b.number == 1)
    assert "<mark>Macao</mark>" in comment.lines[0]
