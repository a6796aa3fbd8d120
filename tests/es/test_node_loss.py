"""A node of a three-node cluster SIGKILLed while the API serves searches and letters are
written (``tests/es/node_loss.py``): no search fails, writes go on, the cluster returns to
green and no letter is lost or duplicated. Its figures go to the run's figures section and
to the reliability report (``bench/node_loss_bench.py``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.es.node_loss import run_node_loss


def test_losing_a_node_loses_no_search_and_no_letter(
    samples_dir: Path, tmp_path: Path, report_figures: Callable[[str], None]
) -> None:
    result = run_node_loss(samples_dir, tmp_path / "data")

    assert result.searches["before"] > 0 and result.searches["after"] > 0, result.searches
    assert result.searches["during"] >= 20, result.searches  # searching went on
    assert result.failed == [], result.failed
    assert result.letters_during > 0 and result.write_seconds_during > 0
    assert result.health_after == "green"
    assert result.letters_indexed == result.letters_before + result.letters_during
    assert (result.lost, result.duplicated) == (0, 0)
    assert result.comments_indexed == result.comments_expected
    report_figures(
        f"node loss (3 nodes, replicas 1): killed {result.killed}"
        f"{' (master)' if result.killed_was_master else ''}; searches "
        f"{result.searches['before']}/{result.searches['during']}/{result.searches['after']} "
        f"before/during/after, {len(result.failed)} failed, {result.retried} retried 503; "
        f"{result.letters_during} letters written in {result.write_seconds_during:.1f} s "
        f"while it was gone; rejoined in {result.seconds_to_rejoin:.1f} s, green "
        f"{result.seconds_to_green:.1f} s after restart; {result.letters_indexed} letters, "
        f"{result.lost} lost, {result.duplicated} duplicated"
    )
