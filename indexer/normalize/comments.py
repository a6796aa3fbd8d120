"""Numbered-comment segmentation: staff comments and the company's answers to them.

``parse_comments(text, sender=...)`` takes CLEANED letter text (``clean_text``: paragraphs
separated by a blank line, lines by ``\n``) and returns a ``CommentParse``: the comments in
order and warnings about what looked wrong. ``sender`` is ``"sec"`` (UPLOAD) or
``"company"`` (CORRESP); any other value is read as a staff letter. Pure: no I/O, bounded
regular expressions, linear in the text, never raises on odd input (text beyond 1,000,000
characters is ignored, with a warning); its optional ``timings`` only read the clock, for the
benchmark.

This module owns the public API and the reading of staff letters. The rest of the work is
done by ``comment_lines`` (what one line is: a comment number, a label, a caption),
``comment_blocks`` (layout repair, splitting the text into blocks), ``comment_segments``
(comment starts and numbering, closing boilerplate, headings, comment text, shared by both
kinds of letter) and ``responses`` (company letters).

Layout repair (``comment_blocks``), before anything else: page headers (addressee lines
and the letter date repeated on every page, mail-merge residue, "Page N", one-line headers
of responses), stand-alone page numbers and response letterheads are dropped; a paragraph
split by a page break is rejoined; a comment number that a PDF text layer printed after the
comment's first lines is put back at the comment's start; text extracted without paragraphs
is re-broken at inline comment numbers and "Response:" labels.

Staff letters (``sender="sec"``)
    A comment starts at a block (a paragraph, or the part of one that begins at a numbered
    line) opening with its number: ``1.``, ``1)``, ``1 .``, the number alone followed by
    the text, or a number behind mail-merge residue ("Tony Xu 10. We note …"). Numbers
    must follow the expected sequence (previous + 1): a number that restarts at 1 inside a
    comment opens a nested list whose items are not comments; a numbered caption of the
    filing ("2. Income Taxes, page F-20") is a caption when the same number follows; a gap
    of one or two numbers is accepted with the warning "comment numbering skips from N to
    M". A comment's text runs to the next comment or to the closing boilerplate ("We
    remind you that the company…", "You may contact…", "Please contact…", "In closing…",
    "We urge all persons…", "Sincerely,", "cc:", the Tandy acknowledgement), leaving out
    the captions that head the next comment; wrapped lines are joined, paragraphs are kept
    as "\n\n" and bullet or lettered items start a new line.
Headings (``comment_segments``)
    A caption is a short block that is not a sentence, or one that ends in "page N". The
    heading is the nearest caption above the comment, as printed: when captions stack
    ("Form 10-K …" / "Item 7. …" / "Segment Adjusted Property EBITDA, page 51") the last,
    most specific one is used, not a " / " join, because it names the passage the comment
    is about and matches how reviewers cite comments. A comment with no caption of its own
    inherits the previous heading; the first comment may find its caption above one or two
    introductory paragraphs. None when there is no caption.
Company letters (``sender="company"``, ``responses``)
    Each restated comment (numbered, "Comment 1:", "Comment No. 1", "Staff's comment:", or
    unnumbered before a "Response:" label) becomes one ``Comment``: ``text`` is the restated
    comment and ``response`` the company's answer, up to the next restated comment or the
    closing ("* * *", "Sincerely", "If you have any questions", "Please do not hesitate…").
    Without "Response" labels, a numbered item that opens in the staff's voice ("We note…",
    "Please…") is split into the restatement and the answer that follows it; one that opens
    in the company's voice ("The Company has revised…") is an answer with ``text=""``.
    Numbering may start above 1 (a response to selected comments).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from indexer.normalize.comment_blocks import Block, body_start, letter_blocks, reflow
from indexer.normalize.comment_segments import (
    choose_sequence,
    collect,
    heading_before,
    numbered_starts,
    warn_gaps,
)
from indexer.normalize.letter import Comment
from indexer.normalize.responses import mentions_restated, parse_response

__all__ = ["CommentParse", "parse_comments"]


_MAX_TEXT_CHARS = 1_000_000


@dataclass(frozen=True, slots=True)
class CommentParse:
    """The comments found in one letter, and what looked wrong while finding them."""

    comments: tuple[Comment, ...]
    warnings: tuple[str, ...]


# --- patterns (all anchored and bounded) --------------------------------------------------

_ASKS_RESPONSE = re.compile(
    r"following\s+comments?|respond\s+to\s+(?:these|this|our|the)\s+(?:comments?|letter)", re.I
)
_ASKS_QUESTION = re.compile(
    r"\b[Pp]lease\s+(?:advise|tell\s+us|explain|provide|describe|clarify|revise|disclose|confirm)\b"
)


def parse_comments(
    text: str, *, sender: str, timings: dict[str, float] | None = None
) -> CommentParse:
    """The numbered comments of a staff letter, or the restated comments of a response.

    ``timings``, when given, gets seconds added under "comment layout" (the blocks, page
    layout repaired), then "staff comments" or "answers" (the comments found in them).
    """
    warnings: list[str] = []
    if not text.strip():
        return CommentParse((), ())
    if len(text) > _MAX_TEXT_CHARS:
        text = text[:_MAX_TEXT_CHARS]
        warnings.append(f"text truncated to {_MAX_TEXT_CHARS} characters for comment parsing")
    started = time.perf_counter()
    text = reflow(text)
    blocks = letter_blocks(text, company=sender == "company")
    body = body_start(blocks)
    laid_out = time.perf_counter()
    if sender == "company":
        restating = mentions_restated(text)
        comments = parse_response(blocks, body, warnings, restating=restating)
        if not comments and restating:
            warnings.append("no restated comments found in a letter that restates comments")
    else:
        comments = _parse_staff(blocks, body, warnings)
        if not comments and (_ASKS_RESPONSE.search(text[:6000]) or _ASKS_QUESTION.search(text)):
            warnings.append("no numbered comments found")
    if timings is not None:
        found = "answers" if sender == "company" else "staff comments"
        for step, seconds in (
            ("comment layout", laid_out - started),
            (found, time.perf_counter() - laid_out),
        ):
            timings[step] = timings.get(step, 0.0) + seconds
    return CommentParse(tuple(comments), tuple(warnings))


def _parse_staff(blocks: list[Block], body: int, warnings: list[str]) -> list[Comment]:
    """The numbered comments of a staff letter, in the sequence that starts at 1."""
    starts = numbered_starts(blocks, body)
    chosen = choose_sequence(starts, first_expected=1)
    warn_gaps(chosen, warnings)
    comments: list[Comment] = []
    heading: str | None = None
    for position, start in enumerate(chosen):
        end = chosen[position + 1].block if position + 1 < len(chosen) else len(blocks)
        heading = heading_before(blocks, body, start.block, heading, first=not position)
        parts = collect(blocks, start, end)
        if start.number is not None:
            comments.append(Comment(number=start.number, heading=heading, text=parts))
        body = start.block + 1
    return comments
