"""Comment segmentation (``indexer.normalize.comments``): synthetic rules, then real letters.

The real-letter expectations (counts, numbers, first words) were checked by reading each
letter's extracted text; see the comment above each case.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from crawler.extract.letters import letter_from_folder
from indexer.normalize.comments import CommentParse, parse_comments
from indexer.normalize.text import clean_text

OPENING = """\
May 26, 2022

Jane Doe
Chief Financial Officer
Example Corp.
1 Main Street
Springfield, IL 62701

Re: Example Corp.
Form 10-K for the Fiscal Year Ended December 31, 2021
Filed February 4, 2022
File No. 001-12345

Dear Ms. Doe:

We have reviewed your filing and have the following comments. In some of our
comments, we may ask you to provide us with information so we may better understand your
disclosure.

Please respond to these comments within ten business days by providing the requested
information or advise us as soon as possible when you will respond.

After reviewing your response to these comments, we may have additional comments.
"""

CLOSING = """\
We remind you that the company and its management are responsible for the accuracy
and adequacy of their disclosures, notwithstanding any review, comments, action or absence of
action by the staff.

You may contact John Roe at (202) 551-3805 or Mary Major at (202) 551-3438 if you have
questions regarding comments on the financial statements and related matters.

Sincerely,

Division of Corporation Finance
Office of Real Estate & Construction
"""


def staff(body: str, *, closing: str = CLOSING) -> CommentParse:
    return parse_comments(f"{OPENING}\n{body.strip()}\n\n{closing}", sender="sec")


def numbers(parsed: CommentParse) -> list[int]:
    return [comment.number for comment in parsed.comments]


# --- staff letters: numbering -------------------------------------------------------------


def test_numbered_comments_with_headings_and_wrapped_lines() -> None:
    parsed = staff(
        """
Form 10-K for the Fiscal Year Ended December 31, 2021

General

1. We note that a majority of your operations are conducted in Macao, a special
administrative region of China. Please revise your disclosure to address the China-
based risks.

Item 7. Management's Discussion and Analysis of Financial Condition and Results of Operations
Segment Adjusted Property EBITDA, page 51

2. Please revise your disclosure to include a reconciliation from GAAP-based consolidated
net income to Consolidated adjusted property EBITDA.
"""
    )
    assert numbers(parsed) == [1, 2]
    first, second = parsed.comments
    assert first.heading == "General"
    assert first.text == (
        "We note that a majority of your operations are conducted in Macao, a special "
        "administrative region of China. Please revise your disclosure to address the "
        "China-based risks."
    )
    assert second.heading == "Segment Adjusted Property EBITDA, page 51"
    assert second.text.endswith("Consolidated adjusted property EBITDA.")
    assert first.response is None
    assert parsed.warnings == ()


@pytest.mark.parametrize("marker", ["1)", "1 .", "1.\t"])
def test_number_formats(marker: str) -> None:
    second = marker.replace("1", "2")
    parsed = staff(f"General\n\n{marker} Please tell us more.\n\n{second} Please revise.")
    assert numbers(parsed) == [1, 2]
    assert [c.text for c in parsed.comments] == ["Please tell us more.", "Please revise."]


def test_number_alone_in_its_own_paragraph_or_line() -> None:
    html_layout = staff("General\n\n1.\n\nWe note your disclosure.\n\n2.\n\nPlease revise.")
    assert [(c.number, c.text) for c in html_layout.comments] == [
        (1, "We note your disclosure."),
        (2, "Please revise."),
    ]
    pdf_layout = staff("General\n\n1.\nWe note your\ndisclosure.\n\n2.\nPlease revise.")
    assert [c.text for c in pdf_layout.comments] == ["We note your disclosure.", "Please revise."]


def test_paragraphs_and_sub_items_stay_in_the_comment() -> None:
    parsed = staff(
        """
General

1. Please provide support for the following statements:

• "consumers value frictionless online shopping;" and
• "local businesses lack the capabilities to reach today's consumers."

Please also explain how you measure the effectiveness of these
efforts.

a. Tell us the amounts.
b. Tell us the periods.

2. Please revise.
"""
    )
    assert numbers(parsed) == [1, 2]
    text = parsed.comments[0].text
    assert text.startswith("Please provide support for the following statements:\n\n• ")
    assert '\n• "local businesses' in text
    assert "\n\nPlease also explain how you measure the effectiveness of these efforts." in text
    assert text.endswith("a. Tell us the amounts.\nb. Tell us the periods.")


def test_gap_in_numbering_is_reported() -> None:
    parsed = staff("General\n\n1. Please revise.\n\n2. Please revise.\n\n4. Please revise.")
    assert numbers(parsed) == [1, 2, 4]
    assert parsed.warnings == ("comment numbering skips from 2 to 4",)


# --- staff letters: false starts ----------------------------------------------------------


def test_nested_numbered_list_restarting_at_one_is_part_of_the_comment() -> None:
    parsed = staff(
        """
General

1. Please revise.

2. Please revise.

3. Please tell us:

1. the amount of each charge;

2. the period in which you recorded it; and

3. why you excluded it.

4. Please revise your segment note.
"""
    )
    assert numbers(parsed) == [1, 2, 3, 4]
    assert "why you excluded it." in parsed.comments[2].text
    assert parsed.comments[3].text == "Please revise your segment note."


def test_nested_list_colliding_with_the_next_number() -> None:
    # The nested "2." and "3." have the numbers the next comments expect.
    parsed = staff(
        """
General

1. Please tell us:

1. What Are the charges?

2. Which Periods are affected?

3. Why Were they excluded?

2. We note your segment disclosure. Please revise.

3. Please file the agreement.
"""
    )
    assert numbers(parsed) == [1, 2, 3]
    assert parsed.comments[0].text.endswith("Why Were they excluded?")
    assert parsed.comments[1].text.startswith("We note your segment disclosure.")


def test_numbered_captions_dates_and_amounts_are_not_comments() -> None:
    parsed = staff(
        """
Item 1A. Risk Factors

1. We note your risk factor on page 24. Revenue for fiscal
2021. Revenue increased in the period described. Please revise.

Note 12. Income Taxes, page F-30

2. Please tell us why the rate changed from
10. percent to 25 percent.

3. Please revise.

1. Summary of Significant Accounting Policies, page F-8

4. Please expand your policy note.
"""
    )
    assert numbers(parsed) == [1, 2, 3, 4]
    assert parsed.comments[0].heading == "Item 1A. Risk Factors"
    assert parsed.comments[1].heading == "Note 12. Income Taxes, page F-30"
    assert parsed.comments[3].heading == ("1. Summary of Significant Accounting Policies, page F-8")
    assert parsed.comments[2].text == "Please revise."


def test_numbered_caption_with_the_expected_number_is_a_caption() -> None:
    parsed = staff(
        """
General

1. Please revise.

2. Income Taxes, page F-20

2. Please tell us about your valuation allowance.
"""
    )
    assert numbers(parsed) == [1, 2]
    assert parsed.comments[1].heading == "2. Income Taxes, page F-20"
    assert parsed.comments[1].text == "Please tell us about your valuation allowance."


def test_buried_number_behind_mail_merge_residue() -> None:
    parsed = staff(
        """
General

1. Please revise.

Tony Xu 2. We note your references to your "Marketplace."

3. Please revise.
"""
    )
    assert numbers(parsed) == [1, 2, 3]
    assert parsed.comments[1].text == 'We note your references to your "Marketplace."'


# --- staff letters: headings --------------------------------------------------------------


def test_stacked_captions_use_the_last_and_later_comments_inherit() -> None:
    parsed = staff(
        """
Form 10-K for the Fiscal Year Ended December 31, 2021

Notes to Consolidated Financial Statements
Note 2 - Revenue, page 35

1. Please revise.

2. Please also revise.

Form 8-K filed February 1, 2022

3. Please revise the press release.
"""
    )
    assert [c.heading for c in parsed.comments] == [
        "Note 2 - Revenue, page 35",
        "Note 2 - Revenue, page 35",
        "Form 8-K filed February 1, 2022",
    ]


def test_wrapped_caption_is_joined() -> None:
    parsed = staff(
        """
Management's Discussion and Analysis of Financial Condition and Results of Operations, page
78

1. Please revise.
"""
    )
    assert parsed.comments[0].heading == (
        "Management's Discussion and Analysis of Financial Condition and Results of "
        "Operations, page 78"
    )


def test_no_heading() -> None:
    parsed = staff("1. Please revise.\n\n2. Please explain.")
    assert [c.heading for c in parsed.comments] == [None, None]


def test_caption_glued_to_the_previous_comment_text_extract_layout() -> None:
    parsed = staff(
        """
Products and Services Performance, page 22

1. We note your response to prior comment 1. Please describe further the qualitative
factors considered in your discussion.
Notes to Consolidated Financial Statements
Note 2 - Revenue, page 35

2. We note your response to prior comment 2.
"""
    )
    first, second = parsed.comments
    assert first.text.endswith("considered in your discussion.")
    assert second.heading == "Note 2 - Revenue, page 35"


def test_page_header_inside_a_comment_is_dropped() -> None:
    parsed = staff(
        """
General

1. We note that the acquisition is a matter with respect to

Jane Doe
Example Corp.
May 26, 2022

which information is called for by other items. Please advise.
"""
    )
    assert parsed.comments[0].text == (
        "We note that the acquisition is a matter with respect to which information is "
        "called for by other items. Please advise."
    )


# --- staff letters: closing boilerplate ---------------------------------------------------


@pytest.mark.parametrize(
    "closing",
    [
        CLOSING,
        "You may contact John Roe at (202) 551-3805 with any questions.\n\nSincerely,",
        "Please contact John Roe at (202) 551-3805 with any questions.",
        "Please direct any questions to John Roe at (202) 551-3805.",
        "In closing, we remind you that the company and its management are responsible for\n"
        "the accuracy and adequacy of their disclosures.",
        "We urge all persons who are responsible for the accuracy and adequacy of the\n"
        "disclosure in the filing to be certain that the filing includes the information.",
        "Sincerely,\n\n/s/ Cecilia Blye",
        "cc: Amanda Ravitz",
        "W e remind y ou that the company and its management are responsible for the accura cy\n"
        "and adequacy of their disclosures.",
    ],
)
def test_closing_boilerplate_ends_the_last_comment(closing: str) -> None:
    parsed = staff("General\n\n1. Please revise.\n\n2. Please explain.", closing=closing)
    assert numbers(parsed) == [1, 2]
    assert parsed.comments[-1].text == "Please explain."


def test_tandy_acknowledgement_bullets_are_not_comments() -> None:
    closing = """\
We urge all persons who are responsible for the accuracy and adequacy of the disclosure
in the filing to be certain that the filing includes the information the Securities Exchange
Act of 1934 requires.

In responding to our comments, please provide a written statement from the company
acknowledging that:

1. the company is responsible for the adequacy and accuracy of the disclosure in the filing;

2. staff comments or changes to disclosure in response to staff comments do not foreclose
the Commission from taking any action with respect to the filing; and

3. the company may not assert staff comments as a defense in any proceeding.

You may contact Jennifer Hardy at (202) 551-3767 if you have any questions.
"""
    parsed = staff("General\n\n1. Please revise.\n\n2. Please explain.", closing=closing)
    assert numbers(parsed) == [1, 2]
    assert parsed.comments[-1].text == "Please explain."


def test_tandy_bullets_with_glyphs_after_the_last_comment() -> None:
    closing = """\
In responding to our comments, please provide a written statement from the company
acknowledging that:

• the company is responsible for the adequacy and accuracy of the disclosure in the filing;

• the company may not assert staff comments as a defense in any proceeding.
"""
    parsed = staff("General\n\n1. Please revise.", closing=closing)
    assert [c.text for c in parsed.comments] == ["Please revise."]


# --- staff letters without comments -------------------------------------------------------


def test_review_complete_letter_has_no_comments_and_no_warning() -> None:
    text = """\
June 1, 2022

Jane Doe
Example Corp.

Re: Example Corp.
Form 10-K for the Fiscal Year Ended December 31, 2021
File No. 001-12345

Dear Ms. Doe:

We have completed our review of your filing. We remind you that the company and its
management are responsible for the accuracy and adequacy of their disclosures.

Sincerely,

Division of Corporation Finance
"""
    assert parse_comments(text, sender="sec") == CommentParse((), ())


def test_comment_letter_without_numbered_comments_is_reported() -> None:
    parsed = staff("We note your disclosure about your segments but found nothing else.")
    assert parsed.comments == ()
    assert parsed.warnings == ("no numbered comments found",)


# --- company responses --------------------------------------------------------------------

RESPONSE_OPENING = """\
June 3, 2022

VIA EDGAR

U.S. Securities and Exchange Commission
Division of Corporation Finance
100 F Street, N.E.
Washington, D.C. 20549

Re: Example Corp.
Form 10-K for the Fiscal Year Ended December 31, 2021
File No. 001-12345

Ladies and Gentlemen:

Example Corp. hereby responds to the comments of the staff dated May 26, 2022. For the
convenience of the Staff, the Company has restated the comments in italics, followed by the
Company's response.
"""

RESPONSE_CLOSING = """\
* * *

If you have any questions, please do not hesitate to contact me at (702) 555-0100.

Very truly yours,

/s/ John Smith
"""


def response(body: str) -> CommentParse:
    return parse_comments(
        f"{RESPONSE_OPENING}\n{body.strip()}\n\n{RESPONSE_CLOSING}", sender="company"
    )


def pairs(parsed: CommentParse) -> list[tuple[int, str | None, str, str | None]]:
    return [(c.number, c.heading, c.text, c.response) for c in parsed.comments]


def test_numbered_restatement_with_response_labels() -> None:
    parsed = response(
        """
Form 10-K for the Fiscal Year Ended December 31, 2021

General

1.

We note that a majority of your operations are conducted in Macao.

Response: We acknowledge the Staff's comment.

We believe our disclosure is adequate.

Segment Adjusted Property EBITDA, page 51

2. Please revise your disclosure to include a reconciliation.

Response:

We will include the reconciliation in future filings.
"""
    )
    assert pairs(parsed) == [
        (
            1,
            "General",
            "We note that a majority of your operations are conducted in Macao.",
            "We acknowledge the Staff's comment.\n\nWe believe our disclosure is adequate.",
        ),
        (
            2,
            "Segment Adjusted Property EBITDA, page 51",
            "Please revise your disclosure to include a reconciliation.",
            "We will include the reconciliation in future filings.",
        ),
    ]


def test_comment_no_labels_and_response_to_comment_labels() -> None:
    parsed = response(
        """
Capitalization, page 87

Comment No. 1

1.

We note your presentation of Combined Debt.

Response to Comment No. 1

We acknowledge the Staff's comment.

Comment No. 2

2. Please clarify the costs in footnote (1).

Response to Comment No. 2

The costs include land.
"""
    )
    assert pairs(parsed) == [
        (
            1,
            "Capitalization, page 87",
            "We note your presentation of Combined Debt.",
            "We acknowledge the Staff's comment.",
        ),
        (
            2,
            "Capitalization, page 87",
            "Please clarify the costs in footnote (1).",
            "The costs include land.",
        ),
    ]


def test_comment_label_followed_by_its_caption() -> None:
    parsed = response(
        """
Comment #1:

General

We are aware of a recent news report.

Response to Comment #1:

Marriott acquired Starwood's portfolio.

Comment #2:

Please discuss the materiality of any contacts.

Response to Comment #2:

Marriott believes that its operations comply.
"""
    )
    assert pairs(parsed) == [
        (
            1,
            "General",
            "We are aware of a recent news report.",
            "Marriott acquired Starwood's portfolio.",
        ),
        (
            2,
            "General",
            "Please discuss the materiality of any contacts.",
            "Marriott believes that its operations comply.",
        ),
    ]


@pytest.mark.parametrize(
    ("comment", "label"),
    [
        ("1. Staff's comment: We note your disclosure.", "Response: We confirm it."),
        ("Staff Comment No. 1: We note your disclosure.", "Company Response: We confirm it."),
        ("1.\n\nComment: We note your disclosure.", "Response: We confirm it."),
        ("1. We note your disclosure.", "RESPONSE:\n\nWe confirm it."),
        ("1. We note your disclosure.", "Response\n\nWe confirm it."),
    ],
)
def test_label_styles(comment: str, label: str) -> None:
    parsed = response(f"General\n\n{comment}\n\n{label}")
    assert pairs(parsed) == [(1, "General", "We note your disclosure.", "We confirm it.")]


def test_unnumbered_restatement_before_response_labels() -> None:
    parsed = response(
        """
Note 9: Segment Reporting, page 57

Comment: We note that you disclose net revenues in your segment footnote.

Response: We confirm that both measures are used by the CODM.

Goodwill, page 60

Please tell us how many reporting units you have.

Response: We have one reporting unit.
"""
    )
    assert pairs(parsed) == [
        (
            1,
            "Note 9: Segment Reporting, page 57",
            "We note that you disclose net revenues in your segment footnote.",
            "We confirm that both measures are used by the CODM.",
        ),
        (
            2,
            "Goodwill, page 60",
            "Please tell us how many reporting units you have.",
            "We have one reporting unit.",
        ),
    ]


def test_numbered_list_inside_a_response_is_not_a_comment() -> None:
    parsed = response(
        """
General

1. Please describe your hotels in Syria.

Response:

Starwood's portfolio included the following hotels:

1. Sheraton Damascus Hotel;

2. Sheraton Aleppo; and

3. Sheraton Sednaya.

2. Please discuss the materiality of these contacts.

Response:

They are not material.
"""
    )
    assert [(c.number, c.text) for c in parsed.comments] == [
        (1, "Please describe your hotels in Syria."),
        (2, "Please discuss the materiality of these contacts."),
    ]
    assert parsed.comments[0].response.endswith("3. Sheraton Sednaya.")
    assert parsed.comments[1].response == "They are not material."


def test_restated_comment_without_response_label() -> None:
    parsed = response(
        """
Exhibit 99.1

1. We note you exclude restructuring costs. Please explain to us why these are not normal
operating expenses.

We exclude the costs of our restructuring program as the program is not recurring.

2. We note that you adjust Adjusted EPS for your equity investees:

• please explain the adjustment; and

• tell us the amounts.

We record our equity method earnings as prescribed by U.S. GAAP.
"""
    )
    assert pairs(parsed) == [
        (
            1,
            "Exhibit 99.1",
            "We note you exclude restructuring costs. Please explain to us why these are not "
            "normal operating expenses.",
            "We exclude the costs of our restructuring program as the program is not recurring.",
        ),
        (
            2,
            "Exhibit 99.1",
            "We note that you adjust Adjusted EPS for your equity investees:\n\n"
            "• please explain the adjustment; and\n\n• tell us the amounts.",
            "We record our equity method earnings as prescribed by U.S. GAAP.",
        ),
    ]


def test_answers_by_number_without_restatement() -> None:
    text = """\
Ladies and Gentlemen:

We respond below to the comments in your letter dated May 26, 2022.

1. The Company has revised the disclosure on page 12 as requested.

2. The Company will file the agreement as an exhibit.

Sincerely,
"""
    parsed = parse_comments(text, sender="company")
    assert pairs(parsed) == [
        (1, None, "", "The Company has revised the disclosure on page 12 as requested."),
        (2, None, "", "The Company will file the agreement as an exhibit."),
    ]


def test_acceleration_request_has_no_comments() -> None:
    text = """\
Ladies and Gentlemen:

In accordance with Rule 461 under the Securities Act of 1933, as amended, Example Corp.
hereby requests acceleration of the effective date of the Registration Statement.

In connection with this request, the Company acknowledges that:

1. should the Commission declare the filing effective, it does not foreclose the Commission
from taking any action with respect to the filing;

2. the Company may not assert staff comments as a defense in any proceeding.

Sincerely,
"""
    assert parse_comments(text, sender="company") == CommentParse((), ())


def test_response_stops_at_closing() -> None:
    parsed = response("General\n\n1. We note your disclosure.\n\nResponse: We confirm it.")
    assert parsed.comments[0].response == "We confirm it."


def test_sub_answers_inside_one_comment_stay_together() -> None:
    parsed = response(
        """
Exhibit 99.3

1.

We note your response to prior comment 3.

a.

Please tell us the macroeconomic conditions.

Response:

Conditions were positive.

b.

Please tell us how you estimated fair value.

Response:

We used market data.
"""
    )
    assert numbers(parsed) == [1]
    assert parsed.comments[0].response.endswith("We used market data.")


# --- robustness ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "1.",
        "\x00\x01\x02" * 500,
        "Response:\n\n" * 200,
        "Comment No. 1\n\n" * 200,
        "1. " + "9. " * 5_000,
        "a" * 300_000,
        "Dear Sir:\n\n" + "\n\n".join(f"{n}. Please tell us." for n in range(1, 400)),
    ],
)
@pytest.mark.parametrize("sender", ["sec", "company"])
def test_odd_input_never_raises(text: str, sender: str) -> None:
    parsed = parse_comments(text, sender=sender)
    assert isinstance(parsed, CommentParse)
    assert all(comment.number > 0 for comment in parsed.comments)


def test_huge_input_is_truncated_with_a_warning() -> None:
    parsed = parse_comments("Dear Sir:\n\n" + "x " * 1_000_000, sender="sec")
    assert parsed.comments == ()
    assert parsed.warnings[0].startswith("text truncated")


# --- real letters -------------------------------------------------------------------------


def _letter(samples_dir: Path, folder: str) -> str:
    return clean_text(letter_from_folder(samples_dir / "documents" / folder).text)


def _first_words(text: str, count: int = 6) -> str:
    return " ".join(text.split()[:count])


def _squashed(text: str) -> str:
    """Without whitespace, dashes unified: PDF text layers differ in both."""
    return re.sub(r"[-–—]+", "-", "".join(text.split()))


# Staff letters: (folder, numbers 1..n, {number: (heading, first words)}), read by hand.
STAFF_LETTERS = [
    # Las Vegas Sands 2022: two captions stacked above comment 2.
    (
        "1300514/000000000022005802",
        2,
        {
            1: ("General", "We note that a majority of"),
            2: (
                "Segment Adjusted Property EBITDA, page 51",
                "Please revise your disclosure to include",
            ),
        },
    ),
    # Agilent 2016: Tandy acknowledgement with bullets after the two comments.
    (
        "1090872/000000000016092800",
        2,
        {
            1: ("General", "We are aware of third party"),
            2: ("General", "Please discuss the materiality of any"),
        },
    ),
    # DoorDash DRS 2020: 29 comments; 10 and 29 sit behind mail-merge residue.
    (
        "1792789/000000000020002224",
        29,
        {
            1: ("Overview, page 1", "We note that you provide definitions"),
            10: (
                "Management's Discussion and Analysis of Financial Condition and Results of "
                "Operations, page 78",
                "We note your references throughout the",
            ),
            29: ("General", "Please supplementally provide us with copies"),
        },
    ),
    # Baker Hughes / Bear Newco S-4 2017: 35 comments under many captions.
    (
        "1701605/000000000017014455",
        35,
        {
            1: (
                "How will my rights as a New Baker Hughes stockholder after Closing differ "
                "from my current rights as a Baker Hughes stockholder? , page 7",
                "Please briefly indicate any material",
            ),
            22: ("Note 3 - Purchase Accounting Adjustments, page 162", "Please add a tabulation"),
            35: ("Oilfield Operations, page 4", "We note that on December 30,"),
        },
    ),
    # AppLovin S-1 2020: 21 comments.
    (
        "1751008/000000000020012628",
        21,
        {
            9: ("Business, page 99", "Please revise to include your basis"),
            21: ("General", "Please supplementally provide us with copies"),
        },
    ),
    # Best Buy 2016: "2. Discontinued Operations, page 69" and "10. Income Taxes, page 85"
    # are captions of the filing, not comments.
    (
        "764478/000000000016088191",
        7,
        {
            4: ("2. Discontinued Operations, page 69", "Please provide us with your calculation"),
            5: ("10. Income Taxes, page 85", "Please separately reconcile for us the"),
        },
    ),
    # Wynn 2018 letter to a soliciting shareholder: no captions, page header mid-letter.
    ("1174922/000000000018013115", 4, {4: (None, "In future filings, please revise")}),
]


@pytest.mark.samples
@pytest.mark.parametrize(("folder", "count", "expected"), STAFF_LETTERS)
def test_real_staff_letters(
    samples_dir: Path, folder: str, count: int, expected: dict[int, tuple[str | None, str]]
) -> None:
    parsed = parse_comments(_letter(samples_dir, folder), sender="sec")
    assert numbers(parsed) == list(range(1, count + 1))
    assert parsed.warnings == ()
    for number, (heading, first_words) in expected.items():
        comment = parsed.comments[number - 1]
        assert _squashed(comment.heading or "") == _squashed(heading or "")
        assert _squashed(comment.text).startswith(_squashed(first_words)), comment.text[:80]


@pytest.mark.samples
@pytest.mark.parametrize(
    "folder",
    [
        "1551152/000000000021005685",  # review complete
        "1551152/000000000020009552",  # no review
        "1090872/000000000016095373",  # 2016 closing letter
    ],
)
def test_real_staff_letters_without_comments(samples_dir: Path, folder: str) -> None:
    assert parse_comments(_letter(samples_dir, folder), sender="sec") == CommentParse((), ())


# Responses: (folder, [(number, restated first words, response first words)]), read by hand.
RESPONSES = [
    # Las Vegas Sands: "1." alone, restated text, "Response:".
    (
        "1300514/000130051422000075",
        [
            (1, "We note that a majority of", "We acknowledge the Staff’s comment. We"),
            (
                2,
                "Please revise your disclosure to include",
                "We acknowledge the Staff’s comment. We",
            ),
        ],
    ),
    # BXP: "Comment No. 1" / "1." / text / "Response to Comment No. 1".
    (
        "1037540/000165642317000008",
        [(1, "We note your presentation of Combined", "We acknowledge the Staff’s comment and")],
    ),
    # ADM 2020: "1." / "Comment: …" / "Response: …".
    (
        "7084/000000708420000029",
        [
            (1, "We note you have recorded asset", "The Company notes that the referenced"),
            (2, "Please enhance your future disclosures to", "The Company will enhance its future"),
            (3, "We note that you are temporarily", "Due to the recent short-term supply"),
        ],
    ),
    # Mondelez 2016: numbered restatement, answer without a label.
    (
        "1103982/000119312516733863",
        [
            (1, "We note you exclude restructuring costs", "We exclude the costs of our"),
            (2, "We note that you adjust your", "We record and report “equity method"),
        ],
    ),
    # ADM 2020 follow-up: a single restated comment numbered 3 (prior comment 3).
    (
        "7084/000000708420000031",
        [(3, "We note your response to prior", "We will enhance our future disclosures")],
    ),
]


@pytest.mark.samples
@pytest.mark.parametrize(("folder", "expected"), RESPONSES)
def test_real_responses(
    samples_dir: Path, folder: str, expected: list[tuple[int, str, str]]
) -> None:
    parsed = parse_comments(_letter(samples_dir, folder), sender="company")
    got = [
        (c.number, _squashed(_first_words(c.text)), _squashed(_first_words(c.response or "")))
        for c in parsed.comments
    ]
    assert got == [(n, _squashed(t), _squashed(r)) for n, t, r in expected]


@pytest.mark.samples
@pytest.mark.parametrize(
    "folder",
    [
        "7084/000000708418000005",  # answers two comments in prose, restates none
        "1551152/000110465920114898",  # acceleration request
        "1701605/000119312517185516",  # acceleration request with numbered acknowledgements
    ],
)
def test_real_company_letters_without_comments(samples_dir: Path, folder: str) -> None:
    assert parse_comments(_letter(samples_dir, folder), sender="company").comments == ()


@pytest.mark.samples
def test_every_sample_letter_parses(samples_dir: Path) -> None:
    folders = sorted(p for p in (samples_dir / "documents").glob("*/*") if p.is_dir())
    assert len(folders) > 300
    elapsed = 0.0
    for folder in folders:
        letter = letter_from_folder(folder)
        text = clean_text(letter.text)
        sender = "sec" if letter.form == "UPLOAD" else "company"
        started = time.perf_counter()
        parsed = parse_comments(text, sender=sender)
        elapsed += time.perf_counter() - started
        assert isinstance(parsed, CommentParse)
        found = [c.number for c in parsed.comments]
        if sender == "sec":
            assert found == sorted(set(found)), folder
            assert all(c.text for c in parsed.comments), folder
    assert len(folders) / elapsed > 100  # letters per second, one core


def test_long_run_of_addressee_lines_is_read_in_linear_time() -> None:
    # Found by fuzzing (tests/fuzz): a run of lines that look like a page header but are none
    # was rescanned from each of its lines; 3,000 of them took 12 s.
    text = (
        "May 26, 2022\n\nRandy Hyzak\nLas Vegas Sands Corp.\n\nRe: Las Vegas Sands Corp.\n\n"
        "Dear Mr. Hyzak:\n\n1. We note your disclosure\n"
        + "Randy Hyzak\n" * 3000
        + "about Macao.\n\n2. Please revise."
    )
    started = time.perf_counter()
    parsed = parse_comments(clean_text(text), sender="sec")
    assert time.perf_counter() - started < 1.0
    assert [comment.number for comment in parsed.comments] == [1, 2]
    assert parsed.comments[0].text.endswith("Randy Hyzak about Macao.")
