"""The fuzz tests' seed corpus (their Hypothesis settings: ``tests/fuzz/profile.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.corpus import Corpus


@pytest.fixture(scope="session")
def corpus(samples_dir: Path) -> Corpus:
    """Seed inputs from the real samples (a small selection of letters for the normalizer)."""
    return Corpus(samples_dir, letters=16)
