"""The EDGAR fault matrix: one scenario per way EDGAR misbehaves, shared by test and bench.

A `Scenario` shapes a running fake EDGAR (`arrange`, and `between` passes) through an `Arena`:
the synthetic filings the fake lists, a seeded random share of them to break, and what the
crawl is then expected to leave behind. By default every listed filing must end stored; a
scenario whose fault is permanent names, per filing or per index file, the reason the ledger
must record instead. Faults that outlast a pass by design (a submission truncated on disk, an
index rebuilt or published late) get a second pass, and say why in `second_pass`.

`fault_runs` runs a scenario (the real `corresp crawl` in a subprocess) and checks it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tests.fake_edgar import FakeEdgar, SyntheticFiling
from tests.fake_edgar.messages import Request
from tests.fake_edgar.synthetic import business_days
from tests.fake_edgar.urls import daily_index_path

__all__ = ["SCENARIOS", "Arena", "Scenario", "Timings"]

WEEK_SPAN = (date(2023, 1, 9), date(2023, 1, 11))
"""Listing days of the filings in most scenarios (three business days, long past)."""


@dataclass(frozen=True)
class Timings:
    """Small numbers so the matrix runs in seconds; the crawler's cool-down covers a block."""

    block_seconds: float = 2.0
    cooldown_seconds: float = 3.0
    timeout_seconds: float = 1.0
    max_attempts: int = 4
    max_attempts_per_filing: int = 6
    max_requests_per_second: float = 9.0
    """The crawler's default; the fake blocks above 10 in any second."""


@dataclass
class Arena:
    """A running fake EDGAR, its listed filings, and what the crawl must leave behind."""

    edgar: FakeEdgar
    filings: list[SyntheticFiling]
    timings: Timings
    rng: random.Random
    permanent: dict[str, re.Pattern[str]] = field(default_factory=dict)
    """Accession -> what its recorded last error must say (the fault never clears)."""
    unreadable: dict[str, re.Pattern[str]] = field(default_factory=dict)
    """Index path -> what its recorded problem must say (its filings cannot be found)."""
    versioned: dict[str, int] = field(default_factory=dict)
    """Path -> number of versions served (all but the last are faults)."""
    hidden: dict[str, float] = field(default_factory=dict)
    """Path -> server clock time it stopped being missing (requests before it were faults)."""

    @property
    def days(self) -> list[date]:
        return sorted({f.disseminated for f in self.filings})

    def share(self, fraction: float, among: list[SyntheticFiling] | None = None) -> list:
        """A seeded random `fraction` of the filings (at least one), in listing order."""
        pool = self.filings if among is None else among
        chosen = set(self.rng.sample(range(len(pool)), max(1, round(len(pool) * fraction))))
        return [filing for i, filing in enumerate(pool) if i in chosen]

    def listed_on(self, day: date) -> list[SyntheticFiling]:
        return [f for f in self.filings if f.disseminated == day]

    def body(self, path: str) -> bytes:
        """What the fake serves at `path` when nothing is injected (no request is logged)."""
        reply = self.edgar.synthetic.resolve(Request("GET", path))
        assert reply is not None, f"the fake serves nothing at {path}"
        return reply.body

    def inject(self, paths: list[str], fault: str, times: int | None = 1) -> None:
        for path in paths:
            self.edgar.inject(path, fault, times=times)

    def versions(self, path: str, bodies: list[bytes | None]) -> None:
        self.edgar.add_versions(path, bodies)
        self.versioned[path] = len(bodies)

    def expect_parked(self, filings: list[SyntheticFiling], reason: str) -> None:
        for filing in filings:
            self.permanent[filing.accession] = re.compile(reason, re.IGNORECASE)


@dataclass(frozen=True)
class Scenario:
    """One misbehaviour of EDGAR and how to bring it about."""

    name: str
    fault: str
    """What the fake does, in a few words."""
    arrange: Callable[[Arena], None]
    passes: int = 1
    second_pass: str = ""
    """Why a second pass is needed, when it is."""
    between: Callable[[Arena], None] | None = None
    """Run after the first pass (the fault clears, a late index appears)."""
    fake: Mapping[str, Any] = field(default_factory=dict)
    """FakeEdgarConfig overrides."""
    settings: Mapping[str, str] = field(default_factory=dict)
    """Crawler settings overrides (``SECTION__KEY`` -> value)."""
    span: Callable[[date], tuple[date, date]] = lambda _today: WEEK_SPAN
    """Listing days of the filings, from today (US Eastern)."""
    until_today: bool = False
    """Passes run up to today (as the scheduler's do) instead of the span's last day."""


def _filings(fault: str, fraction: float = 1 / 3, *, index: bool = True) -> Callable:
    """Inject `fault` once on a share of the filing downloads (and on one daily index)."""

    def arrange(arena: Arena) -> None:
        arena.inject([f.path for f in arena.share(fraction)], fault)
        if index:
            arena.inject([daily_index_path(arena.rng.choice(arena.days))], fault)

    return arrange


def _block(arena: Arena) -> None:
    arena.inject([f.path for f in arena.share(1 / 10)], "block")


def _burst(arena: Arena) -> None:
    arena.edgar.inject(re.compile(r"\.txt$"), "status(503)", times=20)


def _every_index(fault: str, times: int) -> Callable[[Arena], None]:
    def arrange(arena: Arena) -> None:
        arena.inject([daily_index_path(day) for day in arena.days], fault, times=times)

    return arrange


def _index_down(arena: Arena) -> None:
    arena.inject([daily_index_path(arena.days[1])], "status(503)", times=None)


def _clear_faults(arena: Arena) -> None:
    arena.edgar.fault_table.clear()


def _cut_in_document(body: bytes) -> bytes:
    """The submission cut in the middle of its first document's text."""
    start = body.index(b"<TEXT>")
    end = body.index(b"</TEXT>", start)
    return body[: (start + end) // 2]


def _truncated_content(arena: Arena) -> None:
    for filing in arena.share(1 / 3):
        body = arena.body(filing.path)
        arena.versions(filing.path, [_cut_in_document(body), body])


def _index_rebuilt(arena: Arena) -> None:
    day = arena.days[0]
    path = daily_index_path(day)
    full = arena.body(path)
    late = arena.listed_on(day)[-1]
    without = b"".join(
        line for line in full.splitlines(keepends=True) if late.accession.encode() not in line
    )
    assert without != full
    arena.versions(path, [without, full])


def _hide_last_day(fault: str | None) -> Callable[[Arena], None]:
    """The last listing day's index is not there yet (403 AccessDenied, or a fault)."""

    def arrange(arena: Arena) -> None:
        path = daily_index_path(arena.days[-1])
        if fault is None:
            arena.edgar.remove(path)
            arena.hidden[path] = float("inf")
        else:
            arena.edgar.inject(path, fault, times=None)

    return arrange


def _publish_late(arena: Arena) -> None:
    path = daily_index_path(arena.days[-1])
    arena.edgar.restore(path)
    arena.edgar.fault_table.clear()
    if path in arena.hidden:
        arena.hidden[path] = arena.edgar.clock()


def _recent(today: date) -> tuple[date, date]:
    """The three business days before today."""
    days = business_days(today - timedelta(days=7), today - timedelta(days=1))
    return days[-3], days[-1]


def _weeks_ago(today: date) -> tuple[date, date]:
    """Three business days ending at least ten days ago (past any look-back window)."""
    days = business_days(today - timedelta(days=20), today - timedelta(days=10))
    return days[-3], days[-1]


_PERMANENT = (
    ("status(500)", r"HTTP 500"),
    ("bad_gzip", r"gzip"),
    ("truncate(200)", r"truncated"),
    ("truncate(200, 0, True)", r"reset|truncated"),
    ("truncate(200, 2)", r"timed out"),
    ("wrong_length(100)", r"truncated|Content-Length"),
    ("wrong_length(-100)", r"Content-Length|gzip"),
)


def _permanent(arena: Arena) -> None:
    """Every filing fault forever on one filing each, and one daily index never readable."""
    unreadable_day = arena.days[-1]
    path = daily_index_path(unreadable_day)
    arena.edgar.inject(path, "bad_gzip", times=None)
    arena.unreadable[path] = re.compile("gzip", re.IGNORECASE)
    readable = [f for f in arena.filings if f.disseminated != unreadable_day]
    for filing, (fault, reason) in zip(
        arena.rng.sample(readable, len(_PERMANENT)), _PERMANENT, strict=True
    ):
        arena.edgar.inject(filing.path, fault, times=None)
        arena.expect_parked([filing], reason)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("block 403", "SEC's block page starts a 2 s block", _block),
    Scenario(
        "block 429",
        "429 with Retry-After 5 s (past the 3 s cool-down)",
        _block,
        fake={"block_status": 429, "retry_after": True, "block_seconds": 5.0},
    ),
    Scenario("5xx burst", "20 consecutive 503s on filing downloads", _burst),
    Scenario("5xx index", "two 503s on every daily index", _every_index("status(503)", 2)),
    Scenario(
        "index down",
        "503 on one daily index for a whole pass",
        _index_down,
        passes=2,
        second_pass="the index answers only after the first pass",
        between=_clear_faults,
        settings={"EDGAR__MAX_ATTEMPTS": "2"},
    ),
    Scenario("reset", "TCP reset mid-body", _filings("truncate(300, 0, True)")),
    Scenario("stall", "body stalls 2 s mid-way (timeout 1 s)", _filings("truncate(300, 2)")),
    Scenario("truncated", "connection closed mid-body", _filings("truncate(300)")),
    Scenario(
        "cut submission",
        "submission on disk cut inside a <DOCUMENT>",
        _truncated_content,
        passes=2,
        second_pass="a complete-looking response is parsed, refused and retried next pass",
    ),
    Scenario("length +100", "Content-Length 100 bytes too long", _filings("wrong_length(100)")),
    Scenario("length -100", "Content-Length 100 bytes too short", _filings("wrong_length(-100)")),
    Scenario("gzip index", "corrupt gzip on every daily index", _every_index("bad_gzip", 1)),
    Scenario("gzip filing", "corrupt gzip on filings", _filings("bad_gzip", index=False)),
    Scenario(
        "index rebuilt",
        "daily index read before it gained a filing (same Last-Modified)",
        _index_rebuilt,
        passes=2,
        second_pass="the new version exists only after the first read",
    ),
    Scenario(
        "late index 404",
        "yesterday's daily index 404 until the next pass",
        _hide_last_day("status(404)"),
        passes=2,
        second_pass="the index is published after the first pass",
        between=_publish_late,
        span=_recent,
        until_today=True,
    ),
    Scenario(
        "late index 403",
        "a daily index published ten days late",
        _hide_last_day(None),
        passes=2,
        second_pass="the index is published after the first pass",
        between=_publish_late,
        span=_weeks_ago,
        until_today=True,
    ),
    Scenario(
        "permanent",
        "every fault forever on one filing each; one index never readable",
        _permanent,
        passes=2,
        second_pass="a filing is parked after crawler.max_attempts_per_filing passes",
        settings={"EDGAR__MAX_ATTEMPTS": "2", "CRAWLER__MAX_ATTEMPTS_PER_FILING": "2"},
    ),
)
