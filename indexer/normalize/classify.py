"""The type of a letter, by transparent rules on its form and wording.

Staff letters (UPLOAD): ``no_review`` ("we have not reviewed and will not review"),
``review_complete`` ("we have completed our review"), else ``comment`` when the letter asks
anything (numbered comments, "please respond/tell us/provide"), else ``other`` (a reminder
that comments are outstanding, a notice).

Company letters (CORRESP, DRSLTR) that restate no comment are sorted by what they are for,
read from their opening, where the purpose is stated; only ``response`` is an answer (a round
of the review):

- ``acceleration_request``: asks that a registration statement be declared effective (Rules
  460/461, Section 12(d)).
- ``withdrawal_request``: withdraws a filing, a registration statement or an earlier request
  (Rule 477).
- ``extension_request``: asks for, or confirms, more time, or only says when the answer will
  come ("will not be able to respond within ten business days … no later than October 6",
  "confirms … an extension for the Company to respond … until September 20", "to confirm the
  telephone conversation … we will respond by …"). A letter that only sets a date is short:
  the date-only reading needs a letter under ``_SHORT`` characters.
- ``response``: answers the staff ("in response to", "this responds to your letter", "the
  Company confirms that it will enhance its disclosures", answers to questions asked by
  telephone).
- ``supplemental``: furnishes material or information that answers no comment (Rule 418 or
  12b-4 cover letters, an IPO price-range or cheap-stock analysis offered in advance).
- ``other``: anything else (e.g. an Exxon Capital representation letter).

A company letter that restates numbered comments is a ``response``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from indexer.normalize.letter import LetterType

__all__ = ["classify_letter", "opens_review"]

_OPENING = 2500
_SHORT = 4000
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)

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
    r"(?:accelerat(?:e|ion)\s+(?:of\s+)?the\s+effective(?:ness)?|effectiveness\s+of\s+[^.]{0,120}?"
    r"be\s+accelerated|request(?:s|ed)?\s+(?:that\s+)?"
    r"(?:the\s+)?(?:effective\s+date|effectiveness)|be\s+(?:declared|made)\s+effective\s+"
    r"(?:at|on|as\s+of)|declare\s+(?:the\s+)?(?:above[- ](?:referenced|captioned)\s+)?registration"
    r"\s+statement[^.]{0,80}effective|rules?\s+(?:460\s+and\s+)?461|section\s+12\(d\)[^.]{0,80}"
    r"rule\s+12d1-2)",
    re.I,
)
_WITHDRAWAL = re.compile(
    r"(?:rule\s+477|request(?:s|ing)?\s+(?:the\s+)?(?:immediate\s+)?withdrawal|"
    r"(?:hereby\s+)?(?:respectfully\s+)?withdraws?\s+(?:its|our|the)\s+(?:(?:prior|previous|"
    r"earlier)\s+)?(?:request|letter|registration\s+statement|acceleration)|"
    r"request(?:s|ing)?\s+(?:that\s+)?(?:the\s+)?(?:commission|staff)\s+consent\s+to\s+the\s+"
    r"withdrawal)",
    re.I,
)
_EXTENSION = re.compile(
    r"(?:request(?:s|ed|ing)?\s+(?:an?\s+)?(?:\w+[\s-]+){0,4}?extension|extension\s+of\s+(?:the\s+)?"
    r"(?:original\s+)?(?:time|due\s+date|deadline|date|response\s+date|period)|extension\s+"
    r"(?:of\s+time\s+)?(?:for\s+(?:the\s+company|us|it)\s+)?to\s+(?:respond|reply|submit)|"
    r"(?:additional|more|further)\s+(?:time|(?:\w+\s+)?(?:business|calendar)\s+days)\s+"
    r"(?:until\s+[^.]{0,40}?)?(?:to|in\s+which\s+to)\s+(?:respond|reply|prepare|complete|submit|"
    r"provide|finalize)|(?:response|reply)\s+(?:date|deadline)\s+(?:be|to\s+be)\s+extended|"
    r"(?:not|unable)\s+(?:be\s+)?(?:possible|able)\s+(?:for\s+\w+\s+)?to\s+(?:respond|reply|"
    r"submit|provide|complete)[^.]{0,80}?within)",
    re.I,
)
_FUTURE_ANSWER = re.compile(
    r"\b(?:will|would|shall|intends?\s+to|expects?\s+to|plans?\s+to|anticipates?|is\s+preparing"
    r"\s+to)\s+(?:\w+\s+){0,3}?(?:respond|reply|(?:submit|provid|fil|deliver|send)\w*\b[^.]{0,160}?"
    r"\b(?:respon|reply|answer))",
    re.I,
)
_FUTURE_ANSWER_FIRST = re.compile(
    r"\b(?:its|our|the\s+company(?:['’]s)?|a)\s+(?:responses?|reply)\b[^.]{0,80}?\b"
    r"(?:will|would|shall)\s+be\s+(?:submitted|provided|filed|delivered|sent)",
    re.I,
)
_DEADLINE = re.compile(
    r"\b(?:no\s+later\s+than|on\s+or\s+before|on\s+or\s+about|by\s+(?:(?:the\s+end\s+of\s+)?"
    r"(?:\w+day,?\s+)?" + _MONTH + r"|(?:mid|early|late)[-\s]" + _MONTH + r"|\w+day\b)|"
    r"until\s+(?:\w+day,?\s+)?" + _MONTH + r"|within\s+(?:the\s+)?(?:next\s+)?\w+\s+"
    r"(?:\(\d+\)\s+)?(?:business|calendar)?\s*(?:days|weeks))",
    re.I,
)
_RESPONSE = re.compile(
    r"(?:in\s+response\s+to|responds?\s+to|response\s+to\s+the\s+(?:staff|comment)|"
    r"(?:set\s+forth|contained|included)\s+in\s+(?:the|your)\s+(?:staff'?s?\s+)?(?:comment\s+)?"
    r"letter|the\s+staff(?:'s|’s)?\s+comments?|\bcomments?\s+(?:of|from)\s+the\s+staff|"
    r"setting\s+forth\s+(?:the\s+)?comments|comment\s+letter\s+dated|your\s+letter\s+dated|"
    r"questions?\s+(?:that\s+)?(?:you|the\s+staff)\s+(?:asked|raised|posed))",
    re.I,
)
_ANSWERS = re.compile(
    r"(?:in\s+response\s+to\s+(?:the\s+)?(?:staff|your|comment|questions?|the\s+comment)|"
    r"\brespond(?:s|ing)?\s+to\s+(?:the\s+)?(?:questions?|comments?)|this\s+(?:letter\s+)?"
    r"responds?\s+to|(?:confirms?|agrees?)\s+(?:that\s+)?(?:it|we|the\s+company)\s+will\s+"
    r"(?:continue\s+to\s+)?(?:enhance|revise|expand|include|provide\s+(?:additional|enhanced|"
    r"expanded)|disclose|clarify)|as\s+requested\s+by\s+the\s+staff|(?:information|materials?|"
    r"analysis)\s+(?:that\s+)?(?:you|the\s+staff)\s+requested|requested\s+in\s+your\s+(?:\w+\s+){0,4}"
    r"letter|(?:information|materials?|analysis|disclosure)\s+requested\s+by\s+(?:the\s+)?staff|"
    r"(?:pursuant\s+to|following|further\s+to|as\s+discussed\s+(?:in|during))\s+(?:a|our|the|your)\s+"
    r"(?:\w+\s+){0,2}?(?:telephone|phone)\s+(?:conversation|call|discussion)s?\b[^.]{0,200}?\b"
    r"(?:confirm|advise|inform|provide|submit|enclose|respond)|(?:in\s+response\s+to|to\s+address)"
    r"\s+(?:an?\s+|the\s+)?oral\s+comments?)",
    re.I,
)
_SUPPLEMENTAL = re.compile(
    r"(?:supplementally\s+(?:provid|submit|furnish|send|deliver)|(?:submit|provid|furnish)"
    r"(?:s|es|ed|ing)?\s+(?:to\s+the\s+staff\s+)?(?:on\s+a\s+)?supplemental(?:ly|\s+basis)?|"
    r"supplemental\s+(?:letter|information|materials?|submission)\b|rule\s+418|rule\s+12b-4|"
    r"(?:under|pursuant\s+to)\s+separate\s+cover)",
    re.I,
)


_FIRST_ROUND = re.compile(
    r"\bwe\s+have\s+the\s+following\s+comments?\s+on\s+(?:your|the)\s+(?:\w+\s+){0,3}?"
    r"(?:filings?|registration\s+statement|statement|form|schedule|report)|"
    r"\bwe\s+have\s+(?:limited\s+our\s+review\s+of|reviewed|(?:selectively\s+)?reviewed)\s+"
    r"(?:your|the\s+above[- ](?:referenced|captioned)|the\s+referenced|the\s+captioned)\s+"
    r"(?:\w+\s+){0,3}?(?:filings?|registration\s+statement|(?:preliminary\s+|definitive\s+)?"
    r"(?:proxy|information)\s+statement|annual\s+report|quarterly\s+report|current\s+report|"
    r"form|schedule|soliciting\s+materials?|offering\s+statement|amendment|submission|"
    r"documents?)",
    re.I,
)
_REFERS_BACK = re.compile(
    r"\b(?:(?:prior|previous|earlier)\s+comments?|your\s+(?:\w+\s+){0,4}?(?:letter|response|"
    r"correspondence)s?\s+(?:dated|of|filed|submitted)|our\s+(?:\w+\s+){0,4}?(?:comment\s+)?"
    r"letters?\s+(?:dated|of)|comments?\s+(?:in|from)\s+our\s+(?:\w+\s+){0,5}?letter|"
    r"(?:reviewed|considered)\s+your\s+(?:\w+\s+){0,4}?(?:response|letter|correspondence)|"
    r"in\s+response\s+to\s+(?:our|prior)|your\s+responses?\s+to\s+(?:our|prior|previous))",
    re.I,
)


def opens_review(text: str) -> bool:
    """Whether a staff comment letter starts a review: first-round words ("We have reviewed
    your filing and have the following comments") and no reference to an earlier letter or
    comment in its opening."""
    opening = text[:_OPENING]
    first = _FIRST_ROUND.search(opening)
    if first is None or "amend" in first.group(0).lower():
        return False  # "your amended registration statement": a later round
    return _REFERS_BACK.search(opening) is None


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
    if comment_count:
        return LetterType.RESPONSE
    rules: tuple[tuple[Callable[[], bool], LetterType], ...] = (
        (lambda: _asks_for_effectiveness(opening), LetterType.ACCELERATION_REQUEST),
        (lambda: _WITHDRAWAL.search(opening) is not None, LetterType.WITHDRAWAL_REQUEST),
        (lambda: _asks_for_time(text, opening), LetterType.EXTENSION_REQUEST),
        (lambda: _ANSWERS.search(opening) is not None, LetterType.RESPONSE),
        (lambda: _SUPPLEMENTAL.search(opening) is not None, LetterType.SUPPLEMENTAL),
        (lambda: _RESPONSE.search(opening) is not None, LetterType.RESPONSE),
        (lambda: _ACCELERATION.search(text) is not None, LetterType.ACCELERATION_REQUEST),
    )
    for holds, letter_type in rules:  # in order, each tested only when reached (searches)
        if holds():
            return letter_type
    return LetterType.OTHER


def _asks_for_effectiveness(opening: str) -> bool:
    """An acceleration request; withdrawing one ("withdraws its request for acceleration") is
    not, unless another sentence asks for effectiveness again."""
    return any(
        _ACCELERATION.search(sentence) and "withdraw" not in sentence.lower()
        for sentence in re.split(r"(?<=[.;])\s+", opening)
    )


def _asks_for_time(text: str, opening: str) -> bool:
    """More time asked for or granted, or only a date for the answer given."""
    if _EXTENSION.search(opening):
        return True
    if len(text) > _SHORT:
        return False
    for sentence in re.split(r"(?<=[.;])\s+", opening):
        future = _FUTURE_ANSWER.search(sentence) or _FUTURE_ANSWER_FIRST.search(sentence)
        if future and _DEADLINE.search(sentence):
            return True
    return False
