"""Submissions kept between download and hand-off (crawler.parsed): bounded, taken once."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.edgar.sgml import Submission, parse_submission
from crawler.parsed import ParsedSubmissions

pytestmark = pytest.mark.samples


@pytest.fixture(scope="module")
def submission(samples_dir: Path) -> Submission:
    path = samples_dir / "submissions" / "0000320193-24-000061.txt"
    return parse_submission(path.read_bytes(), source=str(path))


def test_taken_once(submission: Submission) -> None:
    cache = ParsedSubmissions(max_bytes=100)
    cache.put("a", submission, 10)
    assert cache.take("a") is submission
    assert cache.take("a") is None
    assert (len(cache), cache.held_bytes) == (0, 0)


def test_the_oldest_make_room_and_the_too_large_are_not_kept(submission: Submission) -> None:
    cache = ParsedSubmissions(max_bytes=100)
    for name in "abcd":
        cache.put(name, submission, 30)
    assert (len(cache), cache.held_bytes) == (3, 90)
    assert cache.take("a") is None and cache.take("d") is submission
    cache.put("huge", submission, 101)
    assert cache.take("huge") is None
    cache.put("b", submission, 30)  # the same accession again replaces, not doubles
    assert cache.held_bytes == 60
