"""HTML letters as text (crawler.extract.html): regressions found by fuzzing (tests/fuzz)."""

from __future__ import annotations

import time

import pytest

from crawler.extract.html import extract_html_text
from indexer.incoming import TextSource


@pytest.mark.parametrize("tag", ["div", "span", "b", "td"])
def test_thousands_of_nested_elements_keep_their_text(tag: str) -> None:
    # The tree walk recursed once per level and raised RecursionError past ~1,000 levels.
    data = (f"<html><body><p>Dear Sir:</p>{f'<{tag}>' * 5000}1. We note your filing.").encode()

    extracted = extract_html_text(data)

    assert extracted.source is TextSource.HTML
    assert extracted.text.split() == ["Dear", "Sir:", "1.", "We", "note", "your", "filing."]


@pytest.mark.parametrize(
    "html",
    [
        "<div>x" * 80_000,  # lexbor took 19 s: every block tag rescans the open elements
        "<span>x" * 60_000 + "<div>y</div>" * 60_000,
    ],
)
def test_pathologically_deep_html_is_flattened_with_a_warning(html: str) -> None:
    started = time.perf_counter()
    extracted = extract_html_text(("<html><head><title>T</title></head><body>" + html).encode())
    elapsed = time.perf_counter() - started

    assert extracted.warnings == (
        "HTML nested too deeply to parse: read with blocks as line breaks",
    )
    assert extracted.source is TextSource.HTML
    assert "x" in extracted.text
    assert "T" not in extracted.text  # the head is still left out
    assert elapsed < 2.0


def test_ordinary_nesting_is_not_flattened() -> None:
    html = "<table>" + "<tr><td><div><p><b>cell</b></p></div></td></tr>" * 3000 + "</table>"

    extracted = extract_html_text(html.encode())

    assert extracted.warnings == ()
    assert extracted.text.split("\n\n")[0] == "cell"


def test_a_tag_opening_before_a_long_run_of_letters_is_read_in_linear_time() -> None:
    # Found by the long fuzz run (bench/fuzz_bench.py): the tag pattern of the nesting
    # estimate backtracked quadratically here; 400,000 letters took 11 s.
    started = time.perf_counter()
    extracted = extract_html_text(b"<p>Dear Sir:<" + b"A" * 400_000 + b" end</p>")
    assert time.perf_counter() - started < 1.0
    assert extracted.text.startswith("Dear Sir:")
