"""The type of a letter, by transparent rules on its form and wording.

Staff letters (UPLOAD): ``no_review`` ("we have not reviewed and will not review"),
``review_complete`` ("we have completed our review"), else ``comment`` when the letter asks
anything (numbered comments, "please respond/tell us/provide"), else ``other``.
Company letters (CORRESP, DRSLTR): ``acceleration_request`` (Rule 461 / Section 12(d)
requests to accelerate effectiveness), ``extension_request`` (more time to respond),
``response`` (answers staff comments), else ``other`` (supplemental letters, withdrawals…).
Each rule reads the opening of the letter first, where the purpose is stated.
"""

from __future__ import annotations

import re

from indexer.normalize.letter import LetterType

__all__ = ["classify_letter"]

_OPENING = 2500

_NO_REVIEW = re.compile(
    r"(?:have\s+not\s+reviewed\s+and\s+will\s+not\s+review|will\s+not\s+(?:be\s+)?review(?:ed|ing)?"
    r"\s+(?:your|the)|do\s+not\s+intend\s+to\s+review|not\s+(?:be\s+)?subject\s+to\s+(?:a\s+)?review)",
    re.I,
)
_REVIEW_COMPLETE = re.compile(r"(?:have|has)\s+completed\s+(?:our|its|their|the)\s+review", re.I)
_ASKS = re.compile(
    r"\b(?:please\s+(?:respond|tell\s+us|provide|revise|explain|clarify|confirm|disclose|advise|"
    r"describe|quantify|expand|address)|we\s+have\s+the\s+following\s+comments?|"
    r"we\s+(?:may\s+)?(?:ask|request)\s+(?:that\s+)?you)\b",
    re.I,
)
_ACCELERATION = re.compile(
    r"(?:accelerat(?:e|ion)\s+(?:of\s+)?the\s+effective(?:ness)?|request(?:s|ed)?\s+(?:that\s+)?"
    r"(?:the\s+)?(?:effective\s+date|effectiveness)|be\s+declared\s+effective\s+(?:at|on|as\s+of)|"
    r"declare\s+(?:the\s+)?(?:above[- ](?:referenced|captioned)\s+)?registration\s+"
    r"statement[^.]{0,80}effective|rule\s+461|section\s+12\(d\)[^.]{0,80}rule\s+12d1-2)",
    re.I,
)
_EXTENSION = re.compile(
    r"(?:request(?:s|ing)?\s+(?:an?\s+)?(?:additional|extension|extended|further)[^.]{0,80}"
    r"(?:time|respon)|extension\s+of\s+(?:the\s+)?(?:time|deadline|date)|additional\s+time\s+to\s+"
    r"(?:respond|prepare|complete)|(?:expects?|intends?|anticipates?)\s+to\s+(?:furnish|provide|"
    r"submit|file)\s+(?:its|our|a|the)\s+response[^.]{0,60}(?:on\s+or\s+before|by|no\s+later)|"
    r"response\s+date\s+be\s+extended|respond\s+(?:to\s+the\s+comments?\s+)?(?:on\s+or\s+before|"
    r"no\s+later\s+than))",
    re.I,
)
_RESPONSE = re.compile(
    r"(?:in\s+response\s+to|responds?\s+to|response\s+to\s+the\s+(?:staff|comment)|"
    r"(?:set\s+forth|contained|included)\s+in\s+(?:the|your)\s+(?:staff'?s?\s+)?(?:comment\s+)?"
    r"letter|the\s+staff(?:'s|’s)?\s+comments?|the\s+comments?\s+(?:of|from)\s+the\s+staff|"
    r"comment\s+letter\s+dated|your\s+letter\s+dated)",
    re.I,
)


def classify_letter(text: str, *, form: str, comment_count: int) -> LetterType:
    """The letter's type from its form, its wording and how many numbered comments it has."""
    opening = text[:_OPENING]
    if form == "UPLOAD":
        return _staff_letter_type(text, opening, comment_count)
    return _company_letter_type(text, opening, comment_count)


def _staff_letter_type(text: str, opening: str, comment_count: int) -> LetterType:
    if _NO_REVIEW.search(opening):
        return LetterType.NO_REVIEW
    if _REVIEW_COMPLETE.search(opening) and comment_count == 0:
        return LetterType.REVIEW_COMPLETE
    if comment_count or _ASKS.search(text):
        return LetterType.COMMENT
    if _REVIEW_COMPLETE.search(text):
        return LetterType.REVIEW_COMPLETE
    return LetterType.OTHER


def _company_letter_type(text: str, opening: str, comment_count: int) -> LetterType:
    if comment_count == 0 and _ACCELERATION.search(opening):
        return LetterType.ACCELERATION_REQUEST
    if comment_count == 0 and _EXTENSION.search(opening):
        return LetterType.EXTENSION_REQUEST
    if comment_count or _RESPONSE.search(opening):
        return LetterType.RESPONSE
    if _ACCELERATION.search(text):
        return LetterType.ACCELERATION_REQUEST
    return LetterType.OTHER
