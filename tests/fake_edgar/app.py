"""The fake EDGAR's behaviour, independent of sockets: one request in, one decided reply out.

Order of decisions for every request (all of them are logged):

1. fair access: the rate limiter counts it; during a block (or if it triggers one) the answer
   is the "Request Rate Threshold Exceeded" page with `block_status`, no `Retry-After`
   (unless `config.retry_after`);
2. identity: a User-Agent without an e-mail address gets the 403 undeclared-tool page;
3. content: overlay (`add_file` / `remove` / `add_versions`), else the current-filings feed
   of what `publish` released (`current`), else a generated `form` index
   listing the sample letters (with `list_samples`, built on the first index request), else
   the assembled full submission of a listed letter (with `full_submissions`), else
   synthetic filing, else real sample, else the S3 error of that host; then conditional GET
   (304) and gzip;
4. faults: an injected fault matching the path (or a `/_fault/…` route) replaces the reply or
   breaks its delivery; an injected `block` starts a block at this request instead.

`FakeEdgar` (server.py) serves this app over loopback and adds the latency.
"""

from __future__ import annotations

import math
import random
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from . import errors, faults, letters, urls
from .assembled import SubmissionAssembler
from .config import FakeEdgarConfig
from .current import CurrentFeed, Published
from .errors import S3Errors
from .faults import Fault, FaultTable, Injection
from .letters import SampleLetter
from .limits import Admission, BlockWindow, Clock, RateLimiter, peak_requests
from .messages import Reply, Request, file_reply
from .negotiate import negotiate
from .overlays import Overlays, file_versions
from .requestlog import RequestLog, RequestRecord
from .routes import SampleRoutes
from .samples import SampleStore
from .synthetic import FormIndexes, Listed, SyntheticCorpus, SyntheticFiling
from .urls import DAILY_INDEX, FULL_INDEX

DECLARED_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_CORRECT = Fault()
_FAULT_ROUTE_REPLY = Reply(200, b"fake EDGAR fault route\n" * 64, {"Content-Type": "text/plain"})


@dataclass(frozen=True)
class Outcome:
    """What to send for one request: the reply and the fault that delivers it."""

    reply: Reply
    fault: Fault = _CORRECT


class EdgarApp:
    """SEC's three hosts in one object: samples, overlays, synthetic volume, rules, faults."""

    def __init__(
        self,
        samples_dir: str | Path | None = None,
        config: FakeEdgarConfig | None = None,
        *,
        clock: Clock = time.monotonic,
    ) -> None:
        self.config = config or FakeEdgarConfig()
        self.clock = clock
        self.store = SampleStore.at(samples_dir)
        self.limiter = RateLimiter(
            self.config.limit_per_second, self.config.block_seconds, clock=clock
        )
        self.log = RequestLog()
        self.fault_table = FaultTable()
        self._s3 = S3Errors(self.store)
        self._routes = SampleRoutes(self.store)
        self._overlays = Overlays()
        self.feed = CurrentFeed()
        self._synthetic = SyntheticCorpus(())
        self._listing: FormIndexes | None = None
        self._listing_lock = threading.Lock()
        self._assembler: SubmissionAssembler | None = None
        if self.config.synthetic:
            self.synthetic_filings(self.config.synthetic)

    # -- observation ---------------------------------------------------------------------

    @property
    def requests(self) -> list[RequestRecord]:
        """Snapshot of every request received so far."""
        return self.log.snapshot()

    @property
    def violations(self) -> int:
        """How many times the rate limit was exceeded and a block started."""
        return self.limiter.violations

    @property
    def blocked(self) -> bool:
        """Whether a block is active now."""
        return self.limiter.blocked()

    def max_requests_in_any_window(self, seconds: float = 1.0) -> int:
        """Peak number of requests received within any `seconds`-long window."""
        return peak_requests((r.monotonic for r in self.requests), seconds)

    def requests_during_block(self) -> list[RequestRecord]:
        """Requests that arrived while a block was active (not the ones that started it)."""
        return [r for r in self.requests if r.during_block]

    @property
    def block_windows(self) -> list[BlockWindow]:
        """Every block so far (limit exceeded, `set_block`, injected `block`), oldest first."""
        return self.limiter.windows()

    # -- shaping -------------------------------------------------------------------------

    def add_file(
        self, path: str, body: bytes, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        """Serve `body` at exactly `path` (typed by its extension, with validators)."""
        reply = file_reply(body, path, datetime.now(UTC), status=status)
        self._overlays.put(path, reply.with_headers(headers or {}))

    def remove(self, path: str) -> None:
        """Answer `path` as missing (S3 403 AccessDenied, or 404 NoSuchKey on data.sec.gov)."""
        self._overlays.put(path, None)

    def add_versions(self, path: str, bodies: Sequence[bytes | None]) -> None:
        """Serve `bodies[n]` to the n-th request for `path` from now on, the last one after
        that (None: missing). Versions share a Last-Modified and differ in their ETag."""
        self._overlays.put_versions(path, file_versions(path, bodies))

    def restore(self, path: str) -> None:
        """Undo `add_file` / `remove` / `add_versions` at `path`: serve what lies beneath."""
        self._overlays.restore(path)

    def publish(self, filing: Listed, at: datetime | None = None) -> Published:
        """Release `filing` (a sample letter, a synthetic filing) on the current-filings feed
        now (or at `at`); it is served as before, the feed is how a poller learns of it."""
        return self.feed.publish(filing, at)

    def inject(
        self, path_or_regex: str | re.Pattern[str], fault: Fault | str, times: int | None = 1
    ) -> Injection:
        """Apply `fault` to the next `times` requests for a path (None: to all of them).

        A string target matches the path exactly, a compiled regex is searched in it.
        """
        return self.fault_table.add(path_or_regex, fault, times)

    def set_block(self, active: bool = True) -> None:
        """Start a rate-limit block now (extended by requests as usual), or lift it."""
        self.limiter.set_block(active)

    def synthetic_filings(
        self, n: int, start: date | None = None, end: date | None = None
    ) -> list[SyntheticFiling]:
        """Replace the synthetic corpus with `n` filings released between start and end."""
        corpus = SyntheticCorpus.from_samples(
            self.store, n, start or self.config.synthetic_start, end or self.config.synthetic_end
        )
        with self._listing_lock:
            self._synthetic = corpus
            self._listing = None  # rebuilt with the new synthetic filings on next use
        return list(corpus.filings)

    @property
    def synthetic(self) -> SyntheticCorpus:
        return self._synthetic

    @property
    def synthetic_accessions(self) -> list[str]:
        return self._synthetic.accessions

    @property
    def sample_letters(self) -> list[SampleLetter]:
        """The real sample letters the indexes list (empty unless `config.list_samples`)."""
        return list(letters.sample_letters(self.store)) if self.config.list_samples else []

    @property
    def listing(self) -> FormIndexes | None:
        """The generated `form` indexes of the sample letters and synthetic filings together
        (None unless `config.list_samples`); built on first use."""
        if not self.config.list_samples:
            return None
        with self._listing_lock:
            if self._listing is None:
                real = letters.sample_letters(self.store)
                filings = [*real, *self._synthetic.filings]
                self._listing = FormIndexes(filings, span=letters.listing_span(real))
            return self._listing

    def reset(self) -> None:
        """Forget requests, block, violations, overlays and faults (synthetic filings and
        the filings published on the feed stay)."""
        self.log.clear()
        self.limiter.reset()
        self.fault_table.clear()
        self._overlays.clear()

    def response_delay(self) -> float:
        """Seconds to hold the next response (uniform in `config.delay_ms`)."""
        low, high = self.config.delay_ms
        return random.uniform(low, high) / 1000 if high else 0.0

    # -- handling ------------------------------------------------------------------------

    def handle(self, request: Request) -> Outcome:
        """Decide the answer to one request and log it."""
        arrived, wall = self.clock(), time.time()
        admission = self.limiter.admit(arrived)
        if admission.refused:
            outcome = Outcome(self._block_page(arrived))
        elif self.config.require_user_agent and not declared(request.user_agent):
            outcome = Outcome(errors.undeclared_tool())
        else:
            outcome = self._content(request)
            if outcome.fault.starts_block:
                self.limiter.set_block(True, arrived)
                admission = Admission.TRIGGERED
                outcome = Outcome(self._block_page(arrived), outcome.fault)
        self.log.append(
            RequestRecord(
                monotonic=arrived,
                wall=wall,
                method=request.method,
                path=request.path,
                query=request.query,
                host=request.host,
                user_agent=request.user_agent,
                status=outcome.reply.status if outcome.fault.answers else None,
                admission=admission,
                fault=None if outcome.fault is _CORRECT else outcome.fault.name,
            )
        )
        return outcome

    def _block_page(self, now: float) -> Reply:
        retry_after = None
        if self.config.retry_after:
            remaining = (self.limiter.blocked_until or now) - now
            retry_after = max(1, math.ceil(remaining))
        return errors.rate_limited(self.config.block_status, retry_after=retry_after)

    def _content(self, request: Request) -> Outcome:
        route_fault = faults.from_route(request.path)
        body = _FAULT_ROUTE_REPLY if route_fault is not None else self._resolve(request)
        reply = negotiate(body, request)
        fault = self.fault_table.take(request.path) or route_fault
        if fault is None:
            return Outcome(reply)
        return Outcome(fault.transform(reply, self._s3), fault)

    def _resolve(self, request: Request) -> Reply:
        overlaid, reply = self._overlays.resolve(request.path)
        if overlaid:
            return reply or self._s3.missing(request.path)
        found = (
            self.feed.resolve(request)
            or self._listed(request.path)
            or self._assembled(request.path)
            or self._synthetic.resolve(request)
            or self._routes.resolve(request)
        )
        return found or self._s3.missing(request.path)

    def _listed(self, path: str) -> Reply | None:
        if not self.config.list_samples:
            return None
        if DAILY_INDEX.fullmatch(path) is None and FULL_INDEX.fullmatch(path) is None:
            return None  # only index requests build the listing
        listing = self.listing
        return None if listing is None else listing.resolve(path)

    def _assembled(self, path: str) -> Reply | None:
        if not self.config.full_submissions or urls.SUBMISSION.fullmatch(path) is None:
            return None
        with self._listing_lock:
            if self._assembler is None:
                self._assembler = SubmissionAssembler(
                    self.store, letters.sample_letters(self.store)
                )
            assembler = self._assembler
        return assembler.resolve(path)


def declared(user_agent: str | None) -> bool:
    """Whether a User-Agent declares a contact e-mail address, as SEC requires."""
    return user_agent is not None and DECLARED_EMAIL.search(user_agent) is not None
