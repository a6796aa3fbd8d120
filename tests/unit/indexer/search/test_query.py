"""The forgiving search syntax: parse_query, describe, highlight_terms and to_es_query."""

from __future__ import annotations

import json
import random

import pytest

from indexer.schema import index_template
from indexer.search.query import (
    MAX_DEPTH,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    PREFIXES,
    And,
    Node,
    Not,
    Or,
    ParsedQuery,
    Term,
    parse_query,
)
from indexer.search.query_es import (
    COMMENT_FIELDS,
    LETTER_FIELDS,
    FieldMap,
    PrefixField,
    to_es_query,
)

# Field names of this test map are fixed here, so the tests do not follow LETTER_FIELDS.
FIELDS = FieldMap(
    text_fields=("text", "comments_text"),
    prefixes={
        "company": PrefixField("company", "text"),
        "file": PrefixField("file_numbers", "keyword"),
        "cik": PrefixField("ciks", "keyword"),
        "form": PrefixField("form", "keyword"),
        "type": PrefixField("letter_type", "keyword"),
        "topic": PrefixField("topics", "keyword"),
        "office": PrefixField("office", "keyword", case_insensitive=True),
        "staff": PrefixField("staff_names", "text"),
        "heading": PrefixField("comments.heading", "text", nested_path="comments"),
        "response": PrefixField("response", "text"),
    },
)
TEXT = ["text", "comments_text"]


def w(text: str, field: str | None = None, *, prefix: bool = False) -> Term:
    return Term(text, field, phrase=False, prefix=prefix)


def p(text: str, field: str | None = None, *, prefix: bool = False) -> Term:
    return Term(text, field, phrase=True, prefix=prefix)


def root(text: str) -> Node | None:
    return parse_query(text).root


def words(text: str) -> dict:
    query = {"query": text, "fields": TEXT, "type": "best_fields", "operator": "and"}
    return {"multi_match": query}


def phrase(text: str) -> dict:
    return {"multi_match": {"query": text, "fields": TEXT, "type": "phrase"}}


def any_of(*clauses: dict) -> dict:
    return {"bool": {"should": list(clauses), "minimum_should_match": 1}}


# ---------------------------------------------------------------- empty input


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\t\n", "AND", "OR", "NOT", "AND OR NOT", "()", "(())", '""', '"', "-", "+", "*",
     "* ** ***", "-*", "( ) ) (", "&& ||", "NOT ()", "\x00\x07", "company:", "...", "§ —"],
)  # fmt: skip
def test_empty_and_all_operator_input_matches_everything(text: str) -> None:
    parsed = parse_query(text)
    assert parsed.is_empty
    assert parsed.root is None
    assert parsed.describe() == ""
    assert parsed.highlight_terms() == ()
    assert to_es_query(parsed, fields=FIELDS) == {"match_all": {}}


# ---------------------------------------------------------------- words and phrases


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("revenue", w("revenue")),
        ("revenue recognition", And((w("revenue"), w("recognition")))),
        ("  revenue\t\nrecognition  ", And((w("revenue"), w("recognition")))),
        ("non-GAAP", w("non-GAAP")),
        ("10-K", w("10-K")),
        ("U.S.", w("U.S.")),
        ("Bilanzierung Umsätze", And((w("Bilanzierung"), w("Umsätze")))),
        ("a & b", And((w("a"), w("b")))),
        ("revenue and recognition", And((w("revenue"), w("and"), w("recognition")))),
        ("to be or not to be", And(tuple(map(w, ["to", "be", "or", "not", "to", "be"])))),
        ("10:30", w("10:30")),
    ],
)
def test_bare_words_all_must_match(text: str, expected: Node) -> None:
    assert root(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"revenue recognition"', p("revenue recognition")),
        ('"  revenue   recognition "', p("revenue recognition")),
        ('"revenue recognition', p("revenue recognition")),
        ("“revenue recognition”", p("revenue recognition")),
        ('"a" "b c"', And((p("a"), p("b c")))),
        ('gaap"non gaap"', And((w("gaap"), p("non gaap")))),
        ('"to be OR NOT to be (really)"', p("to be OR NOT to be (really)")),
        ('"" revenue', w("revenue")),
        ('revenue "', w("revenue")),
    ],
)
def test_phrases(text: str, expected: Node) -> None:
    assert root(text) == expected


def test_an_unbalanced_quote_is_closed_at_the_end() -> None:
    parsed = parse_query('revenue "going concern')
    assert parsed.root == And((w("revenue"), p("going concern")))
    assert parsed.warnings == ("an unbalanced quote is closed at the end",)
    assert parse_query('"a" "b" "c').root == And((p("a"), p("b"), p("c")))


# ---------------------------------------------------------------- operators


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("revenue OR sales", Or((w("revenue"), w("sales")))),
        ("revenue OR sales recognition", And((Or((w("revenue"), w("sales"))), w("recognition")))),
        ("revenue OR sales AND rec", And((Or((w("revenue"), w("sales"))), w("rec")))),
        ("recognition revenue OR sales", And((w("recognition"), Or((w("revenue"), w("sales")))))),
        ("a OR b OR c", Or((w("a"), w("b"), w("c")))),
        ("a b OR c d", And((w("a"), Or((w("b"), w("c"))), w("d")))),
        ("a AND b", And((w("a"), w("b")))),
        ("a AND b AND c", And((w("a"), w("b"), w("c")))),
        ('"going concern" OR liquidity', Or((p("going concern"), w("liquidity")))),
        ("a or b", And((w("a"), w("or"), w("b")))),
        ("a Or b", And((w("a"), w("Or"), w("b")))),
    ],
)
def test_or_binds_tighter_than_and(text: str, expected: Node) -> None:
    assert root(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("revenue NOT gaap", And((w("revenue"), Not(w("gaap"))))),
        ("revenue AND NOT gaap", And((w("revenue"), Not(w("gaap"))))),
        ("revenue -gaap", And((w("revenue"), Not(w("gaap"))))),
        ("-gaap revenue", And((Not(w("gaap")), w("revenue")))),
        ("+revenue +recognition", And((w("revenue"), w("recognition")))),
        ('revenue -"going concern"', And((w("revenue"), Not(p("going concern"))))),
        ("-revenue", Not(w("revenue"))),
        ("--revenue", w("revenue")),
        ("+-revenue", Not(w("revenue"))),
        ("a NOT NOT b", And((w("a"), w("b")))),
        ("a NOT -b", And((w("a"), w("b")))),
        ("a OR NOT b", Or((w("a"), Not(w("b"))))),
        ("-(a OR b) c", And((Not(Or((w("a"), w("b")))), w("c")))),
        ("c NOT (a b)", And((w("c"), Not(And((w("a"), w("b"))))))),
        ("-company:apple", Not(w("apple", "company"))),
        ("-AND revenue", And((Not(w("and")), w("revenue")))),
        ("+OR", w("or")),
        ("revenue - gaap", And((w("revenue"), w("gaap")))),
        ("revenue -", w("revenue")),
        ("(revenue -)", w("revenue")),
    ],
)
def test_not_and_modifiers(text: str, expected: Node) -> None:
    assert root(text) == expected


@pytest.mark.parametrize(
    ("text", "expected", "warning"),
    [
        ("AND revenue", w("revenue"), "a leading AND is ignored"),
        ("OR revenue sales", And((w("revenue"), w("sales"))), "a leading OR is ignored"),
        ("revenue AND", w("revenue"), "a dangling AND is ignored"),
        ("revenue OR", w("revenue"), "a dangling OR is ignored"),
        ("revenue NOT", w("revenue"), "a dangling NOT is ignored"),
        ("a AND OR b", And((w("a"), w("b"))), "a dangling OR is ignored"),
        ("a OR AND b", And((w("a"), w("b"))), "a dangling OR is ignored"),
        ("a OR OR b", Or((w("a"), w("b"))), "a dangling OR is ignored"),
        ("(OR a) b", And((w("a"), w("b"))), "a dangling OR is ignored"),
        ("(a OR) b", And((w("a"), w("b"))), "a dangling OR is ignored"),
        ("(a AND) b", And((w("a"), w("b"))), "a dangling AND is ignored"),
        ("a (NOT) b", And((w("a"), w("b"))), "a dangling NOT is ignored"),
        ("a OR () b", And((w("a"), w("b"))), "a dangling OR is ignored"),
    ],
)
def test_dangling_operators_are_dropped(text: str, expected: Node, warning: str) -> None:
    parsed = parse_query(text)
    assert parsed.root == expected
    assert warning in parsed.warnings


def test_not_inside_a_group_still_negates() -> None:
    assert root("(NOT a) b") == And((Not(w("a")), w("b")))


# ---------------------------------------------------------------- parentheses


@pytest.mark.parametrize(
    ("text", "expected", "warnings"),
    [
        ("(a OR b) c", And((Or((w("a"), w("b"))), w("c"))), ()),
        ("((a))", w("a"), ()),
        ("a (b c)", And((w("a"), w("b"), w("c"))), ()),
        ("(a OR b) OR c", Or((w("a"), w("b"), w("c"))), ()),
        ("(a b) OR c", Or((And((w("a"), w("b"))), w("c"))), ()),
        ("(a OR b", Or((w("a"), w("b"))), ("a missing ')' is added at the end",)),
        ("a OR (b c", Or((w("a"), And((w("b"), w("c"))))), ("a missing ')' is added at the end",)),
        ("a OR b) c", And((Or((w("a"), w("b"))), w("c"))), ("an unmatched ')' is ignored",)),
        (
            ")a(",
            w("a"),
            ("an unmatched ')' is ignored", "a missing ')' is added at the end"),
        ),
        ("a () b", And((w("a"), w("b"))), ()),
    ],
)
def test_parentheses_group_and_are_repaired(
    text: str, expected: Node, warnings: tuple[str, ...]
) -> None:
    parsed = parse_query(text)
    assert parsed.root == expected
    assert parsed.warnings == warnings


def test_parentheses_deeper_than_the_limit_are_flattened() -> None:
    depth_5 = "(((((a OR b) c) OR d) e) OR f) g"
    assert parse_query(depth_5).warnings == ()
    parsed = parse_query("(" * 7 + "x OR y" + ")" * 6 + " z")
    assert f"parentheses nested deeper than {MAX_DEPTH} are flattened" in parsed.warnings
    assert "a missing ')' is added at the end" in parsed.warnings
    assert parsed.root == And((Or((w("x"), w("y"))), w("z")))
    # a level-6 group merges into its level-5 parent: ((((( a (b OR c) ))))) -> a AND (b OR c)
    flattened = parse_query("(((((a ((b OR c) d))))))")
    assert flattened.root == And((w("a"), Or((w("b"), w("c"))), w("d")))


# ---------------------------------------------------------------- prefix search


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("segment*", w("segment", prefix=True)),
        ("segment**", w("segment", prefix=True)),
        ("*segment", w("segment")),
        ("**segment*", w("segment", prefix=True)),
        ("seg*ment", w("seg*ment")),
        ('"revenue recog*"', p("revenue recog", prefix=True)),
        ('"revenue * recognition"', p("revenue recognition")),
        ("revenue * recognition", And((w("revenue"), w("recognition")))),
        ("company:app*", w("app", "company", prefix=True)),
        ('company:"apple in*"', p("apple in", "company", prefix=True)),
    ],
)
def test_trailing_star_is_a_prefix_search(text: str, expected: Node) -> None:
    assert root(text) == expected


def test_leading_star_is_ignored_with_a_warning() -> None:
    parsed = parse_query("*segment")
    assert parsed.root == w("segment")
    assert parsed.warnings == ("a leading '*' is ignored (no leading wildcards)",)
    lone = parse_query("revenue *")
    assert lone.root == w("revenue")
    assert lone.warnings == ("a leading '*' is ignored (no leading wildcards)",)


# ---------------------------------------------------------------- field prefixes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("company:apple", w("apple", "company")),
        ('company:"Apple Inc."', p("Apple Inc.", "company")),
        ("Company:Apple", w("Apple", "company")),
        ("COMPANY:apple", w("apple", "company")),
        ("company:AT&T", w("AT&T", "company")),
        ("file:1-7933", w("001-07933", "file")),
        ("file:0-17999", w("000-17999", "file")),
        ("file:333-140273-01", w("333-140273-01", "file")),
        ('file:"1-7933"', p("001-07933", "file")),
        ("file:1-7933,", w("001-07933", "file")),
        ("file:bogus", w("bogus", "file")),
        ("file:001-079*", w("001-079", "file", prefix=True)),
        ("cik:320193", w("0000320193", "cik")),
        ("cik:0000320193", w("0000320193", "cik")),
        ("cik:apple", w("apple", "cik")),
        ("cik:32019*", w("32019", "cik", prefix=True)),
        ("form:upload", w("UPLOAD", "form")),
        ("form:Corresp", w("CORRESP", "form")),
        ("form:corr*", w("CORR", "form", prefix=True)),
        ("type:comment", w("comment", "type")),
        ("type:Review-Complete", w("review_complete", "type")),
        ('type:"review complete"', p("review_complete", "type")),
        ("topic:Revenue_Recognition", w("revenue_recognition", "topic")),
        ('topic:"non gaap measures"', p("non_gaap_measures", "topic")),
        ("topic:non_gaap*", w("non_gaap", "topic", prefix=True)),
        ("office:Manufacturing", w("Manufacturing", "office")),
        ('office:"Energy & Transportation"', p("Energy & Transportation", "office")),
        ("staff:Blye", w("Blye", "staff")),
        ('heading:"revenue recognition"', p("revenue recognition", "heading")),
        ("response:revised", w("revised", "response")),
        ("company:AND", w("AND", "company")),
        ("company:a:b", w("a:b", "company")),
    ],
)
def test_field_prefixes_and_their_normalization(text: str, expected: Node) -> None:
    assert root(text) == expected


def test_every_prefix_is_known() -> None:
    for name in PREFIXES:
        assert root(f"{name}:x1") == w("X1" if name == "form" else "x1", name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("foo:bar", And((w("foo"), w("bar")))),
        ("foo:bar OR baz", Or((And((w("foo"), w("bar"))), w("baz")))),
        ("Note: revenue", And((w("Note"), w("revenue")))),
        ("a:b:c", And((w("a"), w("b"), w("c")))),
        ('foo:"bar baz"', And((w("foo"), p("bar baz")))),
    ],
)
def test_unknown_prefixes_are_plain_words(text: str, expected: Node) -> None:
    parsed = parse_query(text)
    assert parsed.root == expected
    assert any(warning.startswith("unknown field") for warning in parsed.warnings)


@pytest.mark.parametrize(
    "url", ["https://www.sec.gov/cgi-bin/browse-edgar", "http://x", "file://server/share"]
)
def test_a_url_is_a_word(url: str) -> None:
    parsed = parse_query(f"{url} revenue")
    assert parsed.root == And((w(url), w("revenue")))
    assert parsed.warnings == ()


def test_a_known_prefix_without_a_value_is_dropped() -> None:
    parsed = parse_query("Response: We have revised")
    assert parsed.root == And((w("We"), w("have"), w("revised")))
    assert parsed.warnings == ("'Response:' without a value is ignored",)


def test_a_prefix_applies_to_a_group() -> None:
    assert root('company:(apple OR "microsoft corp")') == Or(
        (w("apple", "company"), p("microsoft corp", "company"))
    )
    assert root("form:(upload corresp) revenue") == And(
        (w("UPLOAD", "form"), w("CORRESP", "form"), w("revenue"))
    )
    assert root("company:(apple -file:1-7933 seg*)") == And(
        (w("apple", "company"), Not(w("001-07933", "file")), w("seg", "company", prefix=True))
    )
    assert root("-form:(upload)") == Not(w("UPLOAD", "form"))


# ---------------------------------------------------------------- limits and cleaning


def test_only_the_first_1000_characters_are_considered() -> None:
    text = "a " * 25 + "x" * 2000
    parsed = parse_query(text)
    assert len(parsed.text) == MAX_QUERY_CHARS
    assert parsed.warnings[0] == "only the first 1000 characters are used (1050 ignored)"
    assert parsed.terms()[-1] == w("x" * (MAX_QUERY_CHARS - 50))


def test_a_cut_phrase_is_closed() -> None:
    parsed = parse_query("x" * 990 + ' "going concern')
    assert parsed.root == And((w("x" * 990), p("going co")))
    assert "an unbalanced quote is closed at the end" in parsed.warnings


def test_at_most_50_terms() -> None:
    parsed = parse_query(" ".join(f"w{i}" for i in range(80)))
    assert len(parsed.terms()) == MAX_TERMS
    assert parsed.terms()[-1] == w("w49")
    assert parsed.warnings == ("only the first 50 terms are used (30 ignored)",)
    ors = parse_query(" OR ".join(f"w{i}" for i in range(60)))
    assert isinstance(ors.root, Or)
    assert len(ors.root.children) == MAX_TERMS
    split = parse_query(" ".join(["a"] * 49) + " foo:bar:baz")
    assert split.terms()[-2:] == (w("a"), w("foo"))


def test_control_characters_are_removed() -> None:
    assert root("reve\x00nue\x07") == w("revenue")
    assert root("revenue\x1frecognition") == And((w("revenue"), w("recognition")))
    assert root("revenue\u200brecognition") == w("revenuerecognition")  # zero-width space
    assert root("soft\u00adhyphen") == w("softhyphen")
    assert root("revenue\u2028recognition") == And((w("revenue"), w("recognition")))
    assert root("bad\ud800surrogate") == w("badsurrogate")
    assert root("revenue\u00a0recognition") == And((w("revenue"), w("recognition")))


# ---------------------------------------------------------------- describe and highlights


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("revenue recognition", "revenue AND recognition"),
        ("revenue OR sales recognition", "(revenue OR sales) AND recognition"),
        ("revenue -gaap", "revenue AND NOT gaap"),
        ("-gaap revenue", "-gaap AND revenue"),
        ("-revenue", "-revenue"),
        ("NOT revenue", "-revenue"),
        ('a OR (b "c d")', 'a OR (b AND "c d")'),
        ("-(a OR b)", "-(a OR b)"),
        ("x -(a b)", "x AND NOT (a AND b)"),
        ("segment* *foo", "segment* AND foo"),
        ('"revenue recog*"', '"revenue recog*"'),
        ("file:1-7933 cik:320193", "file:001-07933 AND cik:0000320193"),
        ('Type:"Review Complete" form:upload', 'type:"review_complete" AND form:UPLOAD'),
        ("company:(apple OR google)", "company:apple OR company:google"),
        ("foo:bar OR baz", "(foo AND bar) OR baz"),
        ("(a OR b", "a OR b"),
        ("a OR NOT b", "a OR NOT b"),
        ("-AND", "-and"),
    ],
)
def test_describe_shows_what_was_understood(text: str, description: str) -> None:
    parsed = parse_query(text)
    assert parsed.describe() == description
    assert parse_query(description).root == parsed.root


def test_highlight_terms() -> None:
    parsed = parse_query(
        'revenue "going concern" segment* -impairment NOT "goodwill test" company:Apple '
        "file:1-7933 form:UPLOAD REVENUE staff:blye heading:leases -(x OR y) --doubly"
    )
    assert parsed.highlight_terms() == (
        "revenue",
        "going concern",
        "segment*",
        "Apple",
        "blye",
        "leases",
        "doubly",
    )


# ---------------------------------------------------------------- Elasticsearch queries

EXPECTED_QUERIES = [
    ("", {"match_all": {}}),
    ("revenue recognition", words("revenue recognition")),
    (
        '"non-GAAP measures"',
        phrase("non-GAAP measures"),
    ),
    (
        "segment*",
        {"multi_match": {"query": "segment", "fields": TEXT, "type": "phrase_prefix"}},
    ),
    (
        "revenue OR sales recognition",
        {"bool": {"must": [words("recognition"), any_of(words("revenue"), words("sales"))]}},
    ),
    (
        'revenue -"going concern" NOT impairment',
        {
            "bool": {
                "must": [words("revenue")],
                "must_not": [
                    phrase("going concern"),
                    words("impairment"),
                ],
            }
        },
    ),
    ("-revenue", {"bool": {"must_not": [words("revenue")]}}),
    (
        'company:"Apple Inc" file:1-7933 cik:320193',
        {
            "bool": {
                "must": [{"match_phrase": {"company": {"query": "Apple Inc"}}}],
                "filter": [
                    {"term": {"file_numbers": {"value": "001-07933"}}},
                    {"term": {"ciks": {"value": "0000320193"}}},
                ],
            }
        },
    ),
    ("company:apple", {"match": {"company": {"query": "apple", "operator": "and"}}}),
    (
        "form:UPLOAD OR form:corresp OR type:comment",
        any_of(
            {"terms": {"form": ["UPLOAD", "CORRESP"]}},
            {"term": {"letter_type": {"value": "comment"}}},
        ),
    ),
    (
        "form:(upload OR corresp) -type:no-review leases",
        {
            "bool": {
                "must": [words("leases")],
                "filter": [{"terms": {"form": ["UPLOAD", "CORRESP"]}}],
                "must_not": [{"term": {"letter_type": {"value": "no_review"}}}],
            }
        },
    ),
    (
        "office:manufacturing topic:Revenue_Recognition",
        {
            "bool": {
                "filter": [
                    {"term": {"office": {"value": "manufacturing", "case_insensitive": True}}},
                    {"term": {"topics": {"value": "revenue_recognition"}}},
                ]
            }
        },
    ),
    ("file:001-079*", {"prefix": {"file_numbers": {"value": "001-079"}}}),
    (
        "office:energy*",
        {"prefix": {"office": {"value": "energy", "case_insensitive": True}}},
    ),
    ("staff:bly*", {"match_phrase_prefix": {"staff_names": {"query": "bly"}}}),
    (
        'heading:"rev rec" response:revised',
        {
            "bool": {
                "must": [
                    {
                        "nested": {
                            "path": "comments",
                            "query": {"match_phrase": {"comments.heading": {"query": "rev rec"}}},
                        }
                    },
                    {"match": {"response": {"query": "revised", "operator": "and"}}},
                ]
            }
        },
    ),
    ("foo:bar", words("foo bar")),
    (
        '(revenue OR "top line") -(gaap OR ifrs) company:acme',
        {
            "bool": {
                "must": [
                    any_of(
                        words("revenue"),
                        phrase("top line"),
                    ),
                    {"match": {"company": {"query": "acme", "operator": "and"}}},
                ],
                "must_not": [any_of(words("gaap"), words("ifrs"))],
            }
        },
    ),
    ("a OR NOT b", any_of(words("a"), {"bool": {"must_not": [words("b")]}})),
]


@pytest.mark.parametrize(("text", "expected"), EXPECTED_QUERIES)
def test_elasticsearch_queries(text: str, expected: dict) -> None:
    assert to_es_query(parse_query(text), fields=FIELDS) == expected


def test_a_prefix_missing_from_the_field_map_searches_the_text() -> None:
    fields = FieldMap(text_fields=("text",), prefixes={"cik": PrefixField("cik", "keyword")})
    query = to_es_query(parse_query("form:upload cik:320193 revenue"), fields=fields)
    assert query == {
        "bool": {
            "must": [
                {
                    "multi_match": {
                        "query": "UPLOAD revenue",
                        "fields": ["text"],
                        "type": "best_fields",
                        "operator": "and",
                    }
                }
            ],
            "filter": [{"term": {"cik": {"value": "0000320193"}}}],
        }
    }


def _mapped_fields(kind: str) -> set[str]:
    """Every field path of the index mappings (with sub-fields), as on a full cluster."""
    properties = index_template(kind, pattern="x-*", rich=True)["template"]["mappings"]
    paths: set[str] = set()

    def walk(props: dict[str, object], prefix: str) -> None:
        for name, spec in props.items():
            assert isinstance(spec, dict)
            paths.add(prefix + name)
            for sub in spec.get("fields", {}):
                paths.add(f"{prefix}{name}.{sub}")
            if "properties" in spec:
                walk(spec["properties"], f"{prefix}{name}.")

    walk(properties["properties"], "")
    return paths


def test_default_field_maps_name_real_fields() -> None:
    for fields, kind in ((LETTER_FIELDS, "letters"), (COMMENT_FIELDS, "comments")):
        mapped = _mapped_fields(kind)
        assert set(fields.text_fields) <= mapped, kind
        assert {prefix.field for prefix in fields.prefixes.values()} <= mapped, kind
    assert set(COMMENT_FIELDS.prefixes) == PREFIXES
    assert set(LETTER_FIELDS.prefixes) == PREFIXES - {"heading", "response"}
    everything = " ".join(f"{name}:x1 {name}:y2*" for name in sorted(PREFIXES))
    for fields in (LETTER_FIELDS, COMMENT_FIELDS):
        query = to_es_query(parse_query(everything), fields=fields)
        assert json.loads(json.dumps(query)) == query
    letter = to_es_query(parse_query("file:1-7933 office:finance"), fields=LETTER_FIELDS)
    assert letter == {
        "bool": {
            "filter": [
                {"term": {"file_numbers": {"value": "001-07933"}}},
                {"term": {"office": {"value": "finance", "case_insensitive": True}}},
            ]
        }
    }


def test_field_map_validation() -> None:
    with pytest.raises(ValueError, match="at least one text field"):
        FieldMap(text_fields=(), prefixes={})
    with pytest.raises(ValueError, match="unknown prefixes"):
        FieldMap(text_fields=("text",), prefixes={"ticker": PrefixField("ticker", "keyword")})
    with pytest.raises(TypeError):
        LETTER_FIELDS.prefixes["cik"] = PrefixField("x", "keyword")  # type: ignore[index]


def test_to_es_query_does_not_share_state_between_calls() -> None:
    parsed = parse_query("form:UPLOAD OR form:CORRESP")
    first = to_es_query(parsed, fields=FIELDS)
    first["terms"]["form"].append("X")
    assert to_es_query(parsed, fields=FIELDS) == {"terms": {"form": ["UPLOAD", "CORRESP"]}}


# ---------------------------------------------------------------- fuzz

ALPHABET = [
    '"', '"', "“", "”", "'", "(", "(", ")", ")", "*", "*", "-", "+", ":", "::", " ", " ", " ",
    "\t", "\n", "\x00", "\x1b", "\u200b", "\ud800", "AND", "OR", "NOT", " AND ", " OR ", " NOT ",
    "and", "or", "not", "company:", "file:", "cik:", "form:", "type:", "topic:", "office:",
    "staff:", "heading:", "response:", "foo:", "https://", "1-7933", "320193", "revenue",
    "Umsätze", "收入", "🙂", "é", "\u0301", "&", "§", "\\", "/", "[", "]", "{", "}", "~", "^",
    "?", "!", "|", "<", ">", "=", ",", ";", ".", "x" * 300, "segment*", "*seg",
]  # fmt: skip


def _random_query(rng: random.Random) -> str:
    size = rng.choice((1, 2, 5, 10, 30, 80, 400))
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, size)))


def _depth(node: Node | None) -> int:
    if isinstance(node, And | Or):
        return 1 + max(_depth(child) for child in node.children)
    if isinstance(node, Not):
        return _depth(node.child)
    return 0


@pytest.mark.parametrize("seed", range(4))
def test_fuzz_never_fails(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(500):
        text = _random_query(rng)
        parsed = parse_query(text)
        assert isinstance(parsed, ParsedQuery)
        assert len(parsed.text) <= MAX_QUERY_CHARS
        assert len(parsed.terms()) <= MAX_TERMS
        assert all(term.text.strip() == term.text and term.text for term in parsed.terms())
        for fields in (FIELDS, LETTER_FIELDS, COMMENT_FIELDS):
            query = to_es_query(parsed, fields=fields)
            assert isinstance(query, dict)
            encoded = json.dumps(query, ensure_ascii=False).encode("utf-8")
            assert json.loads(encoded) == query
        description = parsed.describe()
        assert isinstance(parsed.highlight_terms(), tuple)
        assert parsed.is_empty == (description == "")
        deep = any("deeper" in warning for warning in parsed.warnings)
        if len(description) <= MAX_QUERY_CHARS and not deep and _depth(parsed.root) <= MAX_DEPTH:
            assert parse_query(description).root == parsed.root, (text, description)
