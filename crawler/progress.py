"""A progress bar for long downloads: filings done, filings/s, requests/s, time left."""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from crawler.client import EdgarClient
from crawler.cycle import FetchOutcome

__all__ = ["FetchProgress"]


class _RatesColumn(ProgressColumn):
    """Filings per second and requests per second since the bar started."""

    def __init__(self, client: EdgarClient) -> None:
        super().__init__()
        self.client = client
        self.started = time.monotonic()
        self.requests_at_start = client.stats.requests

    def render(self, task: Task) -> Text:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        requests = self.client.stats.requests - self.requests_at_start
        return Text(f"{task.completed / elapsed:5.1f} filings/s {requests / elapsed:5.1f} req/s")


class FetchProgress:
    """Context manager and ``ProgressCallback`` drawing a bar on standard error."""

    def __init__(self, client: EdgarClient, *, description: str, enabled: bool) -> None:
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            _RatesColumn(client),
            TextColumn("{task.fields[failed]} failed"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            disable=not enabled,
            transient=False,
        )
        self._task = self._progress.add_task(description, total=None, failed=0)
        self._failed = 0

    def __enter__(self) -> FetchProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def start(self, total: int) -> None:
        self._progress.update(self._task, total=total, completed=0)

    def grow(self, total: int) -> None:
        self._progress.update(self._task, total=total)

    def advance(self, outcome: FetchOutcome) -> None:
        if outcome in (FetchOutcome.FAILED, FetchOutcome.PARKED):
            self._failed += 1
        self._progress.update(self._task, advance=1, failed=self._failed)
