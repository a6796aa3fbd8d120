"""Rules for dates, the Re: block, cited dates and letter types, on letter-shaped text."""

from __future__ import annotations

import time
from datetime import date

import pytest

from indexer.normalize.citations import find_cited_dates
from indexer.normalize.classify import classify_letter
from indexer.normalize.dates import find_letter_date, parse_date
from indexer.normalize.letter import CitedDate, LetterType
from indexer.normalize.reblock import parse_reference_block
from indexer.normalize.text import clean_text

STAFF_LETTER = """United States securities and exchange commission logo

May 26, 2022

Randy Hyzak
Las Vegas Sands Corp.

Re: Las Vegas Sands Corp.
Form 10-K for the Fiscal Year Ended December 31, 2021
Filed February 4, 2022
Response dated March 20, 2022
File No. 1-32373

Dear Mr. Hyzak:

We have reviewed your March 20, 2022 response to our comment letter and have the following
comments. Unless we note otherwise, our references to prior comments are to comments in our
March 6, 2022 letter.
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("April 2, 2024", date(2024, 4, 2)),
        ("Sept. 5, 2019", date(2019, 9, 5)),
        ("March 16 , 2016", date(2016, 3, 16)),
        ("2 April 2024", date(2024, 4, 2)),
        ("4/2/2024", date(2024, 4, 2)),
        ("February 30, 2024", None),
        ("no date here", None),
    ],
)
def test_written_dates(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_letter_date_is_the_date_line_before_the_re_block() -> None:
    assert find_letter_date(clean_text(STAFF_LETTER)) == date(2022, 5, 26)
    company = "CONFIDENTIAL TREATMENT REQUESTED\n\nNew York, March 3, 2021\n\nVIA EDGAR\n\nRe: X"
    assert find_letter_date(company) == date(2021, 3, 3)


def test_reference_block_fields() -> None:
    block = parse_reference_block(clean_text(STAFF_LETTER))
    assert block.file_numbers == ("001-32373",)
    (filing,) = block.reviewed_filings
    assert (filing.form, filing.period_end, filing.filed_on) == (
        "10-K",
        date(2021, 12, 31),
        date(2022, 2, 4),
    )  # the "Response dated" line is not the filing's date


@pytest.mark.parametrize(
    ("block", "numbers", "forms"),
    [
        ("Re: BXP, Inc.\nForm 10-K for the fiscal year ended December 31, 2017\nForm 10-Q for "
         "the quarterly period ended June 30, 2018\nFiled February 28, 2018 and August 7, 2018, "
         "respectively\nFile No. 1-13087 and 0-50209\n\nDear Mr. Linde:",
         ("001-13087", "000-50209"), [("10-K", date(2018, 2, 28)), ("10-Q", date(2018, 8, 7))]),
        ("Re: AbbVie Inc.\nRegistration Statement on Form S\u20114\nFiled October 2, 2020\n"
         "File No. 333- 249277\n\nDear Mr. Gonzalez:", ("333-249277",),
         [("S-4", date(2020, 10, 2))]),
        ("Re: Carrier Global Corp\nAmendment No. 1 to Draft Registration Statement on Form 10\n"
         "Submitted September 16, 2019\nCIK No. 0001783180\n\nDear Mr. Gitlin:", (),
         [("DRS/A", date(2019, 9, 16))]),
        ("Re: X Corp.\nAmendment No. 2 to Registration Statement on Form S-1\nFiled December 4, "
         "2020\nFile Nos. 333-250056, 333-250056-01\n\nLadies and Gentlemen:",
         ("333-250056", "333-250056-01"), [("S-1/A", date(2020, 12, 4))]),
    ],
)  # fmt: skip
def test_reference_block_variants(
    block: str, numbers: tuple[str, ...], forms: list[tuple[str, date]]
) -> None:
    parsed = parse_reference_block(clean_text(block))
    assert parsed.file_numbers == numbers
    assert [(f.form, f.filed_on) for f in parsed.reviewed_filings] == forms
    if not numbers:
        assert parsed.cik_reference == "0001783180"


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        # an 8-K's "dated" date is its event (period of report); "Filed" is the filing's
        ("Re: Mondelez\nForm 8-K Dated July 27, 2016\nFiled July 27, 2016\nFile No. 1-16483\n"
         "\nDear Sir:", [("8-K", date(2016, 7, 27), date(2016, 7, 27), None)]),
        ("Re: Molson Coors\nPreliminary Information Statement on Schedule 14C\nFiled December 11,"
         " 2015\nFile No. 1-14829\n\nDear Sir:", [("PRE 14C", None, date(2015, 12, 11), None)]),
        ("Re: Kinder Morgan\nDefinitive Proxy Statement Pursuant to Schedule 14A\nFiled March 30,"
         " 2016\nFile No. 1-35081\n\nDear Sir:", [("DEF 14A", None, date(2016, 3, 30), None)]),
        # proxy contests: who filed it, and soliciting material of others is DFAN14A
        ("Re: Wynn Resorts, Limited\nSoliciting Material on Schedule 14A\nFiled April 23, 2018 by "
         "Elaine P. Wynn\nFile No. 0-50028\n\nDear Sir:",
         [("DFAN14A", None, date(2018, 4, 23), "Elaine P. Wynn")]),
        ("Re: Starbucks Corporation\nPREC14A filed January 12, 2024 by Service Employees "
         "International Union et.\nal\nFile No. 000-20322\n\nDear Sir:",
         [("PREC14A", None, date(2024, 1, 12), "Service Employees International Union")]),
        ("Re: XYZ Corp.\n    Preliminary Proxy Statement filed by ABC Capital LP et al.\n    Filed "
         "on March 1, 2024\n    File No. 001-12345\n\nDear Sir:",
         [("PRE 14A", None, date(2024, 3, 1), "ABC Capital LP")]),
        ("Re: XYZ Corp.\nDFAN14A filed by Starboard Value LP on March 3, 2024\nFile No. "
         "001-12345\n\nDear Sir:", [("DFAN14A", None, date(2024, 3, 3), "Starboard Value LP")]),
        # a defined term is not a second filing
        ("Re: The Southern Company\n\nForm 10-K for the Year Ended December 31, 2020 (“Form "
         "10-K”)\n\nFiled February 18, 2021\n\nFile No. 001-03526\n\nDear Sir:",
         [("10-K", date(2020, 12, 31), date(2021, 2, 18), None)]),
    ],
)  # fmt: skip
def test_reference_block_names_each_filing_its_period_date_and_filer(
    block: str, expected: list[tuple[str, date | None, date | None, str | None]]
) -> None:
    filings = parse_reference_block(block).reviewed_filings
    assert [(f.form, f.period_end, f.filed_on, f.filed_by) for f in filings] == expected


def test_phone_numbers_are_not_file_numbers_but_labelled_numbers_are() -> None:
    text = "Re: X Corp.\nForm 10-K\n\nDear Sir:\n\nPlease call (202) 551-3344."
    assert parse_reference_block(text).file_numbers == ()
    labelled = text + " We refer to the Form 10-K (File No. 1-7933) filed in May."
    assert parse_reference_block(labelled).file_numbers == ("001-07933",)


def test_staff_letter_citations() -> None:
    cited = find_cited_dates(clean_text(STAFF_LETTER), sender="sec")
    assert cited == (
        CitedDate(date(2022, 3, 20), "response"),
        CitedDate(date(2022, 3, 6), "staff_letter"),
    )


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("submits the following responses to the comments of the Staff as set forth in your "
         "letter to the Company dated August 25, 2020, regarding",
         [("2020-08-25", "staff_letter")]),
        ("hereby responds to the comments set forth in the comment letter of the staff (the "
         "“Staff”) of the Securities and Exchange Commission dated May 26, 2022",
         [("2022-05-26", "staff_letter")]),
        ("This letter supplements the Company’s letters to you dated June 12, 2024, September 30, "
         "2024 and October 21, 2024.", [("2024-06-12", "response"), ("2024-09-30", "response"),
                                          ("2024-10-21", "response")]),
        ("pertaining to the Securities and Exchange Commission staff’s May 22, 2024 and "
         "September 5, 2024 comment letters",
         [("2024-05-22", "staff_letter"), ("2024-09-05", "staff_letter")]),
        ("the Company’s Form 10-K for the fiscal year ended December 31, 2023, filed on March 12, "
         "2024", []),
    ],
)  # fmt: skip
def test_company_letter_citations(sentence: str, expected: list[tuple[str, str]]) -> None:
    cited = find_cited_dates(sentence, sender="company")
    assert [(c.date.isoformat(), c.kind) for c in cited] == expected


@pytest.mark.parametrize(
    ("text", "form", "comments", "expected"),
    [
        ("This is to advise you that we have not reviewed and will not review your registration "
         "statement. Please refer to Rules 460 and 461", "UPLOAD", 0, LetterType.NO_REVIEW),
        ("We have completed our review of your filing. We remind you", "UPLOAD", 0,
         LetterType.REVIEW_COMPLETE),
        ("We have reviewed your filing and have the following comments.", "UPLOAD", 3,
         LetterType.COMMENT),
        ("Pursuant to Rule 461 under the Securities Act, the Company hereby requests acceleration "
         "of the effective date of the Registration Statement", "CORRESP", 0,
         LetterType.ACCELERATION_REQUEST),
        ("we are requesting that our response date be extended to February 12, 2024.", "CORRESP",
         0, LetterType.EXTENSION_REQUEST),
        ("The Company hereby responds to the comments of the Staff contained in your letter dated "
         "May 26, 2022.", "CORRESP", 2, LetterType.RESPONSE),
        ("We write to supplement the registration statement with a representation.", "CORRESP",
         0, LetterType.OTHER),
        # Extension requests as companies word them (none restates a comment).
        ("Due to the year-end audit it will not be possible to respond within 10 business days. "
         "The Company will respond no later than October 6, 2023.", "CORRESP", 0,
         LetterType.EXTENSION_REQUEST),
        ("This letter confirms the Staff's agreement to an extension for the Company to respond "
         "to the comment letter until on or about September 20, 2019.", "CORRESP", 0,
         LetterType.EXTENSION_REQUEST),
        ("This letter is to confirm the telephone conversation of May 3 with Ms. Smith. We will "
         "respond by May 24, 2021.", "CORRESP", 0, LetterType.EXTENSION_REQUEST),
        ("On behalf of our client, we are submitting this letter in response to your "
         "correspondence dated September 29, 2022. The Company respectfully requests a 14 "
         "calendar day extension of the original due date.", "CORRESP", 0,
         LetterType.EXTENSION_REQUEST),
        ("The Company is working expeditiously to respond to the Comment Letter. However, the "
         "Company will not be able to submit its response within ten (10) business days. The "
         "Company currently anticipates submitting a response on or before August 24, 2018.",
         "CORRESP", 0, LetterType.EXTENSION_REQUEST),
        ("Pursuant to a conversation yesterday, the Company hereby confirms that it will respond "
         "to the Staff's comment letter dated March 28, 2016 no later than April 15, 2016.",
         "CORRESP", 0, LetterType.EXTENSION_REQUEST),
        # Other letters that answer nothing.
        ("In accordance with Rules 460 and 461 under the Securities Act, the Company hereby "
         "requests that its Registration Statement on Form S-4 be made effective at 4:00 p.m. on "
         "May 17, 2021.", "CORRESP", 0, LetterType.ACCELERATION_REQUEST),
        ("Pursuant to Rule 477 under the Securities Act, the Company hereby requests the "
         "withdrawal of its Registration Statement on Form S-1.", "CORRESP", 0,
         LetterType.WITHDRAWAL_REQUEST),
        ("The Company hereby withdraws its request for acceleration of the effective date dated "
         "June 1, 2020.", "CORRESP", 0, LetterType.WITHDRAWAL_REQUEST),
        ("Pursuant to Rule 418 under the Securities Act, we are supplementally providing the "
         "Staff with the materials listed below.", "CORRESP", 0, LetterType.SUPPLEMENTAL),
        ("We are submitting this supplemental letter to provide information regarding the "
         "determination of the fair value of the common stock.", "CORRESP", 0,
         LetterType.SUPPLEMENTAL),
        # Answers without restated comments stay responses.
        ("The Company confirms that it will continue to enhance its disclosures in future proxy "
         "statements to reflect the topics discussed in the Comment Letter.", "CORRESP", 0,
         LetterType.RESPONSE),
        ("As requested by the staff during our telephone conversation, the Company hereby submits "
         "supplemental information to our letter dated August 28, 2018, in response to Staff "
         "comments.", "CORRESP", 0, LetterType.RESPONSE),
        ("This letter is intended to provide you with the information you requested in your "
         "December 21, 2017 letter regarding contacts with Sudan.", "CORRESP", 0,
         LetterType.RESPONSE),
        # A long letter that only mentions a date for a future filing is not a timing letter.
        ("In response to the comment, the Company will file an amendment no later than June 1, "
         "2021. " + "The Company respectfully advises the Staff of its analysis. " * 80,
         "CORRESP", 0, LetterType.RESPONSE),
    ],
)  # fmt: skip
def test_letter_types(text: str, form: str, comments: int, expected: LetterType) -> None:
    assert classify_letter(text, form=form, comment_count=comments) == expected


def test_cleaning_removes_page_furniture_and_keeps_the_office() -> None:
    raw = (
        "United States securities and exchange commission logo\n\nMay 26, 2022\n\nRandy Hyzak\n"
        "Las Vegas Sands Corp.\n\n1. We note your disclosure\n\f\nRandy Hyzak\n"
        "Las Vegas Sands Corp.\nMay 26, 2022\nPage 2\nabout Macao.\n\nFirstName LastNameRandy "
        "Hyzak Sincerely,\nComapany NameLas Vegas Sands Corp.\nMay 26, 2022 Page 2 Office of Real "
        "Estate & Construction"
    )
    cleaned = clean_text(raw)
    assert "logo" not in cleaned
    assert "Page 2" not in cleaned
    assert "FirstName" not in cleaned and "Comapany" not in cleaned
    assert "1. We note your disclosure\n\nabout Macao." in cleaned
    assert cleaned.endswith("Sincerely,\n\nOffice of Real Estate & Construction")


@pytest.mark.parametrize(
    "raw",
    [
        "a\n" + " " * 100_000 + "x\nb",  # page-number pattern: \s*-?\s* backtracked
        "Page 2" + " " * 100_000 + "x",  # page-line pattern: the same at its end
        "a" + "\n" * 100_000 + "b",  # logo pattern: ^\s* rescanned each blank line
    ],
)
def test_cleaning_is_linear_on_long_runs_of_spaces_and_blank_lines(raw: str) -> None:
    # Found by fuzzing (tests/fuzz): each of these took 30 to 70 s.
    started = time.perf_counter()
    cleaned = clean_text(raw)
    assert time.perf_counter() - started < 1.0
    assert cleaned.split() == raw.split()
