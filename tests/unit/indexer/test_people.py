"""SEC staff and office of a letter (indexer/normalize/people.py).

Synthetic cases cover each rule; the sample cases were checked by reading the letters
(``../shared/edgar-samples/documents``), 2016 to 2025, and the gold file is the oracle for
the rest.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from crawler.extract.letters import letter_from_folder
from indexer.normalize.letter import Office, StaffMember
from indexer.normalize.people import OFFICES, find_office, find_staff
from indexer.normalize.text import clean_text

GOLD = Path(__file__).resolve().parents[2] / "gold" / "letters.json"

LVS_CONTACTS = """We remind you that the company and its management are responsible for the accuracy
and adequacy of their disclosures, notwithstanding any review, comments, action or absence of
action by the staff.

You may contact Frank Knapp, Staff Accountant at (202) 551-3805 or Robert Telewicz,
Accounting Branch Chief at (202) 551-3438 if you have questions regarding comments on the
financial statements and related matters. Please contact Benjamin Holt at (202) 551-6614 or
Pamela Long at (202) 551-3765 with any other questions.

Randy Hyzak Sincerely,

Las Vegas Sands Corp.
Division of Corporation Finance
Office of Real Estate & Construction"""

GSR_SIGNATURE = """Please contact Pradip Bhaumik, Special Counsel, at (202) 551-3333 or me at
(202) 551-
3470 if you have any questions about the comments or our review.

Sincerely,

/s/ Cecilia Blye

Cecilia Blye, Chief
Office of Global Security Risk

cc: Roger Schwall
Assistant Director
(202) 551-3745"""


def _staff(*rows: tuple[str, str | None, str | None]) -> tuple[StaffMember, ...]:
    return tuple(StaffMember(*row) for row in rows)


# --- find_staff: synthetic --------------------------------------------------------------------


def test_contact_paragraph_with_titles_and_phones() -> None:
    assert find_staff(LVS_CONTACTS) == _staff(
        ("Frank Knapp", "Staff Accountant", "(202) 551-3805"),
        ("Robert Telewicz", "Accounting Branch Chief", "(202) 551-3438"),
        ("Benjamin Holt", None, "(202) 551-6614"),
        ("Pamela Long", None, "(202) 551-3765"),
    )


def test_me_is_the_signing_official_and_cc_is_not_staff() -> None:
    assert find_staff(GSR_SIGNATURE) == _staff(
        ("Pradip Bhaumik", "Special Counsel", "(202) 551-3333"),
        ("Cecilia Blye", "Chief", "(202) 551-3470"),
    )


def test_signature_only_letter_names_the_official() -> None:
    text = "We have completed our review.\n\nSincerely,\n\n/s/ John Cash\n\nJohn Cash\n"
    text += "Accounting Branch Chief\nOffice of Manufacturing and\nConstruction"
    assert find_staff(text) == _staff(("John Cash", "Accounting Branch Chief", None))


def test_signed_for_another_official_lists_both() -> None:
    text = (
        "Please contact Laurie Abbott at (202) 551-8071 or the undersigned at (202) 551-3671.\n\n"
        "Sincerely,\n\n/s/ Kate Tillan for\n\nMartin James\n"
        "Senior Assistant Chief Accountant\nOffice of Electronics and Machinery"
    )
    assert find_staff(text) == _staff(
        ("Laurie Abbott", None, "(202) 551-8071"),
        ("Martin James", "Senior Assistant Chief Accountant", "(202) 551-3671"),
        ("Kate Tillan", None, None),
    )


def test_person_in_contacts_and_signature_is_merged() -> None:
    text = (
        "You may contact Mark Rakip, Staff Accountant at 202.551.3573 or Jennifer Monick at "
        "202.551.3295 with any questions.\n\nSincerely,\n\n/s/ Jennifer Monick\n\n"
        "Jennifer Monick\nAssistant Chief Accountant\nOffice of Real Estate and\nCommodities"
    )
    assert find_staff(text) == _staff(
        ("Mark Rakip", "Staff Accountant", "(202) 551-3573"),
        ("Jennifer Monick", "Assistant Chief Accountant", "(202) 551-3295"),
    )


@pytest.mark.parametrize(
    ("printed", "normalized"),
    [
        ("(202) 551-3805", "(202) 551-3805"),
        ("202-551-3805", "(202) 551-3805"),
        ("202.551.3805", "(202) 551-3805"),
        ("202 - 551 - 3805", "(202) 551-3805"),
        ("(202)-551-3805", "(202) 551-3805"),
        ("(2 02) 551 - 380 5", "(202) 551-3805"),
        ("(202) 551-\n3805", "(202) 551-3805"),
        ("(202)\n, , , ,\n551 - 3805", "(202) 551-3805"),
    ],
)
def test_phone_forms_are_normalized(printed: str, normalized: str) -> None:
    text = f"Please contact Jennie Beysolow at {printed} with any questions."
    assert find_staff(text) == _staff(("Jennie Beysolow", None, normalized))


def test_words_split_by_pdf_extraction_are_rejoined() -> None:
    text = (
        "Y ou may contact S uzanne Hayes at (2 02) 551 - 367 5 or Dan iel Porco, Staff "
        "Attorney, at (202) 551 - 3477. Please contact Laurie Abbot t at (202) 551 - 8071 o r "
        "m e at (202) 551 - 3679.\n\nSincerely,\n\n/s/ J i m B. Rosenberg\n\nJ im B. Rosenberg\n"
        "Sen ior Assistant Chief Accountant\nOffice of Healthcare and Insurance"
    )
    assert find_staff(text) == _staff(
        ("Suzanne Hayes", None, "(202) 551-3675"),
        ("Daniel Porco", "Staff Attorney", "(202) 551-3477"),
        ("Laurie Abbott", None, "(202) 551-8071"),
        ("Jim B. Rosenberg", "Senior Assistant Chief Accountant", "(202) 551-3679"),
    )


def test_plural_title_before_names_applies_to_each() -> None:
    text = (
        "You may contact Senior Staff Accountants Ibolya Ignat at (202) 551-3636 or Sasha S. "
        "Parikh at (202) 551-3627 if you have questions regarding the comments."
    )
    assert find_staff(text) == _staff(
        ("Ibolya Ignat", "Senior Staff Accountant", "(202) 551-3636"),
        ("Sasha S. Parikh", "Senior Staff Accountant", "(202) 551-3627"),
    )


def test_title_without_comma_and_missing_or() -> None:
    text = (
        "Please contact Will Mastrianna, Attorney - Advisor at (202) 551-3778 Kathleen Krebs "
        "Special Counsel, at (202) 551-3350 or Mark Brunhofer Senior Staff Accountant, at "
        "(202) 551-3638 with any other questions."
    )
    assert find_staff(text) == _staff(
        ("Will Mastrianna", "Attorney-Advisor", "(202) 551-3778"),
        ("Kathleen Krebs", "Special Counsel", "(202) 551-3350"),
        ("Mark Brunhofer", "Senior Staff Accountant", "(202) 551-3638"),
    )


def test_direct_questions_to_and_hyphenated_names() -> None:
    text = (
        "Please direct any questions to Blake Grady at 202-551-8573 or Irene Barberena-Meissner"
        " at 202-551-\n3444.\n\nMary Kay Henry Sincerely,\n\nService Employees International "
        "Union\nDivision of Corporation Finance\nOffice of Mergers & Acquisitions"
    )
    assert find_staff(text) == _staff(
        ("Blake Grady", None, "(202) 551-8573"),
        ("Irene Barberena-Meissner", None, "(202) 551-3444"),
    )


def test_company_letter_contacts_are_not_staff() -> None:
    text = (
        "If you have any questions regarding the foregoing, please contact either me at "
        "(305) 436-4690 or Wendy A. Beck, Executive Vice President and Chief Financial Officer "
        "at (305) 436-4098.\n\nSincerely,\n\n/s/ Frank J. Del Rio\n\nFrank J. Del Rio\n"
        "President and Chief Executive Officer\n\ncc: Melissa Raminpour, Branch Chief"
    )
    assert find_staff(text) == ()


def test_me_without_a_signer_is_skipped() -> None:
    text = "Please contact me at (202) 551-3589 if you have any questions."
    assert find_staff(text) == ()


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\f\n\n", "Sincerely,", "/s/", "/s/ for", "at (202) 551-3805", "x" * 10_000],
)
def test_odd_input_never_raises(text: str) -> None:
    assert isinstance(find_staff(text), tuple)
    assert find_office(text) is None or isinstance(find_office(text), Office)


# --- find_office: synthetic -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "canonical"),
    [
        (LVS_CONTACTS, "Office of Real Estate & Construction", "Real Estate & Construction"),
        (GSR_SIGNATURE, "Office of Global Security Risk", "Global Security Risk"),
        (
            "Sincerely,\n\n/s/ John Cash\n\nJohn Cash\nAccounting Branch Chief\n"
            "Office of Manufacturing and\nConstruction",
            "Office of Manufacturing and Construction",
            "Manufacturing and Construction",
        ),
        (
            "Sincerely,\n\nJennifer Monick\nAssistant Chief Accountant\nOffice of Real Estate\n"
            "& Commodities",
            "Office of Real Estate & Commodities",
            "Real Estate and Commodities",
        ),
        (
            "Sincerely,\n\nRufus Decker\nOffi fice of Beverages, Apparel and\nMining",
            "Offi fice of Beverages, Apparel and Mining",
            "Beverages, Apparel and Mining",
        ),
        (
            "Sincerely,\n\nLarry Spirgel\nAssistant Director\nAD Office 11 – – Telecommunications",
            "AD Office 11 – – Telecommunications",
            "Telecommunications",
        ),
        (
            "Division of Corporation Finance\nJames Moylan, Jr. AD 11 -Office of\n"
            "Telecommunications\nCiena Corporation\ncc: Erik J. Lichter",
            "AD 11 -Office of Telecommunications",
            "Telecommunications",
        ),
        (
            "Sincerely,\nDavid L. Gitlin\nDivision of Corporation Finance\n"
            "Carrier Global Corporation\nCF Office of Technology\ncc: Edward J. Lee, Esq.",
            "CF Office of Technology",
            "Technology",
        ),
        (
            "Sincerely,\nJeffrey Lavers Division of Corporation Finance\nOffice of Industrial "
            "Applications and\nComapany Name3M Health Care Co\nServices\ncc: Jenna Levine",
            "Office of Industrial Applications and Services",
            "Industrial Applications and Services",
        ),
        (
            "Sincerely,\n\nDivision of Corporation Finance\nDisclosure Review Program",
            "Disclosure Review Program",
            "Disclosure Review Program",
        ),
        (
            "Sincerely,\n\nDivision of Corporation Finance\nOffice of Small Business Policy",
            "Office of Small Business Policy",
            None,
        ),
    ],
)
def test_office_in_staff_signature(text: str, raw: str, canonical: str | None) -> None:
    assert find_office(text) == Office(raw, canonical)


def test_office_in_company_address_block() -> None:
    text = (
        "September 21, 2018\n\nVIA EDGAR\n\nU.S. Securities and Exchange Commission\n"
        "Division of Corporation Finance\nOffice of Information Technology and Services\n"
        "100 F Street, N.E.\nWashington, D.C. 20549\n\nRe: Square, Inc.\n\n"
        "Ladies and Gentlemen:\n\nWe comply with the Office of Foreign Assets Control rules."
        "\n\nSincerely,\n\n/s/ Sarah Friar\nChief Financial Officer\n\ncc: Jack Dorsey"
    )
    assert find_office(text) == Office(
        "Office of Information Technology and Services", "Information Technologies and Services"
    )


def test_signature_office_wins_over_other_mentions() -> None:
    text = (
        "Dear Mr. Smith:\n\nWe refer you to the letter of the Office of Global Security Risk.\n\n"
        "Sincerely,\n\nDivision of Corporation Finance\nOffice of Life Sciences"
    )
    assert find_office(text) == Office("Office of Life Sciences", "Life Sciences")


@pytest.mark.parametrize(
    "text",
    [
        "Sincerely,\n\nDivision of Corporation Finance",
        "We comply with the Office of Foreign Assets Control (OFAC) licensing rules.",
        "Dear Sir:\n\nThe company's Office of the General Counsel reviewed the filing.",
    ],
)
def test_no_office(text: str) -> None:
    assert find_office(text) is None


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        # letters.md §8, to September 2019
        ("Office of Healthcare & Insurance", "Healthcare & Insurance"),
        ("Office of Healthcare and Insurance", "Healthcare & Insurance"),
        (
            "Office of Information Technologies and Services",
            "Information Technologies and Services",
        ),
        ("Office of Transportation and Leisure", "Transportation and Leisure"),
        ("Office of Manufacturing and Construction", "Manufacturing and Construction"),
        ("Office of Financial Services", "Financial Services"),
        ("Office of Telecommunications", "Telecommunications"),
        ("Office of Natural Resources", "Natural Resources"),
        ("Office of Consumer Products", "Consumer Products"),
        ("Office of Real Estate and Commodities", "Real Estate and Commodities"),
        ("Office of Beverages, Apparel and Mining", "Beverages, Apparel and Mining"),
        ("Office of Electronics and Machinery", "Electronics and Machinery"),
        # from September 2019
        ("Office of Technology", "Technology"),
        ("Office of Finance", "Finance"),
        ("Office of Manufacturing", "Manufacturing"),
        ("Office of Energy & Transportation", "Energy & Transportation"),
        ("Office of Energy and Transportation", "Energy & Transportation"),
        ("Office of Real Estate & Construction", "Real Estate & Construction"),
        ("Office of Trade & Services", "Trade & Services"),
        ("Office of Trade and Services", "Trade & Services"),
        ("Office of Life Sciences", "Life Sciences"),
        # later and special offices
        ("Office of Industrial Applications and Services", "Industrial Applications and Services"),
        ("Office of Crypto Assets", "Crypto Assets"),
        ("Office of Mergers & Acquisitions", "Mergers & Acquisitions"),
        ("Office of Mergers and Acquisitions", "Mergers & Acquisitions"),
        ("Office of Global Security Risk", "Global Security Risk"),
        ("OFFICE OF TECHNOLOGY", "Technology"),
    ],
)
def test_canonical_office_names_of_every_era(printed: str, canonical: str) -> None:
    text = f"Sincerely,\n\nDivision of Corporation Finance\n{printed}\n"
    assert find_office(text) == Office(printed, canonical)
    assert canonical in OFFICES


# --- real letters, values checked by reading them ---------------------------------------------

SAMPLES = [
    (
        "1090872/000000000016092800",  # Agilent 2016, Global Security Risk, "or me"
        [
            ("Jennifer Hardy", "Special Counsel", "(202) 551-3767"),
            ("Cecilia Blye", "Chief", "(202) 551-3470"),
        ],
        ("Office of Global Security Risk", "Global Security Risk"),
    ),
    (
        "24545/000000000016060314",  # Molson Coors 2016, "/s/ James Lopez (for)"
        [
            ("Ronald E. Alper", None, "(202) 551-3329"),
            ("James Lopez", None, "(202) 551-3536"),
            ("John Reynolds", "Assistant Director", None),
        ],
        ("Office of Beverages, Apparel and Mining", "Beverages, Apparel and Mining"),
    ),
    (
        "896159/000000000016084378",  # Chubb 2016, plural title, "contact me"
        [
            ("Ibolya Ignat", "Senior Staff Accountant", "(202) 551-3636"),
            ("Sasha S. Parikh", "Senior Staff Accountant", "(202) 551-3627"),
            ("Jim B. Rosenberg", "Senior Assistant Chief Accountant", "(202) 551-3679"),
        ],
        ("Office of Healthcare and Insurance", "Healthcare & Insurance"),
    ),
    (
        "1145197/000000000016082809",  # Insulet 2016, "/s/ Kate Tillan for" Martin James
        [
            ("Julie Sherman", None, "(202) 551-3640"),
            ("Kate Tillan", "Assistant Chief Accountant", "(202) 551-3604"),
            ("Laurie Abbott", None, "(202) 551-8071"),
            ("Russell Mancuso", "Legal Branch Chief", "(202) 551-3617"),
            ("Martin James", "Senior Assistant Chief Accountant", None),
        ],
        ("Office of Electronics and Machinery", "Electronics and Machinery"),
    ),
    (
        "936395/000000000016069477",  # Ciena 2016, AD Office 11, a missing "or"
        [
            ("Joseph Cascarano", "Senior Staff Accountant", "(202) 551-3376"),
            ("Dean Suehiro", "Senior Staff Accountant", "(202) 551-3384"),
            ("Will Mastrianna", "Attorney-Advisor", "(202) 551-3778"),
            ("Kathleen Krebs", "Special Counsel", "(202) 551-3350"),
            ("Larry Spirgel", "Assistant Director", "(202) 551-3810"),
            ("Robert S. Littlepage", None, None),
        ],
        ("AD Office 11 - Telecommunications", "Telecommunications"),
    ),
    (
        "1037540/000000000018024571",  # BXP 2018, "Office of Real Estate / & Commodities"
        [
            ("William Demarest", "Accountant", "(202) 551-3432"),
            ("Jennifer Monick", "Assistant Chief Accountant", "(202) 551-3295"),
        ],
        ("Office of Real Estate & Commodities", "Real Estate and Commodities"),
    ),
    (
        "769397/000000000018024031",  # Autodesk 2018, no "Sincerely", mail-merge signature
        [
            ("Megan Akst", "Senior Staff Accountant", "(202) 551-3407"),
            ("Christine Dietz", "Assistant Chief Accountant", "(202) 551-3408"),
        ],
        (
            "Office of Information Technologies and Services",
            "Information Technologies and Services",
        ),
    ),
    (
        "936395/000000000018004375",  # Ciena 2018, "James Moylan, Jr. AD 11 -Office of"
        [
            ("Kathryn Jacobson", "Senior Staff Accountant", "(202) 551-3365"),
            ("Lisa Etheredge", "Senior Staff Accountant", "(202) 551-3424"),
            ("Joshua Shainess", "Staff Attorney", "(202) 551-7951"),
            ("Larry Spirgel", "Assistant Director", "(202) 551-3815"),
        ],
        ("AD 11 -Office of Telecommunications", "Telecommunications"),
    ),
    (
        "1701605/000000000018030596",  # Baker Hughes 2018, "/s/ Loan Lauren P. Nguyen f for"
        [
            ("Lily Dang", None, "(202) 551-3867"),
            ("Mark Wojciechowski", None, "(202) 551-3759"),
            ("Karl Hiller", "Branch Chief", "(202) 551-3686"),
            ("Loan Lauren P. Nguyen", None, None),
        ],
        ("Office of Natural Resources", "Natural Resources"),
    ),
    (
        "1783180/000000000019014100",  # Carrier 2019, "CF Office of Technology"
        [
            ("Amy Geddes", "Staff Accountant", "(202) 551-3304"),
            ("Doug Jones", "Staff Accountant", "(202) 551-3309"),
            ("J. Nolan McWilliams", "Attorney-Advisor", "(202) 551-3217"),
            ("Laura Nicholson", "Special Counsel", "(202) 551-3584"),
        ],
        ("CF Office of Technology", "Technology"),
    ),
    (
        "1300514/000000000022005802",  # Las Vegas Sands 2022, addressee before "Sincerely,"
        [
            ("Frank Knapp", "Staff Accountant", "(202) 551-3805"),
            ("Robert Telewicz", "Accounting Branch Chief", "(202) 551-3438"),
            ("Benjamin Holt", None, "(202) 551-6614"),
            ("Pamela Long", None, "(202) 551-3765"),
        ],
        ("Office of Real Estate & Construction", "Real Estate & Construction"),
    ),
    (
        "1103982/000000000022009590",  # PepsiCo 2022, Disclosure Review Program
        [
            ("Christopher Dunham", None, "(202) 551-3783"),
            ("Barbara Jacobs", None, "(202) 551-3735"),
        ],
        ("Disclosure Review Program", "Disclosure Review Program"),
    ),
    (
        "829224/000000000024000582",  # Starbucks/SEIU 2024, addressed to the union
        [
            ("Blake Grady", None, "(202) 551-8573"),
            ("Perry Hindin", None, "(202) 551-3444"),
        ],
        ("Office of Mergers & Acquisitions", "Mergers & Acquisitions"),
    ),
    (
        "860731/000000000024004777",  # Tyler 2024 cybersecurity inquiry, no office
        [
            ("Suzanne Hayes", None, "(202) 551-3675"),
            ("James Lopez", None, "(202) 551-3536"),
        ],
        None,
    ),
    (
        "1811074/000000000025010229",  # Texas Pacific Land 2025, engineering contacts
        [
            ("Joseph Klinko", None, "(202) 551-3824"),
            ("Mark Wojciechowski", None, "(202) 551-3759"),
            ("Sandra Wall", "Petroleum Engineer", "(202) 551-4727"),
            ("Brad Skinner", "Office Chief", "(202) 551-3489"),
        ],
        ("Office of Energy & Transportation", "Energy & Transportation"),
    ),
]


def _text(samples_dir: Path, folder: str) -> str:
    return clean_text(letter_from_folder(samples_dir / "documents" / folder).text)


@pytest.mark.samples
@pytest.mark.parametrize(("folder", "staff", "office"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_staff_and_office_of_real_letters(
    samples_dir: Path,
    folder: str,
    staff: list[tuple[str, str | None, str | None]],
    office: tuple[str, str] | None,
) -> None:
    text = _text(samples_dir, folder)
    assert find_staff(text) == _staff(*staff)
    assert find_office(text) == (Office(*office) if office else None)


@pytest.mark.samples
@pytest.mark.parametrize(
    ("folder", "raw", "canonical"),
    [
        ("1512673/000119312518260894", "Office of Information Technology and Services",
         "Information Technologies and Services"),
        ("7084/000119312524255986", "Office of Trade & Services", "Trade & Services"),
        ("1037540/000165642322000035", "Disclosure Review Program", "Disclosure Review Program"),
        ("1551152/000110465921004698", None, None),
    ],
)  # fmt: skip
def test_office_of_real_company_letters(
    samples_dir: Path, folder: str, raw: str | None, canonical: str | None
) -> None:
    text = _text(samples_dir, folder)
    assert find_office(text) == (Office(raw, canonical) if raw else None)
    assert find_staff(text) == ()


@pytest.mark.samples
def test_accuracy_on_the_gold_letters(samples_dir: Path) -> None:
    """Staff (name, title, phone digits) and office as printed, letter by letter."""
    if not GOLD.is_file():
        pytest.skip(f"gold file not found at {GOLD}")
    letters = json.loads(GOLD.read_text())["letters"]
    digits = lambda phone: re.sub(r"\D", "", phone or "") or None  # noqa: E731
    staff_ok = office_ok = staff_total = 0
    misses = []
    for entry in letters:
        text = _text(samples_dir, str(Path(entry["path"]).parent.relative_to("documents")))
        office = find_office(text)
        if (office.raw if office else None) == entry["office"]:
            office_ok += 1
        else:
            misses.append(f"{entry['path']}: office {office} != {entry['office']!r}")
        if entry["form"] != "UPLOAD":
            continue
        staff_total += 1
        found = [(s.name, s.title, digits(s.phone)) for s in find_staff(text)]
        expected = [(s["name"], s["title"], digits(s["phone"])) for s in entry["staff"]]
        if found == expected:
            staff_ok += 1
        else:
            misses.append(f"{entry['path']}: staff {found} != {expected}")
    assert office_ok / len(letters) >= 0.95, misses
    assert staff_ok / staff_total >= 0.95, misses


@pytest.mark.parametrize(
    "text",
    [
        # a long line under the signature: each cut of it was tried as name and title
        "Dear Sir:\n\nSincerely,\n/s/ John Doe\n" + "Ab " * 30_000 + "\nOffice of Technology",
        # many signatures: the rest of the letter was split into lines at each one
        "Dear Sir:\n\n" + "/s/ John Doe\nBranch Chief\n" * 20_000,
    ],
)
def test_staff_are_found_in_linear_time(text: str) -> None:
    # Found by fuzzing (tests/fuzz): the first took minutes, the second 11 s.
    started = time.perf_counter()
    staff = find_staff(text)
    assert time.perf_counter() - started < 3.0
    assert [member.name for member in staff] in ([], ["John Doe"])
