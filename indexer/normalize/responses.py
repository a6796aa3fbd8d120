"""Company responses: each restated staff comment paired with the company's answer.

``parse_response(blocks, body, warnings, restating=...)`` reads the blocks of a company
letter (CORRESP). When the letter labels its answers ("Response:", "Company Response:",
"Response to Comment No. 1", "RESPONSE"), each label is paired with the restated comment
above it: numbered, "Comment 1:", "Comment No. 1", "Staff's comment:", or unnumbered (the
blocks after the last caption, else the paragraph just above the label); a second label
inside one response continues that response. Without labels, a numbered item that opens in
the staff's voice ("We note…", "Please…") is split into the restatement and the answer that
follows it; one that opens in the company's voice ("The Company has revised…") is an answer
with ``text=""``. Numbering may start above 1 (a response to selected comments).
``mentions_restated`` tells whether a letter says that it restates the staff's comments.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from indexer.normalize.comment_blocks import Block
from indexer.normalize.comment_lines import BULLET, COMMENT_LABEL, label_like, response_label
from indexer.normalize.comment_segments import (
    STAFF_VOICE,
    Start,
    choose_sequence,
    collect,
    collect_range,
    heading_before,
    is_closing,
    numbered_starts,
    strip_label,
    warn_gaps,
)
from indexer.normalize.letter import Comment

__all__ = ["mentions_restated", "parse_response"]


# --- patterns (all anchored and bounded) --------------------------------------------------

_COMPANY_VOICE = re.compile(
    r"^[\"“]?(?:.{0,60}?\bthe\s+Staff\b|The\s+(?:Company|Registrant|Partnership|Trust|Bank|Corporation|Fund)\b|"
    r"We\s+(?:have(?!\s+(?:read|reviewed|considered|been\s+unable))|will|respectfully|acknowledge(?!\s+your)|confirm|"
    r"believe(?!\s+(?:that\s+)?you)|agree|advise|do|are|did|"
    r"understand|supplementally|note\s+the\s+Staff|appreciate|hereby|intend|propose|"
    r"considered|would|recognize|concluded|present|record|report|exclude|revised)|"
    r"In\s+response|As\s+(?:requested|noted|discussed|described|disclosed|previously)|Our\s|"
    r"Management|[A-Z][\w&.’'-]{1,30}\s+(?:respectfully|acknowledges|confirms|advises|believes|"
    r"will|has|notes|agrees)\b)"
)

_MENTIONS_RESTATED = re.compile(
    r"(?=[rsc])(?:(?:restated|reproduced|repeated|set\s+forth|reprinted|recited)\s.{0,80}comments?"
    r"|comments?\s.{0,60}(?:restated|reproduced|repeated|set\s+forth|in\s+(?:bold|italics)))",
    re.I,
)
"""The lookahead rejects at once a position where neither alternative can start: ``re``
entered every one of their words at every position."""


def parse_response(
    blocks: list[Block], body: int, warnings: list[str], *, restating: bool
) -> list[Comment]:
    """The restated comments of a company letter, each with the answer: paired by
    "Response:" labels when the letter has them, else split by voice."""
    labels = [i for i in range(body, len(blocks)) if response_label(blocks[i].first)]
    if labels:
        return _pair_with_labels(blocks, body, labels, warnings, restating=restating)
    starts = _company_starts(blocks, body)
    chosen = choose_sequence(starts, first_expected=None)
    warn_gaps(chosen, warnings, from_one=False)
    comments: list[Comment] = []
    heading: str | None = None
    begin = body
    for position, start in enumerate(chosen):
        end = chosen[position + 1].block if position + 1 < len(chosen) else len(blocks)
        heading = heading_before(
            blocks, begin, start.block, heading, first=not position, on_caption=start.on_caption
        )
        text, response = _split_unlabelled(blocks, start, end, restating=restating)
        comments.append(
            Comment(
                number=start.number or position + 1, heading=heading, text=text, response=response
            )
        )
        begin = start.block + 1
    return comments


def _company_starts(blocks: list[Block], body: int) -> list[Start]:
    """Numbered starts and "Comment N" labels; a label and the number or captions printed
    right after it make one start (placed on the last of them, so the text follows)."""
    by_block: dict[int, Start] = {}
    previous: Start | None = None
    for start in numbered_starts(blocks, body):
        if previous and previous.number == start.number and start.block - previous.block == 1:
            if not previous.rest:
                del by_block[previous.block]
                by_block[start.block] = start
                previous = start
            continue
        by_block[start.block] = start
        previous = start
    for index in range(body, len(blocks)):
        line = blocks[index].first
        match = COMMENT_LABEL.match(line)
        if not match or not label_like(line) or not match.group("num"):
            continue
        number = int(match.group("num"))
        rest = (match.group("rest") or "").strip()
        position = index
        while not rest and position + 1 < len(blocks) and blocks[position + 1].caption:
            if position - index >= 3:
                break
            position += 1
        window = (by_block.get(i) for i in range(index, position + 2))
        if any(s is not None and s.number == number for s in window):
            continue  # the number printed under the label starts the comment
        by_block.pop(index, None)
        by_block[position] = Start(
            position, number, rest if position == index else "", on_caption=position > index
        )
    return [by_block[i] for i in sorted(by_block)]


def _pair_with_labels(
    blocks: list[Block], body: int, labels: list[int], warnings: list[str], *, restating: bool
) -> list[Comment]:
    starts = _company_starts(blocks, body)
    positions = [s.block for s in starts]
    unnumbered = [
        i
        for i in range(body, len(blocks))
        if (caption := COMMENT_LABEL.match(blocks[i].first))
        and label_like(blocks[i].first)
        and not caption.group("num")
    ]
    pairs: list[tuple[Start, int | None]] = []
    previous_number = 0
    previous_end = body
    for label in labels:
        label_match = response_label(blocks[label].first)
        label_number = (
            int(label_match.group("num")) if label_match and label_match.group("num") else None
        )
        gap = starts[bisect_left(positions, previous_end) : bisect_left(positions, label)]
        start = _pick_in_gap(gap, previous_number, label_number)
        if start is None:
            found = bisect_left(unnumbered, previous_end)
            marker = unnumbered[found] if found < len(unnumbered) else None
            marker = marker if marker is not None and marker < label else None
            if marker is not None:
                number = label_number or previous_number + 1
                caption = COMMENT_LABEL.match(blocks[marker].first)
                rest = caption.group("rest").strip() if caption else ""
                start = Start(marker, number, rest)
        if start is None and pairs and not _has_caption_between(blocks, previous_end, label):
            previous_end = label + 1
            continue  # a second answer label inside one response
        if start is None:
            first = _restated_without_marker(blocks, previous_end, label)
            if first is None:
                previous_end = label + 1
                continue
            start = Start(first, label_number or previous_number + 1, blocks[first].first)
        pairs.append((start, label))
        previous_number = start.number or previous_number + 1
        previous_end = label + 1
    return _comments_from_pairs(
        blocks, body, _with_unlabelled(blocks, starts, pairs, restating=restating), warnings
    )


def _with_unlabelled(
    blocks: list[Block],
    starts: list[Start],
    pairs: list[tuple[Start, int | None]],
    *,
    restating: bool,
) -> list[tuple[Start, int | None]]:
    """``pairs`` with the restated comments that have no answer label of their own (a letter
    that labels the first answers and not the last): a numbered start after an answer that
    continues the numbering and opens like a restated comment. A list numbered from 1 inside
    the answer is not one."""
    items: list[tuple[Start, int | None]] = []
    for position, (start, label) in enumerate(pairs):
        items.append((start, label))
        if label is None:
            continue
        end = pairs[position + 1][0].block if position + 1 < len(pairs) else len(blocks)
        number = start.number or 0
        for candidate in starts:
            if not label < candidate.block < end:
                continue
            if candidate.number == 1:
                break  # a list of the answer's own
            if candidate.number == number + 1 and candidate.strong:
                opening = strip_label(candidate.rest or _first_after(blocks, candidate))
                company = _COMPANY_VOICE.match(opening)
                if not company and (restating or STAFF_VOICE.match(opening)):
                    items.append((candidate, None))
                    number += 1
    return items


def _first_after(blocks: list[Block], start: Start) -> str:
    return blocks[start.block + 1].first if start.block + 1 < len(blocks) else ""


def _pick_in_gap(gap: list[Start], previous: int, label_number: int | None) -> Start | None:
    if not gap:
        return None
    wanted = label_number or previous + 1
    last_wanted = max((i for i, s in enumerate(gap) if s.number == wanted), default=-1)
    run_next: int | None = None
    for position, start in enumerate(gap):
        if start.number == wanted and start.strong:
            if run_next is not None and start.number == run_next and last_wanted > position:
                run_next += 1
                continue
            return start
        if start.number == 1 and wanted != 1:
            run_next = 2
        elif run_next is not None and start.number == run_next:
            run_next += 1
    later = [s for s in gap if s.number is not None and s.number > previous and s.strong]
    return later[0] if later else None


def _has_caption_between(blocks: list[Block], begin: int, end: int) -> bool:
    return any(blocks[i].caption for i in range(begin, end))


def _restated_without_marker(blocks: list[Block], begin: int, label: int) -> int | None:
    """First block of a restated comment that has no number: after the last caption, else
    the paragraph just above the response label (with the paragraph introducing bullets)."""
    for index in range(label - 1, begin - 1, -1):
        if blocks[index].caption:
            return index + 1 if index + 1 < label else None
    if label - 1 < begin:
        return None
    index = label - 1
    while index - 1 >= begin and (
        BULLET.match(blocks[index].first) or blocks[index - 1].lines[-1].endswith(":")
    ):
        index -= 1
    return index


def _comments_from_pairs(
    blocks: list[Block], body: int, pairs: list[tuple[Start, int | None]], warnings: list[str]
) -> list[Comment]:
    comments: list[Comment] = []
    heading: str | None = None
    begin = body
    previous = 0
    for position, (start, label) in enumerate(pairs):
        heading = heading_before(
            blocks, begin, start.block, heading, first=not position, on_caption=start.on_caption
        )
        end = pairs[position + 1][0].block if position + 1 < len(pairs) else len(blocks)
        number = start.number or previous + 1
        if label is None:
            text, response = _split_unlabelled(blocks, start, end, restating=True)
            comments.append(Comment(number=number, heading=heading, text=text, response=response))
            previous = number
            begin = start.block + 1
            continue
        text = collect(blocks, start, label) if start.block < label else ""
        label_match = response_label(blocks[label].first)
        rest = label_match.group("rest").strip() if label_match else ""
        response = collect(blocks, Start(label, None, rest), end, answer=True)
        if number <= previous:
            warnings.append(f"comment numbering goes back from {previous} to {number}")
        comments.append(Comment(number=number, heading=heading, text=text, response=response))
        previous = number
        begin = label + 1
    return comments


def _split_unlabelled(
    blocks: list[Block], start: Start, end: int, *, restating: bool
) -> tuple[str, str | None]:
    """A numbered item without a response label: restated comment + answer, or answer only.

    The item restates a comment when it opens in the staff's voice ("We note…", "Please…"),
    or, in a letter that says it restates the comments, when it does not open in the
    company's ("The Company…", "We have revised…")."""
    stop = end
    for index in range(start.block + 1, end):
        if is_closing(blocks, index):
            stop = index
            break
    first_index = start.block if start.rest else start.block + 1
    if first_index >= stop:
        return "", None
    opening = start.rest if start.rest else blocks[first_index].first
    opening = strip_label(opening)
    staff = STAFF_VOICE.match(opening) and not _COMPANY_VOICE.match(opening)
    if not (staff or (restating and not _COMPANY_VOICE.match(opening))):
        if not _COMPANY_VOICE.match(opening):
            # "From the narrative … Either revise or advise." then "In response to the
            # Staff's comment, …": the restatement ends where the company starts to speak.
            answer_at = next(
                (i for i in range(first_index + 1, stop) if _COMPANY_VOICE.match(blocks[i].first)),
                None,
            )
            if answer_at is not None:
                return collect(blocks, start, answer_at), collect_range(blocks, answer_at, end)
        whole = collect(blocks, start, end, answer=True)
        return "", whole or None
    split = first_index + 1
    in_list = False
    while split < stop:
        line = blocks[split].first
        if BULLET.match(line) and (in_list or blocks[split - 1].lines[-1].endswith(":")):
            in_list = True
            lone = len(blocks[split].lines) == 1 and re.fullmatch(r"[•●▪◦·\-–—*]", line)
            split += 2 if lone else 1
        elif STAFF_VOICE.match(line) and not _COMPANY_VOICE.match(line):
            split += 1
        else:
            break
    split = min(split, stop)
    text = collect(blocks, start, split)
    response = collect_range(blocks, split, end) if split < stop else ""
    return text, response or None


def mentions_restated(text: str) -> bool:
    """Whether the letter says that it restates (reproduces, sets forth …) the comments."""
    return bool(_MENTIONS_RESTATED.search(text[:8000]))
