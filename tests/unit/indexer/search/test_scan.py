"""Bodies of walks over every match: the API's scans and the indexer's id walks. Pure."""

from __future__ import annotations

from indexer.search.kinds import THREAD_ORDER
from indexer.search.scan import KEEP_ALIVE, build_scan_body, build_walk_page, scan_page
from indexer.search.stored import build_stored_page


def test_scan_pages_count_once_and_carry_the_point_in_time() -> None:
    body = {"query": {"match_all": {}}, "sort": [{"accession": "asc"}]}
    first = scan_page(body, size=1000, pit=None, after=None)
    assert (first["size"], first["track_total_hits"]) == (1000, True)
    assert "search_after" not in first
    assert "pit" not in first
    later = scan_page(body, size=40, pit="P", after=[5, "x"])
    assert (later["size"], later["track_total_hits"]) == (40, False)
    assert later["search_after"] == [5, "x"]
    assert later["pit"] == {"id": "P", "keep_alive": KEEP_ALIVE}
    assert body == {"query": {"match_all": {}}, "sort": [{"accession": "asc"}]}  # unchanged


def test_a_scan_body_sorts_by_the_order_and_selects_the_source() -> None:
    body = build_scan_body({"term": {"ciks": "1"}}, THREAD_ORDER, source=["thread_id"])
    assert body == {
        "query": {"term": {"ciks": "1"}},
        "sort": THREAD_ORDER.clauses(),
        "source": ["thread_id"],
    }


def test_walk_pages_go_by_id_without_counting() -> None:
    first = build_walk_page({"match_all": {}}, key="alert_id", size=10, after=None, source=False)
    assert first == {
        "query": {"match_all": {}},
        "size": 10,
        "sort": [{"alert_id": "asc"}],
        "source": False,
        "track_total_hits": False,
    }
    later = build_walk_page({"match_all": {}}, key="alert_id", size=10, after=["a"], source=True)
    assert (later["search_after"], later["source"]) == (["a"], True)


def test_an_ingest_reads_back_what_its_companies_have_stored() -> None:
    page = build_stored_page(
        ["0000000001", "0000000002"], key="accession", size=5, after=None, source=True
    )
    assert page["query"] == {"terms": {"ciks": ["0000000001", "0000000002"]}}
    assert page["sort"] == [{"accession": "asc"}]
    assert "search_after" not in page
