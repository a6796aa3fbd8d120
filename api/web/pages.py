"""The context of each page template, from the API's answers. Pure.

One function per page turns the validated answer of the JSON API (plus, for the search page,
the URL state) into what its template lays out: titles, links, marked texts, charts.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import quote, urlencode

from api.web.charts import Bar, Series, bar_chart, hbar_chart
from api.web.labels import (
    FORMS,
    LETTER_TYPES,
    letter_type_label,
    long_date,
    outcome_labels,
    topic_labels,
)
from api.web.letter_text import build_marker, build_text_blocks, mark_terms
from api.web.links import SearchState, build_url
from api.web.statistics import read_durations
from api.web.views import (
    build_chips,
    build_facets,
    build_rounds,
    build_timeline,
    fill_years,
    split_excerpt,
)
from indexer.settings import Settings

__all__ = [
    "company_context",
    "letter_context",
    "search_context",
    "statistics_context",
    "thread_context",
]

ANSWER_EXCERPT = 700
"""Characters of a company's answer shown in a comment hit before "Read the whole answer"."""
_SORTS = (("relevance", "Relevance"), ("date", "Newest"), ("date_asc", "Oldest"))
FULL_WIDTH = 1100
"""viewBox width of a chart across the page on a laptop (drawn at about its real size)."""
HALF_WIDTH = 530
"""viewBox width of a chart in half the page."""
_VARIANTS = (("chart-narrow", 340), ("chart-medium", 800))


def letter_href(accession: str, *, q: str = "", comment: int | None = None) -> str:
    path = f"/letter/{quote(accession)}"
    if q.strip():
        path += "?" + urlencode({"q": q})
    return path + (f"#comment-{comment}" if comment is not None else "")


def company_href(ciks: Iterable[str] | None) -> str | None:
    first = next(iter(ciks or ()), None)
    return f"/company/{first.lstrip('0') or first}" if first else None


def _labeller(settings: Settings) -> Callable[[str], str]:
    labels = topic_labels(settings.normalizer.taxonomy_path)
    return lambda code: labels.get(code) or code.replace("_", " ").capitalize()


def _outcome_labeller(settings: Settings) -> Callable[[str], str]:
    labels = outcome_labels(settings.normalizer.outcomes_path)
    return lambda code: labels.get(code) or code.replace("_", " ").capitalize()


def _letter_hit(hit: dict[str, Any], q: str) -> dict[str, Any]:
    return {
        **hit,
        "href": letter_href(hit["accession"], q=q),
        "company_href": company_href(hit.get("ciks")),
        "type_label": letter_type_label(hit.get("letter_type")),
    }


def _comment_hit(hit: dict[str, Any], q: str, marker: Any) -> dict[str, Any]:
    head, rest = split_excerpt(hit.get("response"), ANSWER_EXCERPT)
    return {
        **hit,
        "href": letter_href(hit["accession"], q=q, comment=hit.get("number")),
        "company_href": company_href(hit.get("ciks")),
        "text_marked": mark_terms(hit.get("text"), marker),
        "heading_marked": mark_terms(hit.get("heading"), marker),
        "answer_head": mark_terms(head, marker),
        "answer_rest": mark_terms(rest, marker),
        "response_href": letter_href(hit["response_accession"], q=q)
        if hit.get("response_accession")
        else None,
    }


def search_context(
    state: SearchState, results: dict[str, Any] | None, *, settings: Settings
) -> dict[str, Any]:
    """The search page: form values, chips, facets, hits, paging, export and stats links."""
    label = _labeller(settings)
    q = state.params.q
    hits: list[dict[str, Any]] = []
    if results is not None:
        marker = build_marker(results["query"]["highlight_terms"])
        hits = [
            _comment_hit(hit, q, marker) if state.mode == "comments" else _letter_hit(hit, q)
            for hit in results["hits"]
        ]
    current_sort = state.params.sort or ("relevance" if q.strip() else "date")
    facets = results["facets"] if results else {}
    offices = sorted({bucket["value"] for bucket in facets.get("office", ())})
    taxonomy = topic_labels(settings.normalizer.taxonomy_path)
    title = f"{q.strip()} – search" if q.strip() else "Search SEC comment letters"
    return {
        "title": title,
        "state": state,
        "mode": state.mode,
        "q": q,
        "results": results,
        "hits": hits,
        "error": None,
        "facets": build_facets(
            state, facets, topic_label=label, outcome_label=_outcome_labeller(settings)
        )
        if results
        else [],
        "chips": build_chips(state, topic_label=label, outcome_label=_outcome_labeller(settings)),
        "clear_url": state.cleared(),
        "tabs": [
            ("letters", "Letters", state.in_mode("letters")),
            ("comments", "Comments and answers", state.in_mode("comments")),
        ],
        "sorts": [
            (name, text, state.sorted_by(name), name == current_sort)
            for name, text in _SORTS
            if name != "relevance" or q.strip()
        ],
        "page": state.page_number,
        "previous_url": state.previous_page(),
        "first_url": state.first_page() if state.page_number > 2 else None,
        "next_url": state.next_page(results["next_cursor"])
        if results and results["next_cursor"]
        else None,
        "export_url": state.export_url(),
        "statistics_url": state.statistics_url(),
        "options": {
            "forms": list(FORMS.items()),
            "letter_types": list(LETTER_TYPES.items()),
            "topics": sorted(taxonomy.items(), key=lambda item: item[1].casefold()),
            "offices": offices,
        },
    }


def similar_context(found: dict[str, Any]) -> dict[str, Any]:
    """Who else got this comment: the comment, then each similar one of another company with
    how it answered (outcomes with their evidence) and the start of the answer."""
    comment = found["comment"]
    hits = []
    for hit in found["hits"]:
        head, rest = split_excerpt(hit.get("response"), ANSWER_EXCERPT)
        hits.append(
            {
                **hit,
                "href": letter_href(hit["accession"], comment=hit.get("number")),
                "company_href": company_href(hit.get("ciks")),
                "answer_head": head,
                "answer_rest": rest,
                "evidence": {e["outcome"]: e["evidence"] for e in hit.get("outcome_evidence", ())},
            }
        )
    answered = [hit for hit in hits if hit.get("outcomes")]
    counts: dict[str, int] = {}
    for hit in answered:
        for outcome in hit["outcomes"]:
            counts[outcome] = counts.get(outcome, 0) + 1
    return {
        "title": f"Who else got comment {comment.get('number')} to {comment.get('company')}",
        "comment": comment,
        "comment_href": letter_href(comment["accession"], comment=comment.get("number")),
        "hits": hits,
        "answered": len(answered),
        "outcome_counts": sorted(counts.items(), key=lambda item: -item[1]),
    }


def letter_context(letter: dict[str, Any], *, terms: Iterable[str], q: str) -> dict[str, Any]:
    """The letter page: text blocks (comments set off, search words marked) and its facts."""
    marker = build_marker(terms)
    numbers = [comment["number"] for comment in letter["comments"]]
    blocks = build_text_blocks(letter["text"], numbers, marker=marker)
    shown_in_text = {block.number for block in blocks if block.kind == "comment"}
    kind = letter_type_label(letter["letter_type"])
    company = letter["company"] or "Unknown company"
    return {
        "title": f"{company} – {kind}, {long_date(letter['letter_date'])}".rstrip(", "),
        "letter": letter,
        "kind": kind,
        "blocks": blocks,
        "comments_in_text": shown_in_text,
        "company_href": company_href(letter["ciks"]),
        "thread_href": f"/thread/{letter['thread_id']}" if letter["thread_id"] else None,
        "search_href": build_url("/", [("q", q)]) if q.strip() else None,
        "q": q,
        "reading_warnings": [w for w in letter.get("warnings") or () if _READING.search(w)],
    }


_READING = re.compile(r"OCR|no text|garbage text layer|scanned turned|without any text")
"""Warnings about how the text was read (a scan, OCR confidence), shown above the text."""


def thread_context(thread: dict[str, Any]) -> dict[str, Any]:
    """The thread page: the timeline with days between steps, and the rounds of comments."""
    steps = build_timeline(thread["letters"])
    company = thread["company"] or "Unknown company"
    forms = ", ".join(thread["reviewed_forms"]) or "filing"
    return {
        "title": f"{company} – review of {forms}, {long_date(thread['opened_on'])}",
        "thread": thread,
        "steps": steps,
        "rounds": build_rounds(thread),
        "company_href": company_href(thread["ciks"]),
        "forms": forms,
        "letter_href": letter_href,
    }


def company_context(company: dict[str, Any]) -> dict[str, Any]:
    """The company page: reviews newest first, figures, and a chart of letters per year."""
    reviews = company["reviews"]
    closed = [r["days_open"] for r in reviews if r["status"] == "closed" and r["days_open"]]
    years = fill_years(company["letters_per_year"])
    categories = [year for year, _ in years]
    values = tuple(count for _, count in years)
    name = company["name"] or f"CIK {company['cik'].lstrip('0')}"
    return {
        "title": f"{name} – SEC comment letter reviews",
        "company": company,
        "name": name,
        "reviews": reviews,
        "closed_count": len(closed),
        "median_days": statistics.median(closed) if closed else None,
        "charts": charts_for_widths(
            bar_chart,
            categories,
            [Series("letters", values)],
            title="Letters per year",
            height=200,
        ),
        "search_href": build_url("/", [("cik", company["cik"])]),
        "statistics_href": build_url("/statistics", [("cik", company["cik"])]),
    }


def charts_for_widths(draw: Any, *args: Any, wide: int = FULL_WIDTH, **kwargs: Any) -> list[Any]:
    """A chart drawn for phones, tablets and laptops; the stylesheet shows one of them.

    SVG text scales with its drawing, so each variant is drawn about as wide as it is shown
    and its labels keep a readable size.
    """
    widths = (*_VARIANTS, ("chart-wide", wide))
    return [draw(*args, **{"width": width, "css": css, **kwargs}) for css, width in widths]


def statistics_context(
    state: SearchState, stats: dict[str, Any], threads: Mapping[str, Any], *, settings: Settings
) -> dict[str, Any]:
    """The statistics page: figures and charts of the letters selected by ``state``."""
    label = _labeller(settings)
    years = [str(row["year"]) for row in stats["years"]]
    durations = read_durations(threads)
    spread_labels = [text for text, _ in durations["spread"]]
    median_years = [row["year"] for row in durations["per_year"] if row["median"] is not None]
    medians = tuple(row["median"] for row in durations["per_year"] if row["median"] is not None)
    search = replace(state, path="/")
    topic_bars = [
        Bar(label(row["value"]), row["count"], search.adding("topic", row["value"]))
        for row in stats["top_topics"]
    ]
    filtered = bool(state.filter_pairs)
    outcome = _outcome_labeller(settings)
    comments = replace(search, mode="comments")
    answer_bars = [
        Bar(outcome(row["value"]), row["count"], comments.adding("outcome", row["value"]))
        for row in stats["answers"]["outcomes"]
    ]
    no_change_topics = [
        {**row, "label": label(row["topic"]), "href": comments.adding("topic", row["topic"])}
        for row in stats["answers"]["no_change_by_topic"]
    ]
    return {
        "title": "Statistics" + (" of a search" if filtered else " of SEC comment letters"),
        "no_change_topics": no_change_topics,
        "stats": stats,
        "chips": build_chips(state, topic_label=label, include_q=True),
        "filtered": filtered,
        "search_url": search.first_page(),
        "all_url": "/statistics",
        "charts": {
            "years": charts_for_widths(
                bar_chart,
                years,
                [
                    Series("letters", tuple(r["letters"] for r in stats["years"]), "s1"),
                    Series("reviews", tuple(r["reviews"] for r in stats["years"]), "s2"),
                ],
                title="Letters and reviews per year",
            ),
            "spread": charts_for_widths(
                bar_chart,
                spread_labels,
                [Series("reviews", tuple(count for _, count in durations["spread"]))],
                title="Closed reviews by days to close",
                wide=HALF_WIDTH,
            ),
            "median": charts_for_widths(
                bar_chart,
                median_years,
                [Series("days", medians, "s2")],
                title="Median days to close, by year the review opened",
                wide=HALF_WIDTH,
            ),
            "topics": charts_for_widths(hbar_chart, topic_bars, title="Top topics"),
            "outcomes": charts_for_widths(
                hbar_chart, answer_bars, title="Answered comments by outcome"
            ),
        },
    }
