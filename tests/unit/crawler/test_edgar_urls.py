"""Paths of EDGAR objects (crawler.edgar.urls)."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.edgar.urls import (
    current_feed_path,
    daily_index_path,
    document_path,
    filing_folder_path,
    filing_index_page_path,
    full_index_path,
    index_json_path,
    submission_path,
    submissions_json_path,
    submissions_page_path,
)


def test_daily_index_path_picks_the_quarter_of_the_day() -> None:
    assert (
        daily_index_path(date(2020, 3, 18))
        == "/Archives/edgar/daily-index/2020/QTR1/form.20200318.idx"
    )
    assert (
        daily_index_path(date(2018, 12, 31), kind="master")
        == "/Archives/edgar/daily-index/2018/QTR4/master.20181231.idx"
    )
    assert daily_index_path(date(2019, 7, 1), "company").endswith("/QTR3/company.20190701.idx")


def test_full_index_path() -> None:
    assert full_index_path(2021, 1) == "/Archives/edgar/full-index/2021/QTR1/form.idx"
    assert full_index_path(1993, 4, "master") == "/Archives/edgar/full-index/1993/QTR4/master.idx"
    with pytest.raises(ValueError, match="quarter"):
        full_index_path(2021, 5)


def test_filing_folder_paths_use_the_unpadded_cik_and_the_dashless_accession() -> None:
    folder = "/Archives/edgar/data/320193/000032019324000061/"
    assert filing_folder_path("0000320193", "0000320193-24-000061") == folder
    assert filing_folder_path(320193, "000032019324000061") == folder
    assert submission_path("320193", "0000320193-24-000061") == (
        folder + "0000320193-24-000061.txt"
    )
    assert index_json_path(320193, "0000320193-24-000061") == folder + "index.json"
    assert document_path(320193, "0000320193-24-000061", "filename1.htm") == (
        folder + "filename1.htm"
    )
    assert filing_index_page_path(320193, "000032019324000061") == (
        folder + "0000320193-24-000061-index.html"
    )


@pytest.mark.parametrize("filename", ["", "../index.json", "a/b.htm", ".."])
def test_document_path_rejects_anything_but_a_file_name(filename: str) -> None:
    with pytest.raises(ValueError, match="file name"):
        document_path(320193, "0000320193-24-000061", filename)


@pytest.mark.parametrize(("cik", "accession"), [("0", "0000320193-24-000061"), ("1", "24-61")])
def test_invalid_identifiers_raise_value_error(cik: str, accession: str) -> None:
    with pytest.raises(ValueError, match="not a"):
        submission_path(cik, accession)


def test_submissions_json_paths() -> None:
    assert submissions_json_path("320193") == "/submissions/CIK0000320193.json"
    assert submissions_json_path(1964738) == "/submissions/CIK0001964738.json"
    assert submissions_page_path("CIK0000320193-submissions-001.json") == (
        "/submissions/CIK0000320193-submissions-001.json"
    )
    with pytest.raises(ValueError, match="page name"):
        submissions_page_path("../x.json")


def test_current_feed_path() -> None:
    assert current_feed_path("UPLOAD") == (
        "/cgi-bin/browse-edgar?action=getcurrent&type=UPLOAD&owner=include"
        "&count=100&start=0&output=atom"
    )
    assert "type=SEC+STAFF+LETTER&owner=include&count=40&start=80&" in current_feed_path(
        "SEC STAFF LETTER", start=80, count=40
    )


@pytest.mark.parametrize(("start", "count"), [(0, 7), (-1, 100)])
def test_current_feed_path_rejects_what_edgar_does_not_serve(start: int, count: int) -> None:
    with pytest.raises(ValueError, match="must"):
        current_feed_path("UPLOAD", start=start, count=count)
