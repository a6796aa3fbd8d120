"""Words that fill any English business letter: a text layer that has few of them is garbage.

A PDF's text layer can exist and still be unreadable (a font without a usable encoding gives
"Ghdu Pu1 Vplwk" for "Dear Mr. Smith"). Ordinary English prose, whatever its subject, is
about half made of a few hundred function and common words; SEC letters add their own
vocabulary. ``common_share`` measures how much of a text is made of them.
"""

from __future__ import annotations

import re

__all__ = ["COMMON_WORDS", "common_share"]

_WORDS = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    me more most my no nor not now of off on once only or other our ours out over own same she
    should so some such than that the their theirs them then there these they this those
    through to too under until up upon very was we were what when where which while who whom
    why will with within without would you your yours one two three four five six seven eight
    nine ten first second new may must shall however therefore whether since although also well
    like made make including include provide provided please note noted tell us revise revised
    disclose disclosure disclosures explain describe discuss consider identify clarify confirm
    advise believe company companies comment comments response responses respond staff
    commission letter filing filings form report annual quarterly year years period ended
    fiscal financial statement statements page pages information future related based result
    results operations business management discussion analysis accounting policy policies
    amount amounts total net income revenue revenues cash assets liabilities stock common
    shares securities exchange act rule section item items registration dated date filed file
    number review reviewed office division corporation finance sincerely dear mr ms regarding
    respect certain additional material materially significant such other appropriate
    applicable required requirements may might also used use uses using sales costs cost
    expenses expense value fair reporting segment segments risk risks
"""
COMMON_WORDS = frozenset(re.findall(r"[a-z]+", _WORDS))
_WORD = re.compile(r"[A-Za-z]{2,}")


def common_share(text: str) -> tuple[float, int]:
    """The share of ``text``'s words that are common words, and how many words it has."""
    words = _WORD.findall(text)
    if not words:
        return 0.0, 0
    common = sum(map(COMMON_WORDS.__contains__, map(str.lower, words)))
    return common / len(words), len(words)
