"""The current-filings Atom feed (crawler.edgar.feed).

No real sample exists; the fixture follows edgar.md §3.6: entry ``title`` = ``FORM - NAME
(CIK) (Role)``, ``summary`` with ``Filed: YYYY-MM-DD AccNo: ...``, ``updated`` = acceptance time,
``link`` to the ``-index.htm`` page. SEC declares ISO-8859-1 for this feed.
"""

from __future__ import annotations

import logging
import time
from datetime import date

import pytest

from crawler.edgar.feed import parse_current_feed
from crawler.errors import ParseError
from crawler.models import FilingRef

FEED = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Latest Filings - Fri, 14 Jun 2024 09:05:12 EDT</title>
<link rel="alternate" href="/cgi-bin/browse-edgar?action=getcurrent"/>
<link rel="self" href="/cgi-bin/browse-edgar?action=getcurrent&amp;type=UPLOAD&amp;owner=include&amp;count=100&amp;start=0&amp;output=atom"/>
<id>https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent</id>
<author><name>Webmaster</name><email>webmaster@sec.gov</email></author>
<updated>2024-06-14T09:05:12-04:00</updated>
<entry>
<title>UPLOAD - Apple Inc. (0000320193) (Filed for)</title>
<link rel="alternate" type="text/html" href="https://www.sec.gov/Archives/edgar/data/320193/000000000024003505/0000000000-24-003505-index.htm"/>
<summary type="html"> &lt;b&gt;Filed:&lt;/b&gt; 2024-04-02 &lt;b&gt;AccNo:&lt;/b&gt; 0000000000-24-003505 &lt;b&gt;Size:&lt;/b&gt; 46 KB</summary>
<updated>2024-04-02T12:36:07-04:00</updated>
<category scheme="https://www.sec.gov/" label="form type" term="UPLOAD"/>
<id>urn:tag:sec.gov,2008:accession-number=0000000000-24-003505</id>
</entry>
<entry>
<title>UPLOAD - Société Générale (Paris) (0001238163) (Filed for)</title>
<link rel="alternate" type="text/html" href="https://www.sec.gov/Archives/edgar/data/1238163/000000000024006001/0000000000-24-006001-index.htm"/>
<summary type="html"> &lt;b&gt;Filed:&lt;/b&gt; 2024-06-13 &lt;b&gt;Size:&lt;/b&gt; 31 KB</summary>
<updated>2024-06-13T23:30:00-04:00</updated>
<category scheme="https://www.sec.gov/" label="form type" term="UPLOAD"/>
<id>urn:tag:sec.gov,2008:accession-number=0000000000-24-006001</id>
</entry>
<entry>
<title>CORRESP - Nuvectis Pharma, Inc. (0001875558) (Filer)</title>
<link rel="alternate" type="text/html" href="https://www.sec.gov/Archives/edgar/data/1875558/000110465926017097/0001104659-26-017097-index.htm"/>
<summary type="html"> &lt;b&gt;Filed:&lt;/b&gt; 2026-02-18 &lt;b&gt;AccNo:&lt;/b&gt; 0001104659-26-017097 &lt;b&gt;Size:&lt;/b&gt; 13 KB</summary>
<updated>2026-02-19T02:10:00Z</updated>
<category scheme="https://www.sec.gov/" label="form type" term="CORRESP"/>
<id>urn:tag:sec.gov,2008:accession-number=0001104659-26-017097</id>
</entry>
<entry>
<title>UPLOAD - Broken Entry Corp (0000000042) (Filed for)</title>
<summary type="html"> &lt;b&gt;Size:&lt;/b&gt; 1 KB</summary>
<updated>2024-06-14T09:00:00-04:00</updated>
<id>urn:tag:sec.gov,2008:accession-number=0000000000-24-006002</id>
</entry>
</feed>
"""  # noqa: E501 - the feed's own long lines


def test_entries_become_filing_refs() -> None:
    refs = parse_current_feed(FEED.encode("latin-1"), source="feed-page")

    assert refs[0] == FilingRef(
        accession="0000000000-24-003505",
        cik="0000320193",
        form="UPLOAD",
        company_name="Apple Inc.",
        filing_date=date(2024, 4, 2),
        source="feed",
        listed_on=date(2024, 4, 2),
    )
    assert [ref.accession for ref in refs] == [
        "0000000000-24-003505",
        "0000000000-24-006001",
        "0001104659-26-017097",
    ]


def test_name_with_parentheses_and_latin1_characters() -> None:
    ref = parse_current_feed(FEED.encode("latin-1"), source="feed-page")[1]

    assert (ref.company_name, ref.cik) == ("Société Générale (Paris)", "0001238163")


def test_accession_recovered_from_the_link_when_the_summary_lacks_it() -> None:
    ref = parse_current_feed(FEED.encode("latin-1"), source="feed-page")[1]

    assert ref.accession == "0000000000-24-006001"
    assert ref.filing_date == date(2024, 6, 13)


def test_listed_on_is_the_eastern_day_of_the_update() -> None:
    refs = parse_current_feed(FEED.encode("latin-1"), source="feed-page")

    assert refs[1].listed_on == date(2024, 6, 13)  # 23:30 EDT stays on the 13th
    assert refs[2].listed_on == date(2026, 2, 18)  # 02:10 UTC is 21:10 EST the day before


def test_entry_without_filing_date_is_skipped_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="crawler.edgar.feed"):
        refs = parse_current_feed(FEED.encode("latin-1"), source="feed-page")

    assert "Broken Entry Corp" not in {ref.company_name for ref in refs}
    assert "feed entry 4 skipped (no 'Filed:' date): 'UPLOAD - Broken Entry Corp" in caplog.text


def test_empty_feed() -> None:
    empty = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Latest Filings</title></feed>'

    assert parse_current_feed(empty, source="feed-page") == []


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<html><body>Request Rate Threshold Exceeded</body></html>",
        b'<?xml version="1.0"?><rss><channel/></rss>',
        b"\x00\x01 not xml",
    ],
)
def test_not_an_atom_feed_raises_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_current_feed(data, source="feed-page")


@pytest.mark.parametrize(
    ("encoding", "reason"),
    [
        ("ISO-8851-1", "unknown encoding"),  # LookupError from the XML declaration
        ("utf-32", "multi-byte encodings are not supported"),  # ValueError from expat
        ("x-mac-roman", "unknown encoding"),
    ],
)
def test_feed_in_an_unreadable_encoding_raises_parse_error(encoding: str, reason: str) -> None:
    # Found by fuzzing (tests/fuzz): these escaped as LookupError and ValueError.
    data = f'<?xml version="1.0" encoding="{encoding}"?><feed/>'.encode()
    with pytest.raises(ParseError, match=f"feed-page: not XML: .*{reason}"):
        parse_current_feed(data, source="feed-page")


def test_title_with_a_long_run_of_spaces_is_read_in_linear_time() -> None:
    # Found while fuzzing (tests/fuzz): the title regex backtracked cubically on a run of
    # spaces; 8,000 of them took two minutes.
    name = "ACME" + " " * 100_000 + "- HOLDINGS"
    data = FEED.replace("Apple Inc.", name).encode("latin-1")
    started = time.perf_counter()
    refs = parse_current_feed(data, source="feed-page")
    assert time.perf_counter() - started < 1.0
    assert refs[0].company_name == name
    assert (refs[0].form, refs[0].cik) == ("UPLOAD", "0000320193")
