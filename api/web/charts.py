"""Small bar charts as inline SVG, drawn on the server. Pure.

``bar_chart`` draws vertical bars (one or two series side by side) over categories such as
years, with a value axis of round ticks, grid lines, category labels (thinned out when they
would collide), values above the bars when there is room, and a legend for two series.
``hbar_chart`` draws labelled horizontal bars (e.g. top topics), each optionally a link.

Charts carry no inline styles or scripts (the pages' Content-Security-Policy forbids them):
colours and fonts come from classes styled in ``static/site.css`` (``.chart``, ``.bar``,
``.s1``/``.s2``, ``.tick``, ``.grid``). Every text is escaped. The ``viewBox`` keeps the drawing
proportional; callers draw a narrower variant for phones so the labels stay legible.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["Bar", "Series", "bar_chart", "format_value", "hbar_chart", "nice_ticks"]

FONT = 12
"""Font size of labels, in viewBox units (``site.css`` sets the same)."""
CHAR_WIDTH = 7.0
"""Average width of one label character, to size margins and thin out labels."""
MAX_BAR = 56
"""Widest bar, so a few categories do not make slabs."""


@dataclass(frozen=True, slots=True)
class Series:
    """One row of values, one per category; ``css_class`` picks its colour."""

    name: str
    values: tuple[float, ...]
    css_class: str = "s1"


@dataclass(frozen=True, slots=True)
class Bar:
    """One horizontal bar: label, value and an optional link."""

    label: str
    value: float
    href: str | None = None


def format_value(value: float) -> str:
    """``1234`` -> ``1,234``; ``12.5`` -> ``12.5``."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def nice_ticks(top: float, *, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least ``top``, at most about ``count`` steps."""
    if top <= 0 or not math.isfinite(top):
        return [0, 1]
    rough = top / count
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= rough)
    if step < 1 and top >= 1:
        step = 1
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _svg(width: float, height: float, title: str, body: list[str], css: str) -> Markup:
    """The drawing; every text in ``body`` was escaped where it was put in."""
    label = escape(title)
    classes = escape(f"chart {css}".strip())
    head = (
        f'<svg class="{classes}" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-label="{label}" xmlns="http://www.w3.org/2000/svg"><title>{label}</title>'
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - built from escaped parts


def _every(count: int, slot: float, longest: int) -> int:
    """Label every n-th category so labels do not overlap."""
    needed = longest * CHAR_WIDTH + 6
    return max(1, math.ceil(needed / slot)) if slot > 0 else max(1, count)


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    width: float = 720,
    height: float = 260,
    unit: str = "",
    css: str = "",
) -> Markup:
    """Vertical bars for each category (years, ranges), one bar per series."""
    if not categories or not series:
        return _svg(width, 40, title, ['<text class="empty" x="0" y="24">No data</text>'], css)
    top_value = max((v for s in series for v in s.values), default=0)
    ticks = nice_ticks(top_value)
    legend = 22 if len(series) > 1 else 0
    left = max(len(format_value(t)) for t in ticks) * CHAR_WIDTH + 10
    top, bottom, right = 12 + legend, 24, 6
    plot_w, plot_h = width - left - right, height - top - bottom
    scale = plot_h / ticks[-1]
    slot = plot_w / len(categories)
    bar_w = min(slot * 0.72 / len(series), MAX_BAR)
    inset = (slot - bar_w * len(series)) / 2
    body: list[str] = []
    for tick in ticks:
        y = top + plot_h - tick * scale
        body.append(
            f'<line class="grid" x1="{left:g}" x2="{width - right:g}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        body.append(
            f'<text class="tick" x="{left - 6:g}" y="{y + FONT / 3:.1f}" text-anchor="end">'
            f"{format_value(tick)}</text>"
        )
    show_values = bar_w >= max(len(format_value(top_value)) * CHAR_WIDTH - 2, 14)
    every = _every(len(categories), slot, max(len(c) for c in categories))
    for index, category in enumerate(categories):
        x0 = left + index * slot + inset
        for number, row in enumerate(series):
            value = row.values[index] if index < len(row.values) else 0
            h = value * scale
            x, y = x0 + number * bar_w, top + plot_h - h
            tip = escape(f"{category}: {format_value(value)} {row.name}".strip())
            body.append(
                f'<rect class="bar {escape(row.css_class)}" x="{x:.1f}" y="{y:.1f}" '
                f'width="{bar_w:.1f}" height="{h:.1f}"><title>{tip}</title></rect>'
            )
            if show_values and value:
                body.append(
                    f'<text class="value" x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" '
                    f'text-anchor="middle">{format_value(value)}</text>'
                )
        if index % every == 0:
            body.append(
                f'<text class="label" x="{left + (index + 0.5) * slot:.1f}" '
                f'y="{height - 6:g}" text-anchor="middle">{escape(category)}</text>'
            )
    body.append(
        f'<line class="axis" x1="{left:g}" x2="{width - right:g}" '
        f'y1="{top + plot_h:.1f}" y2="{top + plot_h:.1f}"/>'
    )
    if legend:
        x = left
        for row in series:
            body.append(
                f'<rect class="bar {escape(row.css_class)}" x="{x:.1f}" y="2" width="12" '
                f'height="12"/><text class="legend" x="{x + 17:.1f}" y="12">'
                f"{escape(row.name)}</text>"
            )
            x += 17 + len(row.name) * CHAR_WIDTH + 18
    if unit:
        body.append(f'<text class="unit" x="0" y="{FONT:g}">{escape(unit)}</text>')
    return _svg(width, height, title, body, css)


def _shorten(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(chars - 1, 1)].rstrip() + "…"


def hbar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    width: float = 720,
    row: float = 24,
    label_share: float | None = None,
    css: str = "",
) -> Markup:
    """Horizontal bars, largest first as given; labels on the left, values after the bars.

    Labels get ``label_share`` of the width, by default what the longest needs (at most half).
    """
    if not bars:
        return _svg(width, 40, title, ['<text class="empty" x="0" y="24">No data</text>'], css)
    longest = max(len(bar.label) for bar in bars) * CHAR_WIDTH + 16
    label_w = width * label_share if label_share is not None else min(longest, width * 0.5)
    peak = max(bar.value for bar in bars) or 1
    value_w = len(format_value(peak)) * CHAR_WIDTH + 8
    plot_w = width - label_w - value_w
    chars = int((label_w - 10) / CHAR_WIDTH)
    body: list[str] = []
    for index, bar in enumerate(bars):
        y = index * row
        w = max(bar.value / peak * plot_w, 1)
        label = escape(_shorten(bar.label, chars))
        tip = escape(f"{bar.label}: {format_value(bar.value)}")
        item = (
            f'<text class="label" x="{label_w - 8:.1f}" y="{y + row / 2 + FONT / 3:.1f}" '
            f'text-anchor="end">{label}</text>'
            f'<rect class="bar s1" x="{label_w:.1f}" y="{y + 3:.1f}" width="{w:.1f}" '
            f'height="{row - 6:.1f}"><title>{tip}</title></rect>'
            f'<text class="value" x="{label_w + w + 5:.1f}" y="{y + row / 2 + FONT / 3:.1f}">'
            f"{format_value(bar.value)}</text>"
        )
        if bar.href:
            item = f'<a href="{escape(bar.href)}">{item}</a>'
        body.append(item)
    return _svg(width, len(bars) * row, title, body, css)
