"""Generated letters for the extraction, normalizer and threader fuzzers, with their oracle.

``random_html`` builds an HTML letter from random blocks, inline elements, table cells,
entities and non-ASCII words (UTF-8 or cp1252 bytes), plus scripts, styles, comments, image
alt text and a head: the words that must come out and the markers that must not.
``random_staff_letter`` writes a staff comment letter (date, Re: block, numbered comments
wrapped at 80 columns, closing boilerplate) and returns each comment's text.
``random_letters`` makes normalized ``Letter`` records for one or two companies with
overlapping file numbers, reviewed filings, citations and dates, for the threader.
"""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta

from indexer.normalize.letter import CitedDate, Comment, Letter, LetterType, ReviewedFiling

__all__ = [
    "GeneratedHtml",
    "GeneratedStaffLetter",
    "random_html",
    "random_letters",
    "random_staff_letter",
]

_WORDS = (
    "revenue",
    "segment",
    "disclosure",
    "goodwill",
    "impairment",
    "liquidity",
    "customers",
    "contracts",
    "recognition",
    "quarterly",
    "operating",
    "results",
    "material",
    "estimates",
)
_ACCENTED = ("caf\u00e9", "\u00fcber", "se\u00f1or", "stra\u00dfe")
_BLOCKS = ("p", "div", "li", "h2", "td", "blockquote", "center")
_INLINE = ("span", "b", "i", "font", "a", "u", "em", "strong")


@dataclass(frozen=True, slots=True)
class GeneratedHtml:
    data: bytes
    visible: tuple[str, ...]
    """Words the extracted text must contain."""
    hidden: tuple[str, ...]
    """Markers inside scripts, styles, comments, the head and alt text: never extracted."""


def random_html(rng: random.Random) -> GeneratedHtml:
    """An HTML letter with known visible words and hidden markers."""
    visible: list[str] = []
    hidden: list[str] = []
    cp1252 = rng.random() < 0.3

    def words() -> str:
        chosen = []
        for _ in range(rng.randint(1, 8)):
            roll = rng.random()
            if roll < 0.1:
                chosen.append("&lt;b&gt;")
                visible.append("<b>")
            elif roll < 0.2:
                word = rng.choice(_ACCENTED)
                chosen.append(word)
                visible.append(word)
            else:
                word = rng.choice(_WORDS) + str(rng.randint(0, 99))
                chosen.append(word)
                visible.append(word)
        return " " + " ".join(chosen) + " "

    def marker(kind: str) -> str:
        hidden.append(f"HIDDEN{kind}{len(hidden)}X")
        return hidden[-1]

    def element(depth: int) -> str:
        roll = rng.random()
        if depth > 3 or roll < 0.35:
            return words()
        if roll < 0.42:
            return f"<script>var {marker('script')} = '<p>';</script>"
        if roll < 0.47:
            return f"<style>.{marker('style')} {{ color: red }}</style>"
        if roll < 0.52:
            return f"<!-- {marker('comment')} -->"
        if roll < 0.56:
            return f'<img src="logo.gif" alt="{marker("alt")}">'
        if roll < 0.6:
            return "<br>" + words()
        tag = rng.choice(_BLOCKS if roll < 0.8 else _INLINE)
        inner = "".join(element(depth + 1) for _ in range(rng.randint(1, 3)))
        if tag == "td":
            return f"<table><tr><td>{inner}</td><td>{words()}</td></tr></table>"
        if tag == "li":
            return f"<ul><li>{inner}</li></ul>"
        return f"<{tag}>{inner}</{tag}>"

    body = "".join(element(0) for _ in range(rng.randint(1, 8)))
    charset = "" if cp1252 else '<meta charset="utf-8">'
    html = f"<html><head>{charset}<title>{marker('title')}</title></head><body>{body}</body></html>"
    data = html.encode("cp1252" if cp1252 else "utf-8")
    return GeneratedHtml(data, tuple(visible), tuple(hidden))


@dataclass(frozen=True, slots=True)
class GeneratedStaffLetter:
    text: str
    letter_date: date
    file_number: str
    comments: tuple[str, ...]
    """Each comment's text with its whitespace collapsed."""


def _sentence(rng: random.Random) -> str:
    middle = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 25)))
    return f"{rng.choice(('We note your', 'You state that the', 'It appears that'))} {middle}."


def random_staff_letter(rng: random.Random) -> GeneratedStaffLetter:
    """A staff comment letter laid out like SEC's text extract."""
    letter_date = date(2005, 1, 3) + timedelta(days=rng.randint(0, 7000))
    file_number = f"001-{rng.randint(10000, 99999)}"
    comments = []
    blocks = []
    for number in range(1, rng.randint(1, 9) + 1):
        paragraphs = [
            " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
            for _ in range(rng.randint(1, 2))
        ]
        paragraphs[-1] += " Please revise your disclosure accordingly."
        comments.append(" ".join(" ".join(paragraphs).split()))
        if rng.random() < 0.4:
            blocks.append(f"{rng.choice(_WORDS).title()} {rng.choice(_WORDS)}, page {number + 10}")
        first = textwrap.fill(f"{number}. {paragraphs[0]}", 79)
        blocks.extend([first, *(textwrap.fill(p, 79) for p in paragraphs[1:])])
    text = "\n\n".join(
        [
            f"{letter_date:%B} {letter_date.day}, {letter_date.year}",
            "Jane Doe\nChief Financial Officer\nAcme Holdings, Inc.\n1 Main Street\n"
            "Anytown, CA 95014",
            "Re: Acme Holdings, Inc.\nForm 10-K for the Fiscal Year Ended December 31, 2023\n"
            f"Filed February 27, 2024\nFile No. {file_number}",
            "Dear Jane Doe:",
            textwrap.fill(
                "We have reviewed your filing and have the following comments. Please respond"
                " to this letter within ten business days.",
                79,
            ),
            *blocks,
            textwrap.fill(
                "We remind you that the company and its management are responsible for the"
                " accuracy and adequacy of their disclosures.",
                79,
            ),
            "Sincerely,",
            "Division of Corporation Finance\nOffice of Technology",
        ]
    )
    return GeneratedStaffLetter(text, letter_date, file_number, tuple(comments))


_TYPES = tuple(LetterType)


def random_letters(rng: random.Random) -> list[Letter]:
    """Two to twenty-five letters of one or two companies that share identifiers."""
    ciks = ("0000320193", "0000789019")
    numbers = ("001-36743", "333-123456", "377-00001", "000-12345")
    filings = (
        ReviewedFiling("10-K", date(2023, 12, 31), date(2024, 2, 1)),
        ReviewedFiling("S-1", None, date(2024, 3, 1)),
        ReviewedFiling("DRS", None, None),
        ReviewedFiling(None, None, None, "0000320193-24-000001"),
    )
    first = date(2024, 1, 1)
    letters = []
    for index in range(rng.randint(2, 25)):
        sender = rng.choice(("sec", "company"))
        day = first + timedelta(days=rng.randint(0, 400)) if rng.random() < 0.9 else None
        comments = tuple(
            Comment(number, None, "We note.") for number in range(1, rng.randint(0, 4) + 1)
        )
        letters.append(
            Letter(
                accession=f"{rng.choice((0, 320193)):010d}-24-{index:06d}",
                form="UPLOAD" if sender == "sec" else "CORRESP",
                sender=sender,
                filing_date=day,
                letter_date=day if rng.random() < 0.7 else None,
                ciks=(rng.choice(ciks),) if rng.random() < 0.9 else (),
                company=rng.choice(("Acme", "Globex", None)),
                letter_type=rng.choice(_TYPES),
                file_numbers=tuple(rng.sample(numbers, rng.randint(0, 2))),
                reviewed_filings=tuple(rng.sample(filings, rng.randint(0, 2))),
                cited_dates=tuple(
                    CitedDate(first + timedelta(days=rng.randint(0, 400)), kind)
                    for kind in rng.sample(("staff_letter", "response"), rng.randint(0, 2))
                ),
                comments=comments,
                staff=(),
                office=None,
                topics=(),
                text_source="plain",
                text="",
                warnings=(),
                released_on=None,
                cik_reference=rng.choice((None, None, "0001234567")),
            )
        )
    return letters
