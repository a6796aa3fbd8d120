"""The SEC staff and the Corporation Finance office a letter names. Pure functions.

``find_staff`` reads a staff letter's contact sentences ("You may contact Frank Knapp, Staff
Accountant at (202) 551-3805 or …", "Please contact me at …") and its signature block
("/s/ Cecilia Blye" over "Cecilia Blye, Chief / Office of Global Security Risk"). A contact
counts only when it comes with an SEC telephone number (area code 202, exchange 551), so company
officers and counsel in a company letter are never taken for staff; "me" and "the undersigned"
are the signing official. The addressee, mail-merge residue around "Sincerely," and ``cc:``
lists are never read. Phones are normalized to ``(202) 551-3805`` whatever the printed form
(``202-551-3805``, ``202.551.3805``, ``(2 02) 551 - 380 5``); names and titles are repaired
when PDF extraction split a word (``Dan iel`` -> ``Daniel``, ``Sen ior`` -> ``Senior``).
A title is kept only when made of staff-title words ("Staff Accountant", "Legal Branch Chief",
"Petroleum Engineer"), singular, with ``Attorney-Advisor`` spelled one way; a plural title
before names ("Senior Staff Accountants A and B") applies to each of them.

``find_office`` returns the office as printed (``raw``) and its canonical name from
``OFFICES``, which covers every era of ``letters.md`` §8: the pre-September-2019 offices, the
seven of 2019, Industrial Applications and Services and Crypto Assets (2022) and the special
offices. Canonical names drop "Office of" and spell "&"/"and" as SEC does today for the current
offices (``Energy & Transportation``) and as the old signatures did for the old ones
(``Information Technologies and Services``). The signature office wins; otherwise the first
office of the address block (company letters), then any other known office. An office printed
next to "Division of Corporation Finance" that is not in the table keeps ``canonical=None``.
"""

from __future__ import annotations

import re

from indexer.normalize.letter import Office, StaffMember

__all__ = ["OFFICES", "find_office", "find_staff"]

OFFICES: dict[str, tuple[str, ...]] = {
    # from September 2019 (and later additions)
    "Technology": ("Technology",),
    "Finance": ("Finance",),
    "Manufacturing": ("Manufacturing",),
    "Energy & Transportation": ("Energy & Transportation",),
    "Real Estate & Construction": ("Real Estate & Construction",),
    "Trade & Services": ("Trade & Services",),
    "Life Sciences": ("Life Sciences",),
    "Industrial Applications and Services": ("Industrial Applications and Services",),
    "Crypto Assets": ("Crypto Assets",),
    # special offices
    "Mergers & Acquisitions": ("Mergers & Acquisitions",),
    "Global Security Risk": ("Global Security Risk",),
    "International Corporate Finance": ("International Corporate Finance",),
    "Structured Finance": ("Structured Finance",),
    "Disclosure Review Program": ("Disclosure Review Program",),
    # to September 2019
    "Healthcare & Insurance": ("Healthcare & Insurance", "Health Care & Insurance"),
    "Information Technologies and Services": (
        "Information Technologies and Services",
        "Information Technology and Services",
    ),
    "Transportation and Leisure": ("Transportation and Leisure",),
    "Manufacturing and Construction": ("Manufacturing and Construction",),
    "Financial Services": ("Financial Services", "Financial Services I", "Financial Services II"),
    "Telecommunications": ("Telecommunications",),
    "Natural Resources": ("Natural Resources",),
    "Consumer Products": ("Consumer Products",),
    "Real Estate and Commodities": ("Real Estate and Commodities",),
    "Beverages, Apparel and Mining": ("Beverages, Apparel and Mining",),
    "Beverages, Apparel and Health Care Services": ("Beverages, Apparel and Health Care Services",),
    "Electronics and Machinery": ("Electronics and Machinery",),
    "Real Estate and Business Services": ("Real Estate and Business Services",),
}
"""Canonical office name -> printed variants (compared without case, spaces or punctuation,
"&" read as "and", so "Office of Real Estate and Construction" needs no entry of its own)."""

_AD_OFFICES = {11: "Telecommunications"}
"""Numbered Assistant Director offices seen with a name ("AD Office 11 - Telecommunications")."""


def _key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower().replace("&", "and"))


_OFFICE_KEYS = {
    _key(variant): canonical for canonical, variants in OFFICES.items() for variant in variants
}

# --- shared patterns ---------------------------------------------------------------------------

_PHONE = re.compile(
    r"\(?\s?2\s?0\s?2\s?\)?[\s.,\-–—]{0,12}5\s?5\s?1\s?[\s.,\-–—]{0,6}(\d(?:\s?\d){3})(?!\s?\d)"
)
_STRAY_PUNCTUATION = re.compile(r"(?:\s[,.;]){2,}(?=\s)")
_SINCERELY = re.compile(r"S\s?i\s?n\s?c\s?e\s?r\s?e\s?l\s?y\s?,?", re.I)
_CC = re.compile(r"^\s*cc\s*:", re.I | re.M)
_SIGNED = re.compile(r"^\s*/\s*s\s*/\s*(?P<name>.*)$", re.I | re.M)
_FOR = re.compile(r"[\s,]*(?:\(\s*for\s*\)|\b(?:f\s+)?for)\s*$", re.I)
_CONNECTOR = re.compile(
    r"\b(?:c\s?o\s?n\s?t\s?a\s?c\s?t(?:ing)?|o\s?r|and|to|call)\b|[;:]|(?<=[a-z]{2})\.\s", re.I
)
_SELF = re.compile(r"(?:m\s?e|the\s+undersigned|us)", re.I)
_DIVISION = re.compile(r"Division\s+of\s+Corporation\s+Finance", re.I)
_SALUTATION = re.compile(
    r"^\s*(?:Dear\b|Ladies\s+and\s+Gentlemen|To\s+Whom|Gentlemen)", re.I | re.M
)
_OFFICE_PHRASE = re.compile(
    r"\b(?=[acod])"
    r"(?:(?:(?:\bAD\s?(?:Office\s?)?\d{1,2}\s*[-–—\s]*)?(?:\bCF\s+)?"
    r"\bO\s?f\s?f\s?i\s?(?:f\s?i\s?)?c\s?e\s+of\s+(?:the\s+)?|\bAD\s?Office\s?\d{1,2}\s*[-–—\s]+"
    r"|(?=\bDisclosure\s+Review\s+Program)))",
    re.I,
)
"""Every alternative starts at a word boundary with "AD", "CF", "Office" or "Disclosure": tested
first, that rejects most positions at once (``re`` entered each alternative everywhere)."""

_SIGNATURE_WINDOW_CHARS = 4000
"""How far below a "/s/" signature its name, title and office lines are looked for."""
_MAX_NAME_TITLE_WORDS = 24
"""More words than this on one line are no "Name, Title"."""

# --- titles ------------------------------------------------------------------------------------

_TITLE_WORDS = {
    "senior", "staff", "accountant", "accounting", "branch", "chief", "legal", "special",
    "counsel", "attorney", "attorney-advisor", "advisor", "adviser", "assistant", "associate",
    "deputy", "director", "office", "petroleum", "mining", "engineer", "geologist", "financial",
    "analyst", "examiner", "industry", "fellow", "professional", "paralegal", "acting", "lead",
    "supervisory", "program", "manager", "of", "the", "division", "and", "&",
}  # fmt: skip
_TITLE_HEADS = {
    "accountant", "chief", "counsel", "attorney", "attorney-advisor", "advisor", "adviser",
    "director", "engineer", "geologist", "analyst", "examiner", "fellow", "paralegal",
}  # fmt: skip
_STAFF_TITLE = re.compile(
    r"Branch Chief|Assistant Director|Chief Accountant|Special Counsel|Staff (?:Accountant|"
    r"Attorney)|Attorney-Advisor|Office Chief"
)
_PARTICLES = {"de", "van", "von", "der", "den", "la", "le", "da", "di", "du", "del", "della", "dos"}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_NOT_NAMES = {
    "you", "please", "staff", "division", "office", "securities", "commission", "company",
    "corporation", "sincerely", "inc", "inc.", "llc", "llp", "finance", "questions", "any",
    "with", "if", "the", "at", "me", "member", "comments", "regarding",
}  # fmt: skip


def _join_fragments(tokens: list[str], words: set[str]) -> list[str]:
    """Re-join words PDF extraction split ("Sen ior", "A ccount ing") using known ``words``."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in (4, 3, 2):
            parts = tokens[i : i + size]
            joined = "".join(parts)
            if (
                len(parts) == size
                and joined.lower() in words
                and not all(part.lower() in words for part in parts)
            ):
                out.append(joined)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _clean_title(text: str) -> tuple[str | None, bool]:
    """A staff title from free text, and whether it was plural ("Senior Staff Accountants")."""
    text = re.sub(r"\s*[-–]\s*", "-", text.strip(" ,.;"))
    text = re.sub(r"(?i)\battorney[\s-]+advis(o|e)r\b", r"Attorney-Advis\1r", text)
    words = _TITLE_WORDS | {w + "s" for w in _TITLE_HEADS}
    tokens = _join_fragments(text.split(), words)
    if not tokens or any(t.lower().strip(",") not in words for t in tokens):
        return None, False
    plural = tokens[-1].lower() in {w + "s" for w in _TITLE_HEADS}
    if plural:
        tokens[-1] = tokens[-1][:-1]
    if tokens[-1].lower() not in _TITLE_HEADS:
        return None, False
    return " ".join(t.strip(",") for t in tokens), plural


def _clean_name(text: str) -> str | None:
    """A person's name, with split words re-joined, or None when it does not look like one."""
    tokens = text.replace(",", " , ").split()
    out: list[str] = []
    for token in tokens:
        lower = token.lower()
        if out and token[0].islower() and lower not in _PARTICLES and out[-1] != ",":
            out[-1] += token  # "Dan iel", "Abbot t", "S uzanne", "Ce c ili a"
        else:
            out.append(token)
    # a suffix after a comma stays ("James Moylan, Jr."); other commas end the name
    words: list[str] = []
    for i, piece in enumerate(out):
        if piece == ",":
            if i + 1 < len(out) and out[i + 1].lower() in _SUFFIXES:
                continue
            break
        words.append(piece)
    if not 2 <= len(words) <= 5:
        return None
    for token in words:
        lower = token.lower()
        if lower in _NOT_NAMES:
            return None
        if lower in _SUFFIXES or lower in _PARTICLES:
            continue
        if not re.fullmatch(r"[A-Z](?:[A-Za-z'’\-]*[a-z][A-Za-z'’\-]*|\.|\.[A-Z]\.)?", token):
            return None
    name = " ".join(words)
    return re.sub(r" (Jr\.?|Sr\.?|I{2,3}|IV)$", r", \1", name)


def _split_name_title(segment: str) -> tuple[str | None, str | None, bool]:
    """``Name[,] [Title]`` -> (name, title, title_is_plural_prefix)."""
    segment = segment.strip(" ,.")
    if not segment:
        return None, None, False
    tokens = segment.split()
    if len(tokens) > _MAX_NAME_TITLE_WORDS:
        return None, None, False  # no name and title; trying each cut would be quadratic
    # "Senior Staff Accountants Ibolya Ignat": a plural title before the name
    for cut in range(len(tokens) - 1, 0, -1):
        title, plural = _clean_title(" ".join(tokens[:cut]))
        if title and plural:
            return _clean_name(" ".join(tokens[cut:])), title, True
    head, _, rest = segment.partition(",")
    if re.match(r"\s*(?:Jr|Sr|I{2,3}|IV)\b\.?", rest):
        suffix = re.match(r"\s*(\w+\.?)\s*,?(.*)", rest)
        if suffix:
            head, rest = f"{head}, {suffix.group(1)}", suffix.group(2)
    if rest.strip():
        return _clean_name(head), _clean_title(rest)[0], False
    # no comma: "Kathleen Krebs Special Counsel", "Mark Brunhofer Senior Staff Accountant"
    for cut in range(2, len(tokens)):
        title, _ = _clean_title(" ".join(tokens[cut:]))
        if title:
            return _clean_name(" ".join(tokens[:cut])), title, False
    return _clean_name(segment), None, False


def _phone(digits: str) -> str:
    return "(202) 551-" + re.sub(r"\D", "", digits)


# --- staff -------------------------------------------------------------------------------------


def find_staff(text: str) -> tuple[StaffMember, ...]:
    """Staff named in the contact sentences and the signature block, in order of appearance.

    A person named in both places is listed once, where first seen, with the title and phone
    found in either place.
    """
    if not text:
        return ()
    signers = _signers(text)
    official = signers[-1] if signers else None
    found: list[StaffMember] = []
    flat = re.sub(r"\s+", " ", _before_signature(text))
    previous_end = 0
    shared_title: str | None = None
    for match in _PHONE.finditer(flat):
        start = max(previous_end, match.start() - 160)
        window = flat[start : match.start()]
        window = _STRAY_PUNCTUATION.sub(" ", window)  # "Mark , , Brunhofer" (PDF residue)
        window = re.sub(r"(?:[\s,]*\bat\b)+[\s,:]*$", "", window)
        cuts = list(_CONNECTOR.finditer(window))
        segment = window[cuts[-1].end() :] if cuts else window
        connector = cuts[-1].group(0).lower() if cuts else ""
        previous_end = match.end()
        if connector != "or":
            shared_title = None
        if _SELF.fullmatch(segment.strip(" ,")):
            if official is not None:
                found.append(StaffMember(official.name, official.title, _phone(match.group(1))))
            continue
        name, title, plural = _split_name_title(segment)
        if plural:
            shared_title = title
        if name:
            found.append(StaffMember(name, title or shared_title, _phone(match.group(1))))
    found.extend(signers)
    return _merge(found)


def _before_signature(text: str) -> str:
    """The text up to the signature block (so a phone in a cc list is never read)."""
    cc = _CC.search(text)
    return text[: cc.start()] if cc else text


def _signers(text: str) -> list[StaffMember]:
    """People of the signature block: "/s/" signer(s), the printed official last; without
    "/s/" (letters signed in ink before 2016), the name and title under "Sincerely,"."""
    people: list[StaffMember] = []
    staff_phone = _PHONE.search(text) is not None
    if _SIGNED.search(text) is None:
        return _signed_in_ink(text, staff_phone=staff_phone)
    for signed in _SIGNED.finditer(text):
        signed_text = signed.group("name")
        on_behalf = bool(_FOR.search(signed_text))
        signed_name = _clean_name(_FOR.sub("", signed_text))
        # The lines under the signature, from a bounded window: splitting the rest of the
        # letter at every "/s/" was quadratic in a text full of them.
        below = text[signed.end() : signed.end() + _SIGNATURE_WINDOW_CHARS]
        lines = [line.strip() for line in below.split("\n")[:8]]
        lines = [line for line in lines if line]
        lines = lines[: next((i for i, ln in enumerate(lines) if _CC.match(ln)), len(lines))]
        official_name, title, rest = None, None, lines
        if lines and not _OFFICE_PHRASE.match(lines[0]) and not _clean_title(lines[0])[0]:
            official_name, title, _ = _split_name_title(lines[0])
            rest = lines[1:]
        for line in rest:  # title lines under the name, up to the office
            if _OFFICE_PHRASE.match(line) or _DIVISION.search(line):
                break
            line_title, _ = _clean_title(line)
            if not line_title:
                break
            title = title or line_title
        if not _staff_signature(staff_phone, title, rest[:4]):
            continue
        if signed_name and (
            official_name is None or (on_behalf and not _same_person(signed_name, official_name))
        ):
            people.append(StaffMember(signed_name, None if official_name else title))
        if official_name:
            people.append(StaffMember(official_name, title))
    return people


def _signed_in_ink(text: str, *, staff_phone: bool) -> list[StaffMember]:
    """The official under the last "Sincerely,": "Jeffrey Riedler" over "Assistant Director",
    or both on one line."""
    closings = list(_SINCERELY.finditer(text))
    if not closings:
        return []
    below = text[closings[-1].end() : closings[-1].end() + 600]
    lines = [line.strip() for line in below.split("\n")[:8] if line.strip()]
    lines = lines[: next((i for i, ln in enumerate(lines) if _CC.match(ln)), len(lines))]
    if not lines or _OFFICE_PHRASE.match(lines[0]) or _DIVISION.search(lines[0]):
        return []
    name, title, _ = _split_name_title(lines[0])
    for line in lines[1:3]:
        line_title, _ = _clean_title(line)
        if not line_title:
            break
        title = title or line_title
    if name is None or title is None or not _staff_signature(staff_phone, title, lines[1:5]):
        return []  # a name without a staff title under "Sincerely," is mail-merge residue
    return [StaffMember(name, title)]


def _staff_signature(staff_phone: bool, title: str | None, lines: list[str]) -> bool:
    """Whether a signature is the staff's: an SEC office under it, or a staff title (or any
    title when the letter gives an SEC phone number, ``staff_phone``)."""
    for line in lines:
        if _DIVISION.search(line):
            return True
        match = _OFFICE_PHRASE.match(line)
        office = _read_office(line, match) if match else None
        if office is not None and office.canonical is not None:
            return True
    if title is None:
        return False
    return bool(_STAFF_TITLE.search(title) or staff_phone)


def _name_key(name: str) -> tuple[str, str]:
    words = [w for w in re.sub(r"[^A-Za-z\s-]", " ", name).split() if len(w) > 1]
    words = [w for w in words if w.lower().rstrip(".") not in _SUFFIXES]
    if not words:
        return ("", "")
    return (words[0].lower(), words[-1].lower())


def _same_person(a: str, b: str) -> bool:
    return _name_key(a) == _name_key(b) or _key(a) == _key(b)


def _merge(people: list[StaffMember]) -> tuple[StaffMember, ...]:
    merged: list[StaffMember] = []
    for person in people:
        for i, seen in enumerate(merged):
            if _same_person(seen.name, person.name):
                merged[i] = StaffMember(
                    seen.name if len(seen.name) >= len(person.name) else person.name,
                    seen.title or person.title,
                    seen.phone or person.phone,
                )
                break
        else:
            merged.append(person)
    return tuple(merged)


# --- office ------------------------------------------------------------------------------------


def find_office(text: str) -> Office | None:
    """The Corporation Finance office a letter names: signature first, then address block."""
    if not text:
        return None
    cc = _CC.search(text)
    tail_end = cc.start() if cc else len(text)
    signature_at = None
    for match in _SINCERELY.finditer(text):
        signature_at = match.end()
    salutation = _SALUTATION.search(text)
    regions: list[tuple[int, int, bool]] = []
    if signature_at is not None and signature_at < tail_end:
        regions.append((signature_at, tail_end, True))
    elif signature_at is None:
        last_phone = max((m.end() for m in _PHONE.finditer(text[:tail_end])), default=None)
        if last_phone is not None:
            regions.append((last_phone, tail_end, True))
    if salutation:
        regions.append((0, salutation.start(), True))
    regions.append((0, len(text), False))
    for start, end, trusted in regions:
        office = _office_in(text[start:end], trusted=trusted)
        if office:
            return office
    return None


def _office_in(region: str, *, trusted: bool) -> Office | None:
    for match in _OFFICE_PHRASE.finditer(region):
        office = _read_office(region, match)
        if office is None:
            continue
        if office.canonical is not None:
            return office
        before = region[max(0, match.start() - 80) : match.start()]
        if trusted and _DIVISION.search(before):
            return office
    return None


def _read_office(region: str, match: re.Match[str]) -> Office | None:
    """The office starting at ``match``: the longest known name, else the printed line."""
    after = region[match.end() : match.end() + 160]
    lines = after.split("\n")
    # the text as is, then without the line under the first (mail-merge residue)
    for candidate in (after, "\n".join(lines[:1] + lines[2:])):
        known = _known_prefix(candidate)
        if known is not None:
            return Office(_squash(match.group(0) + candidate[: known[1]]), known[0])
    ad = re.match(r"\s*AD\s?(?:Office\s?)?(\d{1,2})", match.group(0))
    printed = _printed_office(after)
    if ad and not re.match(r"\s*[A-Z][a-z]", printed):
        return Office(_squash(match.group(0)), _AD_OFFICES.get(int(ad.group(1))))
    if not re.search(r"[A-Za-z]{3}", printed):
        return None
    key = _key(lines[0])
    candidates = {c for v, c in _OFFICE_KEYS.items() if len(key) >= 6 and v.startswith(key)}
    canonical = candidates.pop() if len(candidates) == 1 else None
    return Office(_squash(match.group(0) + printed), canonical)


def _known_prefix(text: str) -> tuple[str, int] | None:
    """The longest known office name ``text`` starts with: (canonical, end offset)."""
    keys: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        lowered = char.lower()
        if lowered == "&":
            keys.append("and")
            positions.extend([index] * 3)
        elif "a" <= lowered <= "z":
            keys.append(lowered)
            positions.append(index)
    key = "".join(keys)
    best: tuple[str, int] | None = None
    best_length = 0
    for variant, canonical in _OFFICE_KEYS.items():
        if len(variant) > best_length and key.startswith(variant):
            end = positions[len(variant) - 1] + 1
            if end >= len(text) or not text[end].isalpha():
                best, best_length = (canonical, end), len(variant)
    return best


def _printed_office(after: str) -> str:
    """The rest of the office line, with a continuation line after a trailing "and"/","/"&"."""
    lines = after.split("\n")
    printed = lines[0]
    if len(lines) > 1 and (
        re.search(r"(?:\band|,|&)\s*$", printed) or re.match(r"\s*(?:and\b|&)", lines[1])
    ):
        printed += " " + lines[1]
    return printed.rstrip(" ,.;")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,.;")
