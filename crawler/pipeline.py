"""One pool of workers for a pass's index reads and its filing downloads.

The throttle alone sets the pace (one request start per turn); the pipeline's task is that
a request is ready for every turn it grants, from the first turn of a pass to the last. A
pass knows two kinds of work:

- its discovery steps (``IndexRead``: a quarterly or daily index file each), in a fixed
  order, because cursors advance in that order;
- the filings due in the ledger, which grow each time a step is recorded.

A worker takes the next step while fewer than ``read_ahead`` steps are outstanding (in
flight, or fetched and not yet recorded: that bounds the index bodies held in memory), else
the next due filing, else waits while a step is outstanding (it may add filings), and leaves
when nothing is outstanding and the ledger holds no more due filings. Steps are fetched
concurrently and recorded strictly in their order, by whichever worker completes the
recorded prefix. So the index of quarter N+1 is read while the filings of quarter N
download, the first filings download while later indexes are still being read, and no
worker ever waits for a phase to end while there is a request it could send.

Due filings are paged from the ledger by their ``seq`` (first sighting), so each is tried
at most once per pass, newly recorded ones come after the older ones, and a failure due
again at once is left for the next pass. ``limit`` bounds the filings tried; every step is
still read. A step whose fetch is cancelled (``CrawlAborted``: the pass is stopping) ends
the pass quietly. A step failing with another ``CrawlerError`` (a repeated block, a ledger
that cannot be written) stops the handing out of work, and ``run`` raises that error once
the workers have finished what they hold; so does any other exception (a bug).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, Protocol, TypeVar

from crawler.errors import CrawlAborted, CrawlerError
from crawler.state import PendingFiling

__all__ = ["BATCH", "IndexRead", "Pipeline", "Step", "run_in_order"]

BATCH = 256
"""Due filings read from the ledger at a time."""
_POLL_SECONDS = 0.2
"""How often an idle worker re-checks ``halted`` (a stop is not announced to the pipeline)."""

R = TypeVar("R")


class Step(Protocol):
    """A discovery step: ``fetch`` (the request, in any worker), then ``take`` (in order)."""

    def fetch(self) -> None: ...

    def take(self) -> int:
        """Record what ``fetch`` got; return how many filings became due."""
        ...


class IndexRead(Generic[R]):
    """A ``Step`` made of a fetch function and a function recording its result."""

    __slots__ = ("_fetch", "_result", "_take", "label")

    def __init__(self, label: str, fetch: Callable[[], R], take: Callable[[R], int]) -> None:
        self.label = label
        self._fetch = fetch
        self._take = take
        self._result: tuple[R] | None = None

    def __repr__(self) -> str:
        return f"IndexRead({self.label!r})"

    def fetch(self) -> None:
        self._result = (self._fetch(),)

    def take(self) -> int:
        if self._result is None:
            raise RuntimeError(f"{self.label}: taken before it was fetched")
        (result,) = self._result
        self._result = None  # the body is no longer held once recorded
        return self._take(result)


def run_in_order(
    steps: Sequence[Step], *, workers: int, halted: Callable[[], bool] | None = None
) -> None:
    """Fetch ``steps`` on ``workers`` threads and take them in order (discovery alone)."""
    Pipeline(
        steps,
        due=lambda _after, _count: [],
        download=lambda _filing: None,
        workers=workers,
        read_ahead=workers,
        halted=halted,
    ).run()


class Pipeline:
    """Runs one pass's steps and downloads on ``workers`` threads; see the module notes."""

    def __init__(
        self,
        steps: Sequence[Step],
        *,
        due: Callable[[int, int], list[PendingFiling]],
        download: Callable[[PendingFiling], None],
        workers: int,
        read_ahead: int,
        limit: int | None = None,
        halted: Callable[[], bool] | None = None,
        on_taken: Callable[[int], None] | None = None,
        on_error: Callable[[CrawlerError], None] | None = None,
    ) -> None:
        """``due(after, n)``: up to ``n`` due filings with ``seq > after``, by ``seq``;
        ``download(filing)`` handles its own failures; ``halted()`` says the pass is
        stopping; ``on_taken(new)`` follows each recorded step; ``on_error(error)`` is told
        at once of the first ``CrawlerError`` a step raised (so that the requests in flight
        can be cancelled), which ``run`` raises at the end. Any other exception is a bug: the
        workers stop and ``run`` raises it."""
        if workers < 1 or read_ahead < 1:
            raise ValueError("workers and read_ahead must be at least 1")
        self._steps = steps
        self._due = due
        self._download = download
        self._workers = workers
        self._read_ahead = read_ahead
        self._limit = limit
        self._halted = halted or (lambda: False)
        self._on_taken = on_taken
        self._on_error = on_error
        self._cond = threading.Condition()
        self._next_step = 0
        """The next step to hand out."""
        self._next_take = 0
        """The next step to record; steps before it are recorded."""
        self._fetched: set[int] = set()
        self._taking = False
        self._buffer: deque[PendingFiling] = deque()
        self._after = 0
        self._handed = 0
        """Filings handed out (``limit`` counts these)."""
        self._refilling = False
        self._exhausted = False
        """The last ledger read found no more due filings (and nothing was recorded since)."""
        self._generation = 0
        """Bumped by every recorded step: a ledger read begun before it may have missed some."""
        self._stopped = False
        self._error: CrawlerError | None = None

    # -- running ---------------------------------------------------------------------------

    def run(self) -> None:
        """Work until everything known is done (or the pass halts); raise a worker's error."""
        with ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="fetch") as pool:
            futures = [pool.submit(self._work) for _ in range(self._workers)]
        for future in futures:
            future.result()  # a bug in a worker
        if self._error is not None:
            raise self._error

    def _work(self) -> None:
        finished = False
        try:
            while (job := self._next_job()) is not None:
                if isinstance(job, int):
                    self._run_step(job)
                else:
                    self._download(job)
            finished = True
        finally:
            if not finished:  # a bug: the other workers stop too, and run() raises it
                self._stop()

    def _run_step(self, index: int) -> None:
        try:
            self._steps[index].fetch()
        except CrawlAborted:
            self._stop()
            return
        except CrawlerError as exc:  # a repeated block, a ledger that cannot be written
            self._fail(exc)
            return
        with self._cond:
            self._fetched.add(index)
        self._take_in_order()

    def _take_in_order(self) -> None:
        """Record every fetched step at the head of the order; one worker at a time."""
        with self._cond:
            if self._taking:
                return  # the worker taking now re-checks before it stops
            self._taking = True
        while True:
            with self._cond:
                index = self._next_take
                if self._stopped or index not in self._fetched:
                    self._taking = False
                    return
            try:
                new = self._steps[index].take()
            except CrawlerError as exc:  # the ledger cannot be written
                with self._cond:
                    self._taking = False
                self._fail(exc)
                return
            with self._cond:
                self._fetched.discard(index)
                self._next_take += 1
                self._generation += 1
                self._exhausted = False
                self._cond.notify_all()
            if self._on_taken is not None:
                self._on_taken(new)

    # -- scheduling ------------------------------------------------------------------------

    def _next_job(self) -> int | PendingFiling | None:
        """A step index, a filing, or None when this worker is done."""
        with self._cond:
            while True:
                if self._stopped or self._halted():
                    self._stopped = True
                    self._cond.notify_all()
                    return None
                outstanding = self._next_step - self._next_take
                if self._next_step < len(self._steps) and outstanding < self._read_ahead:
                    self._next_step += 1
                    return self._next_step - 1
                limited = self._limit is not None and self._handed >= self._limit
                if not limited:
                    if self._buffer:
                        self._handed += 1
                        return self._buffer.popleft()
                    if not self._exhausted and not self._refilling:
                        self._refill()
                        continue
                no_filings = limited or (
                    self._exhausted and not self._refilling and not self._buffer
                )
                if no_filings and outstanding == 0 and self._next_step == len(self._steps):
                    self._cond.notify_all()
                    return None
                self._cond.wait(_POLL_SECONDS)

    def _refill(self) -> None:
        """Read the next due filings from the ledger (called and returning with the lock)."""
        self._refilling = True
        generation, after = self._generation, self._after
        self._cond.release()
        try:
            filings = self._due(after, BATCH)
        except CrawlerError as exc:  # a ledger that cannot be read ends the pass
            filings = []
            self._fail(exc)
        finally:
            self._cond.acquire()
            self._refilling = False
        self._buffer.extend(filings)
        if filings:
            self._after = filings[-1].seq
        if len(filings) < BATCH and generation == self._generation:
            self._exhausted = True
        self._cond.notify_all()

    def _stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    def _fail(self, error: CrawlerError) -> None:
        """Keep the first error and stop handing out work (called without the lock)."""
        with self._cond:
            first = self._error is None
            if first:
                self._error = error
            self._stopped = True
            self._cond.notify_all()
        if first and self._on_error is not None:
            self._on_error(error)
