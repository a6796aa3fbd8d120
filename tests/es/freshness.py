"""Freshness trials: seconds from a letter's publication on EDGAR to searchable and to the POST.

A fake EDGAR in this process publishes nothing until a trial does. ``corresp schedule`` runs
as a child process on the default feed cadence, every minute (``* * * * *``: the default
``* 6-21 * * 1-5`` without its filing-hours window, so trials run at any time of day; the
other crawl jobs are off so that nothing but the feed poll finds letters). config.yaml has one
watchlist on the companies of the trial letters, created before the first trial (it alerts on
letters released from its creation day on), posting to a receiver on loopback.

Each trial waits a random part of a minute (so publication falls anywhere in the polling
cycle), publishes one sample letter on the current-filings feed, then times:

- **searchable**: the first moment ``GET /letters/{accession}`` answers 200 (polled every
  0.2 s through the API, in this process, on the same index prefix);
- **webhook**: the moment the receiver got the POST carrying the letter's alert.

A trial ends when both happened or after ``timeout`` seconds (counted as missed). The
checks that make the acceptance test: each alert arrived in exactly one signed POST, whose
``X-Corresp-Delivery`` names it; the watchlist's Atom feed and ``/watch/{id}`` list the letter.
"""

from __future__ import annotations

import json
import math
import os
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from indexer.config_file import load_settings
from indexer.watchlists.webhooks import verify_signature
from tests.es.outbox_crash import Receiver, child_environment, start_receiver
from tests.fake_edgar import FakeEdgar
from tests.fake_edgar.letters import SampleLetter, sample_letters
from tests.fake_edgar.samples import SampleStore

WATCHLIST = "fresh"
SECRET = "freshness-secret-0123456789"
_SECRET_ENV = "FRESHNESS_SECRET"
USER_AGENT = "Corresp Freshness Trials freshness@example.org"
POLL_CRON = "* * * * *"
_PROBE_SECONDS = 0.2


@dataclass
class Trial:
    accession: str
    form: str
    searchable: float | None = None
    """Seconds from publication to the letter answering ``GET /letters/{accession}``."""
    webhook: float | None = None
    """Seconds from publication to the receiver getting the POST with its alert."""


@dataclass
class FreshnessResult:
    trials: list[Trial] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    posts: int = 0
    alerts: int = 0
    feed_requests: int = 0
    feed_not_modified: int = 0
    seconds: float = 0.0

    def figures(self, name: str) -> list[float]:
        values = (getattr(trial, name) for trial in self.trials)
        return sorted(value for value in values if value is not None)

    def percentile(self, name: str, share: float) -> float | None:
        """Nearest-rank percentile of the trials' ``name`` figures; a missed trial counts as
        infinitely late (so a miss can only raise it)."""
        values = self.figures(name) + [math.inf] * (len(self.trials) - len(self.figures(name)))
        if not values:
            return None
        return sorted(values)[max(0, math.ceil(share * len(values)) - 1)]


def trial_letters(samples_dir: Path, count: int, seed: int) -> list[SampleLetter]:
    """``count`` distinct sample letters, chosen at random (seeded) across the samples."""
    letters = sample_letters_of(samples_dir)
    return random.Random(seed).sample(letters, min(count, len(letters)))


def sample_letters_of(samples_dir: Path) -> tuple[SampleLetter, ...]:
    return sample_letters(SampleStore.at(samples_dir))


def _write_config(folder: Path, receiver: Receiver, ciks: list[int]) -> Path:
    config = folder / "config.yaml"
    listed = ", ".join(f"'{cik}'" for cik in sorted(set(ciks)))
    config.write_text(
        "\n".join(
            [
                "crawler:",
                "  schedule:",
                f"    current_feed: '{POLL_CRON}'",
                "    daily_index: ''",
                "    submissions: ''",
                "    backfill: ''",
                "webhooks:",
                "  allow_private_networks: true",
                "watchlists:",
                f"  - id: {WATCHLIST}",
                "    name: Freshness trial companies",
                f"    ciks: [{listed}]",
                f"    webhook_url: {receiver.url}",
                f"    webhook_secret_env: {_SECRET_ENV}",
                "",
            ]
        )
    )
    return config


def _environment(folder: Path, edgar: FakeEdgar, es_url: str, prefix: str) -> dict[str, str]:
    return child_environment(folder, es_url, prefix) | {
        "CORRESP__EDGAR__USER_AGENT": USER_AGENT,
        "CORRESP__EDGAR__BASE_URLS__WWW": edgar.base_url,
        "CORRESP__EDGAR__BASE_URLS__DATA": edgar.base_url,
        "CORRESP__EDGAR__BASE_URLS__EFTS": edgar.base_url,
        _SECRET_ENV: SECRET,
    }


@contextmanager
def _schedule(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "indexer", "schedule"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def _alerts_in(post: dict[str, Any]) -> list[dict[str, Any]]:
    return list(json.loads(post["body"])["alerts"])


def _post_for(receiver: Receiver, accession: str, after: int) -> dict[str, Any] | None:
    with receiver.lock:
        posts = receiver.posts[after:]
    for post in posts:
        if any(alert.get("accession") == accession for alert in _alerts_in(post)):
            return post
    return None


def run_freshness_trials(
    *,
    es_url: str,
    samples_dir: Path,
    work: Path,
    trials: int,
    seed: int = 11,
    timeout: float = 240.0,
    prefix: str | None = None,
) -> FreshnessResult:
    """Run ``trials`` publications against one scheduler; figures and problems in the result.

    The caller removes the index ``prefix`` (default ``fresh-{pid}-``) afterwards."""
    started = time.monotonic()
    rng = random.Random(seed)
    result = FreshnessResult()
    letters = trial_letters(samples_dir, trials, seed)
    prefix = prefix or f"fresh-{os.getpid()}-"
    receiver, server = start_receiver()
    with FakeEdgar(samples_dir) as edgar:
        folder = work
        folder.mkdir(parents=True, exist_ok=True)
        _write_config(folder, receiver, [letter.cik for letter in letters])
        env = _environment(folder, edgar, es_url, prefix)
        # The API (in this process) on the same cluster, prefix and data folder. The
        # watchlist is defined by config.yaml; the schedule creates it when it starts.
        os.environ[_SECRET_ENV] = SECRET
        try:
            with _schedule(env, folder / "schedule.log"), _api(env) as api:
                _wait_for_watchlist(api, result)
                for letter in letters:
                    if result.problems:
                        break
                    time.sleep(rng.uniform(0.0, 60.0))
                    result.trials.append(_one_trial(edgar, api, receiver, letter, timeout))
                _check(result, api, receiver)
                feed = [r for r in edgar.requests if r.path == "/cgi-bin/browse-edgar"]
                result.feed_requests = len(feed)
                result.feed_not_modified = sum(1 for r in feed if r.status == 304)
        finally:
            os.environ.pop(_SECRET_ENV, None)
            server.shutdown()
            server.server_close()
    result.seconds = round(time.monotonic() - started, 1)
    return result


@contextmanager
def _api(env: dict[str, str]) -> Iterator[TestClient]:
    """The REST API on the schedule's configuration (config file and environment)."""
    with TestClient(create_app(load_settings(environ=env).settings)) as client:
        yield client


def _wait_for_watchlist(api: TestClient, result: FreshnessResult) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if api.get(f"/watchlists/{WATCHLIST}").status_code == 200:
            return
        time.sleep(0.5)
    result.problems.append(f"watchlist {WATCHLIST!r} never appeared")


def _one_trial(
    edgar: FakeEdgar, api: TestClient, receiver: Receiver, letter: SampleLetter, timeout: float
) -> Trial:
    trial = Trial(letter.accession, letter.form)
    with receiver.lock:
        before = len(receiver.posts)
    edgar.publish(letter)
    published = time.monotonic()
    while time.monotonic() - published < timeout:
        now = time.monotonic()
        if trial.searchable is None and api.get(f"/letters/{letter.accession}").status_code == 200:
            trial.searchable = round(now - published, 2)
        post = _post_for(receiver, letter.accession, before) if trial.webhook is None else None
        if post is not None:
            trial.webhook = round(float(post["at"]) - published, 2)
        if trial.searchable is not None and trial.webhook is not None:
            break
        time.sleep(_PROBE_SECONDS)
    return trial


def _check(result: FreshnessResult, api: TestClient, receiver: Receiver) -> None:
    """Exactly one signed POST per alert; the Atom feed and the watch page list the letters."""
    with receiver.lock:
        posts = list(receiver.posts)
    result.posts = len(posts)
    per_alert: Counter[str] = Counter()
    for post in posts:
        headers = post["headers"]
        if not verify_signature(SECRET, post["body"], headers.get("X-Corresp-Signature")):
            result.problems.append("a POST without a valid signature")
        payload = json.loads(post["body"])
        if payload.get("delivery_id") != headers.get("X-Corresp-Delivery"):
            result.problems.append("a POST whose body and header name different deliveries")
        per_alert.update(str(alert["alert_id"]) for alert in payload["alerts"])
    result.alerts = len(per_alert)
    repeated = sorted(alert for alert, times in per_alert.items() if times != 1)
    if repeated:
        result.problems.append(f"alerts posted more than once: {repeated[:5]}")
    arrived = [trial.accession for trial in result.trials if trial.webhook is not None]
    feed = api.get(f"/watchlists/{WATCHLIST}/feed.atom").text
    page = api.get(f"/watch/{WATCHLIST}").text
    for accession in arrived:
        if accession not in feed:
            result.problems.append(f"{accession} is not in the watchlist's Atom feed")
        if accession not in page:
            result.problems.append(f"{accession} is not on /watch/{WATCHLIST}")
    missed = [t.accession for t in result.trials if t.webhook is None or t.searchable is None]
    if missed:
        result.problems.append(f"trials that timed out: {missed}")
