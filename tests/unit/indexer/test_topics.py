"""Topic taxonomy and assignment (indexer/normalize/topics.py and topics.yaml)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from crawler.extract.letters import letter_from_folder
from indexer.normalize.comments import parse_comments
from indexer.normalize.letter import Comment, TopicMatch
from indexer.normalize.text import clean_text
from indexer.normalize.topics import (
    MAX_EVIDENCE,
    MAX_MATCHED_CHARS,
    Taxonomy,
    assign_topics,
    load_taxonomy,
)

LETTERS_MD_TOPICS = {
    "non_gaap_measures", "mdna_results_of_operations", "liquidity_capital_resources",
    "critical_accounting_estimates", "revenue_recognition", "segment_reporting", "fair_value",
    "income_taxes", "goodwill_intangibles_impairment", "business_combinations",
    "consolidation_vie", "contingencies_legal", "leases", "financial_statement_presentation",
    "controls_icfr", "risk_factors", "cybersecurity", "climate", "china_based_issuers",
    "sanctioned_countries", "executive_compensation", "exhibits_signatures", "crypto_assets",
    "offering_terms", "proxy_solicitation", "other",
}  # fmt: skip


def _topics(matches: tuple[TopicMatch, ...], number: int | None = 1) -> list[str]:
    return [match.topic for match in matches if match.comment == number]


def _match(matches: tuple[TopicMatch, ...], topic: str, number: int | None = 1) -> TopicMatch:
    return next(m for m in matches if m.topic == topic and m.comment == number)


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "topics.yaml"
    path.write_text(body, encoding="utf-8")
    return path


# --- the packaged taxonomy --------------------------------------------------------------------


def test_packaged_taxonomy_is_complete_and_valid() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.version
    ids = taxonomy.ids
    assert len(ids) == len(set(ids))
    assert set(ids) >= LETTERS_MD_TOPICS
    assert taxonomy.fallback == "other"
    for topic in taxonomy.topics:
        assert re.fullmatch(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*", topic.id), topic.id
        assert topic.label.strip(), topic.id
        assert topic.description.strip() and "\n" not in topic.description, topic.id
        assert topic.fallback or topic.headings or topic.keywords, topic.id


def test_packaged_taxonomy_is_read_once() -> None:
    assert load_taxonomy() is load_taxonomy()


def test_custom_taxonomy_file(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
version: 7
topics:
  - id: widgets
    label: Widgets
    description: Comments about widgets.
    headings: ['widgets?']
    keywords: ['blue widgets?']
  - id: misc
    label: Miscellaneous
    description: Anything else.
    fallback: true
""",
    )
    taxonomy = load_taxonomy(path)
    assert (taxonomy.version, taxonomy.ids, taxonomy.fallback) == ("7", ("widgets", "misc"), "misc")
    found = assign_topics(
        [Comment(1, None, "We note your Blue Widget sales."), Comment(2, None, "Revenue.")],
        taxonomy=taxonomy,
    )
    assert found == (
        TopicMatch("widgets", 1, ("Blue Widget",)),
        TopicMatch("misc", 2, ()),
    )


@pytest.mark.parametrize(
    ("topic_yaml", "message"),
    [
        (
            "  - {id: bad_regex, label: L, description: D, keywords: ['(unclosed']}",
            r"topic 'bad_regex'.*invalid pattern '\(unclosed'",
        ),
        (
            "  - {id: empty_match, label: L, description: D, headings: ['x?']}",
            r"topic 'empty_match'.*pattern 'x\?' matches empty text",
        ),
        ("  - {id: BadId, label: L, description: D, keywords: [x]}", r"topic 'BadId'.*snake_case"),
        ("  - {id: no_label, description: D, keywords: [x]}", r"topic 'no_label'.*'label'"),
        ("  - {id: no_rules, label: L, description: D}", r"topic 'no_rules'.*at least one"),
        (
            "  - {id: typo_key, label: L, description: D, keyword: [x]}",
            r"topic 'typo_key'.*unknown key.*keyword",
        ),
        (
            "  - {id: not_a_list, label: L, description: D, keywords: x}",
            r"topic 'not_a_list'.*'keywords' must be a list",
        ),
        (
            "  - {id: zero_min, label: L, description: D, keywords: [x], min_keywords: 0}",
            r"topic 'zero_min'.*min_keywords",
        ),
        (
            "  - {id: twice, label: L, description: D, keywords: [x]}\n"
            "  - {id: twice, label: L, description: D, keywords: [y]}",
            r"topic 'twice' is defined twice",
        ),
    ],
)
def test_invalid_taxonomy_is_rejected_naming_the_topic(
    tmp_path: Path, topic_yaml: str, message: str
) -> None:
    path = _write(tmp_path, f"version: 1\ntopics:\n{topic_yaml}\n")
    with pytest.raises(ValueError, match=message):
        load_taxonomy(path)


@pytest.mark.parametrize(
    "body", ["topics: [", "just text", "version: 1\n", "topics: []\n", "version: 1\ntopics: [3]\n"]
)
def test_malformed_taxonomy_file_is_rejected(tmp_path: Path, body: str) -> None:
    with pytest.raises(ValueError, match=r"topics\.yaml"):
        load_taxonomy(_write(tmp_path, body))


# --- assignment rules -------------------------------------------------------------------------


def test_heading_topics_come_first_with_heading_evidence() -> None:
    comment = Comment(
        4,
        "Non-GAAP Financial Measures, page 44",
        "We note your adjustment for the deferred revenue haircut. Tell us how your "
        "performance obligations are satisfied and why Adjusted EBITDA excludes this amount.",
    )
    found = assign_topics([comment])
    assert _topics(found, 4)[:2] == ["non_gaap_measures", "revenue_recognition"]
    non_gaap = _match(found, "non_gaap_measures", 4)
    assert non_gaap.evidence == ("Non-GAAP", "Adjusted EBITDA")


def test_revenue_alone_is_not_revenue_recognition() -> None:
    comment = Comment(
        2,
        "Results of Operations, page 31",
        "Please quantify the changes in revenue and cost of revenues between periods and "
        "discuss the reasons for the increase in revenue from your largest customers.",
    )
    found = assign_topics([comment])
    assert "revenue_recognition" not in _topics(found, 2)
    assert _topics(found, 2)[0] == "mdna_results_of_operations"


def test_keyword_topics_in_order_of_first_mention_and_evidence_as_printed() -> None:
    text = (
        "Your goodwill impairment test used a discount rate.  Please tell us\nhow your "
        "valuation allowance on deferred tax assets was determined. We also note the "
        "goodwill impairment test of 2022 and the Goodwill balance."
    )
    found = assign_topics([Comment(3, None, text)])
    assert _topics(found, 3) == ["goodwill_intangibles_impairment", "income_taxes"]
    goodwill = _match(found, "goodwill_intangibles_impairment", 3)
    assert goodwill.evidence == ("goodwill", "impairment test")  # deduplicated, case-folded
    taxes = _match(found, "income_taxes", 3)
    assert taxes.evidence == ("valuation allowance", "deferred tax assets")


def test_evidence_is_capped() -> None:
    text = (
        "Tell us how you identified performance obligations, allocated the transaction price, "
        "estimated variable consideration and standalone selling prices under ASC 606-10-32-28."
    )
    evidence = _match(assign_topics([Comment(1, None, text)]), "revenue_recognition").evidence
    assert len(evidence) == MAX_EVIDENCE == 3
    assert evidence[0] == "performance obligations"


def test_line_breaks_and_spaced_hyphens_do_not_hide_a_phrase() -> None:
    comment = Comment(
        1, None, "We note your n on\nNon - GAAP measure and the\nrevenue\nrecognition."
    )
    found = assign_topics([comment])
    assert _match(found, "non_gaap_measures").evidence == ("Non-GAAP",)
    assert _match(found, "revenue_recognition").evidence == ("revenue recognition",)


def test_patterns_match_whole_words_only() -> None:
    comment = Comment(1, None, "Your press releases mention a subleased office and whether PRCs.")
    assert assign_topics([comment]) == (TopicMatch("other", 1, ()),)


def test_min_keywords_needs_distinct_phrases_without_a_heading() -> None:
    passing_mention = Comment(
        1, "General", "A credit agreement filed as Exhibit 10.1 refers to Syria and Sudan."
    )
    about_debt = Comment(
        2, None, "You refinanced the term loan. Tell us how you applied ASC 470-50-40-10."
    )
    found = assign_topics([passing_mention, about_debt])
    assert "debt" not in _topics(found, 1)
    assert _match(found, "debt", 2).evidence == ("term loan", "ASC 470-50-40-10")


def test_exclude_vetoes_keywords_but_not_headings(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(
        _write(
            tmp_path,
            """
version: 1
topics:
  - id: leases
    label: Leases
    description: Leases.
    headings: ['leases']
    keywords: ['leases?']
    exclude: ['lease of life']
""",
        )
    )
    found = assign_topics(
        [
            Comment(1, None, "The lease of life extension and the lease."),
            Comment(2, "Note 7. Leases", "The lease of life extension."),
            Comment(3, None, "Your finance lease."),
        ],
        taxonomy=taxonomy,
    )
    assert [(m.topic, m.comment) for m in found] == [("leases", 2), ("leases", 3)]


def test_letter_level_topics_when_there_are_no_comments() -> None:
    inquiry = (
        "April 22, 2024\nBrian Miller\nChief Financial Officer\n\nRE: Tyler Technologies, Inc.\n"
        "CIK 0000860731\n\nDear Brian Miller:\n\nWe note the statement you issued on April 17, "
        "2024, regarding a cybersecurity incident that impacted client data. Please advise us "
        "what consideration you gave to reporting this incident under Item 1.05 of Form 8-K.\n\n"
        "You may contact Suzanne Hayes at (202) 551-3675 with any questions.\n\nSincerely,"
    )
    assert assign_topics([], letter_text=inquiry) == (
        TopicMatch("cybersecurity", None, ("cybersecurity", "Item 1.05")),
    )
    closing = (
        "Re: Proxy Statement on Schedule 14A\n\nDear Mr. Smith:\n\nWe have completed our "
        "review of your filing. We remind you that the company and its management are "
        "responsible for the accuracy and adequacy of their disclosures.\n\nSincerely,"
    )
    assert assign_topics([], letter_text=closing) == ()
    assert assign_topics([]) == ()


def test_comments_win_over_letter_text() -> None:
    found = assign_topics(
        [Comment(1, None, "Please tell us about your lease terms.")],
        letter_text="Dear Sir:\n\nA cybersecurity incident.",
    )
    assert [(m.topic, m.comment) for m in found] == [("leases", 1)]


@pytest.mark.parametrize(
    "comment",
    [
        Comment(1, None, ""),
        Comment(2, "", "   \n\f "),
        Comment(3, "€€€", "\u00a0\u2013 – — ’ “ ” \x00"),
        Comment(4, "non " * 5_000, "GAAP " * 20_000),
    ],
)
def test_odd_comments_never_raise(comment: Comment) -> None:
    found = assign_topics([comment], letter_text="odd")
    assert all(isinstance(match, TopicMatch) for match in found)
    assert found[0].comment == comment.number


def test_default_taxonomy_is_used_when_none_given() -> None:
    taxonomy: Taxonomy = load_taxonomy()
    comment = Comment(1, "Exhibits", "Please file the credit agreement as an exhibit.")
    assert assign_topics([comment]) == assign_topics([comment], taxonomy=taxonomy)


# --- real comments ----------------------------------------------------------------------------


def _comments(samples_dir: Path, folder: str, sender: str = "sec") -> tuple[Comment, ...]:
    text = clean_text(letter_from_folder(samples_dir / "documents" / folder).text)
    return parse_comments(text, sender=sender).comments


def _comment_with(comments: tuple[Comment, ...], phrase: str) -> Comment:
    return next(c for c in comments if phrase in c.text)


@pytest.mark.samples
@pytest.mark.parametrize(
    ("folder", "phrase", "topic", "evidence"),
    [
        # Las Vegas Sands 2022: Macao operations and the China-based sample letter
        (
            "1300514/000000000022005802",
            "Macao",
            "china_based_issuers",
            "Sample Letter to China-Based Companies",
        ),
        # the same letter: reconciliation of Adjusted Property EBITDA
        (
            "1300514/000000000022005802",
            "reconciliation",
            "non_gaap_measures",
            "Item 10(e)(1)(i)(B)",
        ),
        # Agilent 2016: Syria and Sudan, state sponsors of terrorism
        ("1090872/000000000016092800", "third party websites", "sanctioned_countries", "Syria"),
        # Autodesk 2018: ASC 606 performance obligations
        (
            "769397/000000000018024031",
            "single performance",
            "revenue_recognition",
            "Revenue Recognition",
        ),
        # Corning 2022: climate-related disclosure (sample letter on climate change)
        ("24741/000000000022005699", "Sustainability Report", "climate", "climate-related"),
        # Marriott 2021: the auditor's report on ICFR
        ("1048286/000000000021003413", "auditor", "auditor_matters", "Report of Independent"),
        # Carrier 2019: exclusive forum provision
        (
            "1783180/000000000019013211",
            "exclusive forum",
            "corporate_governance",
            "exclusive forum",
        ),
        # ADM 2024: reportable segments and the CODM
        (
            "7084/000000000024010044",
            "reportable segments",
            "segment_reporting",
            "reportable segments",
        ),
    ],
)
def test_topics_of_real_comments(
    samples_dir: Path, folder: str, phrase: str, topic: str, evidence: str
) -> None:
    comments = _comments(samples_dir, folder)
    comment = _comment_with(comments, phrase)
    match = _match(assign_topics(comments), topic, comment.number)
    assert evidence in match.evidence


@pytest.mark.samples
def test_real_cybersecurity_inquiry_gets_a_letter_level_topic(samples_dir: Path) -> None:
    text = clean_text(
        letter_from_folder(samples_dir / "documents" / "860731/000000000024004777").text
    )
    comments = parse_comments(text, sender="sec").comments
    assert comments == ()
    found = assign_topics(comments, letter_text=text)
    assert [(m.topic, m.comment) for m in found] == [("cybersecurity", None)]


@pytest.mark.samples
def test_restated_comments_of_a_response_get_topics(samples_dir: Path) -> None:
    comments = _comments(samples_dir, "1300514/000130051422000075", sender="company")
    found = assign_topics(comments)
    china = _comment_with(comments, "Macao")
    assert "china_based_issuers" in _topics(found, china.number)


def test_long_capitals_line_in_the_letter_body_is_read_in_linear_time() -> None:
    # Found by fuzzing (tests/fuzz): the all-capitals-line pattern tried each capital pair
    # against the rest of a line that ends in lower case; 180,000 characters took 34 s.
    load_taxonomy()
    body = (
        "Dear Sir:\n\n" + "AB " * 60_000 + "x\n\nWe note the cybersecurity incident.\n\nSincerely,"
    )
    started = time.perf_counter()
    found = assign_topics([], letter_text=body)
    assert time.perf_counter() - started < 2.0
    assert [(m.topic, m.comment) for m in found] == [("cybersecurity", None)]


def test_only_the_first_matched_characters_of_a_text_are_matched() -> None:
    # A 1.5 MB letter took seconds in the topic patterns alone; beyond MAX_MATCHED_CHARS
    # nothing is matched.
    filler = "x " * (MAX_MATCHED_CHARS // 2)
    late = Comment(1, None, filler + "We note the cybersecurity incident.")
    early = Comment(2, None, "We note the cybersecurity incident. " + filler)
    found = assign_topics([late, early])
    assert [(m.topic, m.comment) for m in found] == [("other", 1), ("cybersecurity", 2)]
