"""Inline SVG bar charts: ticks, bars, labels, escaping, no inline styles."""

from __future__ import annotations

import re

import pytest

from api.web.charts import Bar, Series, bar_chart, format_value, hbar_chart, nice_ticks
from tests.unit.web.page_parts import parse_page


@pytest.mark.parametrize(
    ("top", "ticks"),
    [
        (58, [0, 20, 40, 60]),
        (9, [0, 2.5, 5, 7.5, 10]),
        (4, [0, 1, 2, 3, 4]),
        (1, [0, 1]),
        (0, [0, 1]),
        (176, [0, 50, 100, 150, 200]),
        (12_345, [0, 5000, 10_000, 15_000]),
    ],
)
def test_ticks_are_round_and_cover_the_top(top: float, ticks: list[float]) -> None:
    assert nice_ticks(top) == ticks


def test_values_are_formatted_for_people() -> None:
    assert [format_value(v) for v in (1234, 12.5, 3.0, 0)] == ["1,234", "12.5", "3", "0"]


def _svg(markup: str):
    root = parse_page(str(markup))
    return root.find("svg")


def test_a_bar_chart_has_a_bar_and_a_label_per_category() -> None:
    years = ["2020", "2021", "2022"]
    svg = _svg(bar_chart(years, [Series("letters", (3, 0, 9))], title="Letters per year"))
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == "Letters per year"
    assert svg.find("title").text == "Letters per year"
    bars = svg.find_all("rect", cls="bar")
    assert [bar.text for bar in bars] == ["2020: 3 letters", "2021: 0 letters", "2022: 9 letters"]
    heights = [float(bar.get("height") or 0) for bar in bars]
    assert heights[1] == 0
    assert heights[2] == pytest.approx(heights[0] * 3)
    assert [t.text for t in svg.find_all("text", cls="label")] == years
    assert [t.text for t in svg.find_all("text", cls="tick")] == ["0", "2.5", "5", "7.5", "10"]
    assert [t.text for t in svg.find_all("text", cls="value")] == ["3", "9"]


def test_two_series_stand_side_by_side_with_a_legend() -> None:
    chart = bar_chart(
        ["2021", "2022"],
        [Series("letters", (10, 20), "s1"), Series("reviews", (4, 8), "s2")],
        title="Letters and reviews",
    )
    svg = _svg(chart)
    assert [t.text for t in svg.find_all("text", cls="legend")] == ["letters", "reviews"]
    first, second = svg.find_all("rect", cls="s1")[0], svg.find_all("rect", cls="s2")[0]
    assert float(second.get("x") or 0) > float(first.get("x") or 0)


def test_crowded_labels_are_thinned_out() -> None:
    years = [str(year) for year in range(1995, 2026)]
    svg = _svg(bar_chart(years, [Series("letters", tuple(range(31)))], title="t", width=340))
    labels = [t.text for t in svg.find_all("text", cls="label")]
    assert labels[0] == "1995"
    assert 3 <= len(labels) < len(years)
    assert len(svg.find_all("rect", cls="bar")) == len(years)


def test_charts_escape_text_and_use_no_inline_style() -> None:
    evil = "<script>alert(1)</script>"
    markup = str(bar_chart([evil], [Series(evil, (1,))], title=evil, unit=evil))
    markup += str(hbar_chart([Bar(evil, 3, f'/?topic="{evil}')], title=evil))
    assert "<script" not in markup
    assert "&lt;script&gt;" in markup
    assert "style=" not in markup
    assert re.search(r"\son[a-z]+=", markup) is None


def test_an_empty_chart_says_so() -> None:
    assert "No data" in str(bar_chart([], [], title="Nothing"))
    assert "No data" in str(hbar_chart([], title="Nothing"))


def test_horizontal_bars_are_links_with_labels_and_values() -> None:
    bars = [Bar("Non-GAAP measures", 77, "/?topic=non_gaap_measures"), Bar("Other", 44)]
    svg = _svg(hbar_chart(bars, title="Top topics", width=720))
    links = svg.find_all("a")
    assert [link.get("href") for link in links] == ["/?topic=non_gaap_measures"]
    assert [t.text for t in svg.find_all("text", cls="label")] == ["Non-GAAP measures", "Other"]
    assert [t.text for t in svg.find_all("text", cls="value")] == ["77", "44"]
    widths = [float(rect.get("width") or 0) for rect in svg.find_all("rect")]
    assert widths[1] == pytest.approx(widths[0] * 44 / 77, abs=0.1)
    assert svg.get("viewbox") == "0 0 720 48"  # the parser lowercases attribute names


def test_long_labels_are_shortened_on_small_charts() -> None:
    long = "Corporate governance and charter provisions"
    svg = _svg(hbar_chart([Bar(long, 1)], title="t", width=340))
    label = svg.find("text", cls="label").text
    assert label.endswith("…")
    assert len(label) < len(long)
    assert svg.find("rect").text == f"{long}: 1"
