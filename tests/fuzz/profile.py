"""Hypothesis settings of the fuzz tests: deterministic, no example database, bounded.

Every test in ``tests/fuzz`` takes ``fuzz_settings(examples, deadline_ms)``: derandomized
(the same examples on every run, so CI never flakes on a new random draw), no database
files, health checks about slow or large data off (the inputs are large on purpose), and
its own example count and per-example deadline, chosen so the whole folder runs in about a
minute on two cores. ``FUZZ_SCALE=10`` multiplies every example count for a deeper local
run; ``bench/fuzz_bench.py`` is the long run. ``randoms`` drives the mutations and
generators shared with that run (``tests/fuzz/mutations.py`` …), so failures still shrink.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

__all__ = ["FUZZ_PROFILE", "fuzz_settings", "randoms"]

FUZZ_PROFILE = settings(
    derandomize=True,
    database=None,
    deadline=2000,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fuzz_settings(examples: int, deadline_ms: int) -> settings:
    """The fuzz profile with ``examples`` examples (times ``FUZZ_SCALE``) of at most
    ``deadline_ms`` each."""
    scale = float(os.environ.get("FUZZ_SCALE") or 1)
    return settings(
        FUZZ_PROFILE, max_examples=max(1, round(examples * scale)), deadline=deadline_ms
    )


randoms = st.randoms(use_true_random=False)
"""A ``random.Random`` whose every draw Hypothesis controls (and shrinks)."""
