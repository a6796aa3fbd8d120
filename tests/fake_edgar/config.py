"""Settings of the fake EDGAR server: SEC's fair-access numbers, latency, listings and volume.

Defaults mirror www.sec.gov (10 requests/second, a 600 s block answered with 403, a declared
User-Agent required) except the latency, which is zero so tests stay fast; benchmarks pass
`delay_ms=(200, 500)` to look like the real site.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class FakeEdgarConfig:
    """How strict and how slow the fake EDGAR is, what its indexes list, what volume it adds."""

    limit_per_second: int = 10
    """More requests than this in any sliding one-second window (all hosts) starts a block."""

    block_seconds: float = 600.0
    """Length of a block; every request during the block pushes its end out again."""

    block_status: int = 403
    """Status of the "Request Rate Threshold Exceeded" page: 403 (usual) or 429."""

    retry_after: bool = False
    """Send `Retry-After` (the block's remaining whole seconds) with the block page, as a 429
    from a generic rate limiter would; SEC's own page has none."""

    delay_ms: tuple[int, int] = (0, 0)
    """Per-response delay, uniformly random in this closed range of milliseconds."""

    require_user_agent: bool = True
    """Answer requests whose User-Agent has no e-mail address with the 403 undeclared-tool page."""

    list_samples: bool = False
    """List the real sample letters (every UPLOAD/CORRESP folder of `documents/`) in generated
    daily and quarterly `form.idx` files (see `letters`). Every business day and quarter from
    the first letter's quarter to the last one's then has a generated `form` index, which hides
    the samples' own `form` indexes of that range. Combinable with `synthetic`: an index of a
    day or quarter holding both lists both."""

    full_submissions: bool = False
    """With `list_samples`: serve each listed letter's full submission `{ACCESSION}.txt`,
    assembled from its sample document and its company's submissions JSON (see `assembled`),
    so a crawler needs one request per filing as on EDGAR. Without it the full submission of a
    listed letter is absent (S3 403) and a crawler falls back to `index.json` and documents."""

    synthetic: int = 0
    """Number of synthetic CORRESP/UPLOAD filings to generate at start-up (0: none)."""

    synthetic_start: date = date(2023, 1, 3)
    """First dissemination day of the synthetic filings (a quarter with no real sample index)."""

    synthetic_end: date = date(2023, 3, 31)
    """Last dissemination day of the synthetic filings (inclusive)."""

    def __post_init__(self) -> None:
        if self.limit_per_second < 1:
            raise ValueError(f"limit_per_second must be positive, got {self.limit_per_second}")
        if self.block_seconds < 0:
            raise ValueError(f"block_seconds must not be negative, got {self.block_seconds}")
        if self.block_status not in (403, 429):
            raise ValueError(f"block_status must be 403 or 429, got {self.block_status}")
        low, high = self.delay_ms
        if not 0 <= low <= high:
            raise ValueError(f"delay_ms must be (low, high) with 0 <= low <= high, got {low, high}")
        if self.full_submissions and not self.list_samples:
            raise ValueError("full_submissions needs list_samples")
        if self.synthetic < 0:
            raise ValueError(f"synthetic must not be negative, got {self.synthetic}")
        if self.synthetic_start > self.synthetic_end:
            raise ValueError("synthetic_start is after synthetic_end")
