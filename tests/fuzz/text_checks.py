"""Checks of text extraction (``crawler.extract``), the normalizer and the threader.

None of these entry points may raise: extraction reports an unreadable document as
``text_source = none`` with a warning, the normalizer turns every failing step into a warning
(a step that raised shows as "internal error", which the checks treat as the crash it is),
and the threader groups any letters. The checks also hold the invariants that have an
oracle: what extraction keeps and drops, the order of comments and that their words come
from the letter, and that threads do not depend on the order letters arrive in.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence

from crawler.edgar.sgml import parse_submission
from crawler.errors import ParseError
from crawler.extract.encoding import decode_text
from crawler.extract.html import extract_html_text
from crawler.extract.letters import letter_from_documents, letter_from_submission
from crawler.extract.pdf import extract_pdf_text
from crawler.extract.plaintext import extract_plain_text
from crawler.extract.result import ExtractedText
from indexer.incoming import IncomingLetter, TextSource
from indexer.normalize.letter import Letter, LetterType
from indexer.normalize.pipeline import normalize_letter
from indexer.normalize.threads import build_threads
from tests.fuzz.edgar_checks import SOURCE
from tests.fuzz.outcome import Outcome, expect, explained, rejected
from tests.fuzz.text_generators import GeneratedStaffLetter

__all__ = [
    "FUZZ_ACCESSION",
    "check_html",
    "check_letter_folder",
    "check_normalize",
    "check_pdf",
    "check_plain",
    "check_staff_letter_round_trip",
    "check_submission_letter",
    "check_threads",
]

FUZZ_ACCESSION = "0000000000-24-000001"
_INTERNAL_ERROR = "internal error"


def _expect_extracted(extracted: ExtractedText, allowed: set[TextSource]) -> Outcome:
    """Unreadable means no text and a warning; readable means some text."""
    expect(extracted.source in allowed, f"text source {extracted.source!r}")
    if extracted.source is TextSource.NONE:
        expect(extracted.text == "", "text with text_source none")
        expect(extracted.warnings, "text_source none without a warning saying why")
        return Outcome("rejected", extracted.warnings[-1])
    expect("\r" not in extracted.text, "a carriage return left in extracted text")
    return explained(extracted.warnings)


def check_pdf(data: bytes) -> Outcome:
    """``extract_pdf_text``: PDF text, or none with the reason (damaged, scanned)."""
    extracted = extract_pdf_text(data)
    outcome = _expect_extracted(extracted, {TextSource.PDF_TEXT, TextSource.NONE})
    if extracted.source is TextSource.PDF_TEXT:
        expect(extracted.text.strip(), "PDF text source with no text")
    return outcome


def check_html(data: bytes, *, visible: Sequence[str] = (), hidden: Sequence[str] = ()) -> Outcome:
    """``extract_html_text``: every ``visible`` word kept, no ``hidden`` (script) text."""
    extracted = extract_html_text(data)
    outcome = _expect_extracted(extracted, {TextSource.HTML, TextSource.NONE})
    words = Counter(extracted.text.split())
    for word in visible:
        expect(words[word], f"visible word {word!r} missing from the extracted text")
    for word in hidden:
        expect(word not in extracted.text, f"script or style text {word!r} was extracted")
    return outcome


def check_plain(data: bytes, *, text_extract: bool) -> Outcome:
    """``extract_plain_text``: only whitespace changes (the decoded text's other characters
    are all kept, in order), paragraphs separated by one blank line."""
    decoded, _ = decode_text(data)
    extracted = extract_plain_text(data, text_extract=text_extract)
    wanted = TextSource.TEXT_EXTRACT if text_extract else TextSource.PLAIN
    outcome = _expect_extracted(extracted, {wanted})
    expect("".join(extracted.text.split()) == "".join(decoded.split()), "non-space text changed")
    expect("\n\n\n" not in extracted.text, "more than one blank line between paragraphs")
    return outcome


def check_letter_folder(accession: str, documents: Mapping[str, bytes]) -> Outcome:
    """``letter_from_documents``: a letter whose missing text is explained."""
    letter = letter_from_documents(accession, documents)
    return _expect_incoming(letter, documents)


def check_submission_letter(data: bytes) -> Outcome:
    """``parse_submission`` then ``letter_from_submission`` (the crawl's path)."""
    try:
        submission = parse_submission(data, source=SOURCE)
    except ParseError as exc:
        return rejected(exc)
    return _expect_incoming(letter_from_submission(submission), None)


def _expect_incoming(letter: IncomingLetter, documents: Mapping[str, bytes] | None) -> Outcome:
    expect(isinstance(letter.text_source, TextSource), f"text source {letter.text_source!r}")
    if letter.text_source is TextSource.NONE:
        expect(letter.text == "", "text with text_source none")
        expect(letter.extraction_warnings, "an unreadable letter without a warning")
        return Outcome("rejected", letter.extraction_warnings[-1])
    if documents is not None and letter.primary_document is not None:
        expect(letter.primary_document in documents, f"primary {letter.primary_document!r}")
    return explained(letter.extraction_warnings)


def check_normalize(text: str, *, form: str, text_source: TextSource = TextSource.PLAIN) -> Outcome:
    """``normalize_letter``: no step fails; comments in order, their words from the letter."""
    return _checked_normalize(text, form=form, text_source=text_source)[1]


def _checked_normalize(text: str, *, form: str, text_source: TextSource) -> tuple[Letter, Outcome]:
    """The normalized letter (checked as ``check_normalize`` says) and its outcome."""
    incoming = IncomingLetter(
        accession=FUZZ_ACCESSION, form=form, text=text, text_source=text_source
    )
    letter = normalize_letter(incoming)
    failed = [warning for warning in letter.warnings if _INTERNAL_ERROR in warning]
    expect(not failed, f"a normalization step raised: {failed[0] if failed else ''}")
    numbers = [comment.number for comment in letter.comments]
    expect(numbers == sorted(set(numbers)), f"comment numbers out of order: {numbers}")
    expect(all(number >= 1 for number in numbers), f"comment numbers below 1: {numbers}")
    letter_letters = _letters(letter.text)
    for comment in letter.comments:
        for part in (comment.text, comment.response or ""):
            expect(
                _is_subsequence(_letters(part), letter_letters),
                f"comment {comment.number} has words that are not in the letter, in order",
            )
    json.dumps(letter.to_public_dict())
    return letter, explained(letter.warnings)


def check_staff_letter_round_trip(generated: GeneratedStaffLetter) -> Outcome:
    """A generated staff letter gives back its date, file number and comments."""
    letter, outcome = _checked_normalize(
        generated.text, form="UPLOAD", text_source=TextSource.TEXT_EXTRACT
    )
    expect(letter.letter_date == generated.letter_date, f"letter date {letter.letter_date}")
    expect(generated.file_number in letter.file_numbers, f"file numbers {letter.file_numbers}")
    numbers = [comment.number for comment in letter.comments]
    expect(numbers == list(range(1, len(generated.comments) + 1)), f"comment numbers {numbers}")
    for comment, wanted in zip(letter.comments, generated.comments, strict=True):
        expect(" ".join(comment.text.split()) == wanted, f"comment {comment.number} text differs")
    expect(letter.letter_type is LetterType.COMMENT, f"letter type {letter.letter_type}")
    return outcome


def _letters(text: str) -> str:
    """The alphabetic characters of ``text``: layout repair moves comment numbers (a number
    printed below its comment's first lines is put back in front), never words."""
    return "".join(char for char in text if char.isalpha())


def _is_subsequence(small: str, big: str) -> bool:
    """Whether ``small``'s characters appear in ``big`` in the same order."""
    position = 0
    for char in small:
        position = big.find(char, position) + 1
        if not position:
            return False
    return True


def check_threads(letters: Sequence[Letter], *, reordered: Sequence[Letter]) -> Outcome:
    """``build_threads``: every letter in exactly one thread, whatever the arrival order."""
    threads = build_threads(letters)
    placed = Counter(member.accession for thread in threads for member in thread.letters)
    wanted = Counter(letter.accession for letter in letters)
    expect(placed == wanted, f"letters placed {placed - wanted} / missing {wanted - placed}")
    for thread in threads:
        expect(thread.letters and thread.letters[0].link_rule == "opened", "thread start rule")
        dated = [member.date for member in thread.letters if member.date is not None]
        expect(dated == sorted(dated), f"thread {thread.thread_id} letters out of date order")
    again = [thread.to_dict() for thread in build_threads(reordered)]
    expect(again == [thread.to_dict() for thread in threads], "threads depend on letter order")
    return explained([])
