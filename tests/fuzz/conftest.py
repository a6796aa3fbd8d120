"""The fuzz tests' Hypothesis profile (registered as ``corresp-fuzz``) and their seed corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from tests.fuzz.corpus import Corpus
from tests.fuzz.profile import FUZZ_PROFILE, PROFILE_NAME

settings.register_profile(PROFILE_NAME, FUZZ_PROFILE)


@pytest.fixture(scope="session")
def corpus(samples_dir: Path) -> Corpus:
    """Seed inputs from the real samples (a small selection of letters for the normalizer)."""
    return Corpus(samples_dir, letters=16)
