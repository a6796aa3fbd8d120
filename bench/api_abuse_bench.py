"""API abuse on the scale corpus: generated requests from the OpenAPI document, then the
pathological ones, against `corresp serve`; no answer may be a server error.

1. Schemathesis reads ``/openapi.json`` from the running server and, for every operation,
   sends ``--examples`` schema-valid and as many schema-breaking requests (deterministic),
   checking status codes, content types and response schemas as ``test_schemathesis.py``
   does, with an API key so the watchlist writes get past the key check.
2. Pathological requests: dozens of phrases or prefix searches of common words (which cost
   Elasticsearch 20 s and more on 300,000 letters before ``api.search_timeout_seconds``),
   deep nesting, leading wildcards, regular-expression and fuzzy syntax, enormous strings and
   URLs, absurd sizes, forged and deep cursors, repeated parameters, oversize and malformed
   bodies. Each must be a 2xx within ``BOUND_SECONDS`` or a 4xx.

Each part is a case (area ``api``) with the requests sent, the status histogram, the number of
server errors (must be 0) and the slowest answer. Watchlists the run creates are deleted.

    .venv/bin/python -m bench.api_abuse_bench [--prefix scale-] [--examples 100] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from bench.api_server import running_api
from bench.cases import Case, print_cases
from indexer.search.cursor import encode_cursor

KEY = "abuse-bench-key-0123456789"
BOUND_SECONDS = 10.0
"""A pathological request must be answered within this (the API's own cluster timeout)."""
NOT_APPLICABLE = [positive_data_acceptance, negative_data_rejection]  # see test_schemathesis
COMMON = ["the", "of", "and", "to", "in", "is", "that", "for", "we", "you", "your", "please"]


@dataclass
class Tally:
    """Requests sent and how they were answered."""

    statuses: Counter[int] = field(default_factory=Counter)
    slowest: float = 0.0
    slowest_request: str = ""
    failures: list[str] = field(default_factory=list)
    stopped: int = 0

    def record(self, label: str, status: int, seconds: float) -> None:
        self.statuses[status] += 1
        if seconds > self.slowest:
            self.slowest, self.slowest_request = seconds, label

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def figures(self) -> str:
        histogram = " ".join(f"{status}:{n}" for status, n in sorted(self.statuses.items()))
        return (
            f"{sum(self.statuses.values())} requests, {self.server_errors} 5xx, "
            f"slowest {self.slowest * 1000:.0f} ms ({self.slowest_request[:40]}), "
            f"statuses {histogram}"
        )

    def data(self) -> dict[str, Any]:
        return {
            "requests": sum(self.statuses.values()),
            "statuses": dict(sorted(self.statuses.items())),
            "server_errors": self.server_errors,
            "slowest_ms": round(self.slowest * 1000),
            "slowest_request": self.slowest_request,
            "failures": self.failures[:20],
            "stopped_searches": self.stopped,
        }


def _generated(base: str, examples: int) -> Tally:
    """Every operation, ``examples`` valid and ``examples`` invalid requests each."""
    tally = Tally()
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    for result in schema.get_all_operations():
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            with contextlib.suppress(Unsatisfiable):  # nothing to break: no parameters, no body
                _send_examples(result.ok(), mode, base=base, examples=examples, tally=tally)
    return tally


def _send_examples(
    operation: Any, mode: GenerationMode, *, base: str, examples: int, tally: Tally
) -> None:
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def send(case: Any) -> None:
        started = time.perf_counter()
        response = case.call(base_url=base, headers={"X-API-Key": KEY}, timeout=60)
        tally.record(operation.label, response.status_code, time.perf_counter() - started)
        try:
            case.validate_response(response, excluded_checks=NOT_APPLICABLE)
        except FailureGroup as failure:
            tally.failures.append(f"{operation.label}: {str(failure).splitlines()[0]}")

    send()


def _phrases(count: int, *, prefix: bool) -> str:
    pairs = itertools.islice(itertools.permutations(COMMON, 2), count)
    return " OR ".join(f'"{a} {b}{"*" if prefix else ""}"' for a, b in pairs)


QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("/search", {"q": _phrases(50, prefix=False)}),
    ("/search", {"q": _phrases(50, prefix=True)}),
    ("/comments/search", {"q": _phrases(50, prefix=True)}),
    ("/stats", {"q": _phrases(50, prefix=False)}),
    ("/", {"q": _phrases(50, prefix=True)}),
    ("/search", {"q": " OR ".join(f"{c}*" for c in "abcdefghijklmnopqrstuvwxyz0123456789")}),
    ("/comments/search", {"q": " ".join(f"{c}{d}*" for c in "aeiost" for d in "aeinrst")}),
    ("/search", {"q": "(" * 2500 + "revenue"}),
    ("/search", {"q": "*ing **tion ?x"}),
    ("/search", {"q": "/.*a.*b.*c.*d.*e.*/ revenue~10 re*ve*nue~"}),
    ("/search", {"q": "x" * 7000}),
    ("/comments/search", {"q": "revenue " * 800}),
    ("/search", {"q": "\x00\x1b[31m\u202e revenue \U0001f4a9"}),
    ("/search", {"office": [f"Office {n}" for n in range(100)]}),
    ("/search", {"staff": [f"Name {n}" for n in range(100)], "q": "revenue"}),
    ("/search", {"cik": [str(n) for n in range(1, 102)]}),
    ("/search", {"size": "1000000000"}),
    ("/search", {"size": "-1"}),
    ("/threads", {"size": "1e9"}),
    ("/search", {"cursor": encode_cursor("letters:date", [-(2**63), "~"])}),
    ("/search", {"cursor": encode_cursor("letters:date", [2**63, "a"])}),
    ("/search", {"cursor": "%%%garbled%%%"}),
    ("/threads", {"cursor": encode_cursor("threads:date", [0, "~"])}),
    ("/search", {"q": "x" * 9000}),
    ("/export", {"q": _phrases(5, prefix=False), "kind": "comments"}),
]


def _timed(tally: Tally, label: str, send: Callable[[], httpx.Response]) -> httpx.Response:
    started = time.perf_counter()
    response = send()
    elapsed = time.perf_counter() - started
    tally.record(label, response.status_code, elapsed)
    if elapsed > BOUND_SECONDS:
        tally.failures.append(f"{label}: {elapsed:.1f} s")
    if response.status_code >= 500:
        tally.failures.append(f"{label}: {response.status_code} {response.text[:120]}")
    return response


def _deep_cursor(client: httpx.Client, tally: Tally, pages: int) -> None:
    """Walk ``pages`` pages of 100 with the cursor, as a scraper would."""
    cursor = None
    for page in range(pages):
        params = {"q": "comment", "size": "100"} | ({"cursor": cursor} if cursor else {})
        answer = _timed(
            tally, f"cursor page {page}", lambda p=params: client.get("/search", params=p)
        )
        cursor = answer.json().get("next_cursor") if answer.status_code == 200 else None
        if not cursor:
            break


def _bodies(client: httpx.Client, tally: Tally) -> None:
    big = b"[" + b"1," * 1_000_000 + b"1]"

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(big), 65_536):
            yield big[start : start + 65_536]

    write = {"X-API-Key": KEY, "content-type": "application/json"}
    sends: list[tuple[str, Callable[[], httpx.Response]]] = [
        ("2 MB body", lambda: client.post("/watchlists", content=big, headers=write)),
        ("2 MB chunked", lambda: client.post("/watchlists", content=chunks(), headers=write)),
        ("100k [", lambda: client.post("/watchlists", content=b"[" * 100_000, headers=write)),
        (
            "1001 ciks",
            lambda: client.post(
                "/watchlists", json={"name": "x", "ciks": ["1"] * 1001}, headers=write
            ),
        ),
        ("no key", lambda: client.post("/watchlists", json={"name": "x"})),
    ]
    for label, send in sends:
        _timed(tally, label, send)


def _enormous_url(base: str, tally: Tally) -> None:
    """1 MB of search string: refused by the server (h11) before the app."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=BOUND_SECONDS)
    started = time.perf_counter()
    connection.request("GET", "/search?q=" + "x" * 1_000_000)
    status = connection.getresponse().status
    connection.close()
    tally.record("1 MB URL", status, time.perf_counter() - started)


def _pathological(base: str) -> Tally:
    tally = Tally()
    with httpx.Client(base_url=base, timeout=60) as client:
        for path, params in QUERIES:
            label = f"{path} {str(params)[:30]}"
            answer = _timed(tally, label, lambda p=path, q=params: client.get(p, params=q))
            tally.stopped += "search was stopped" in answer.text
        _deep_cursor(client, tally, pages=150)
        _bodies(client, tally)
    _enormous_url(base, tally)
    return tally


def _delete_new_watchlists(base: str, before: set[str]) -> int:
    with httpx.Client(base_url=base, timeout=60) as client:
        listed = client.get("/watchlists").json()["watchlists"]
        new = [w["id"] for w in listed if w["id"] not in before and not w["read_only"]]
        for watchlist_id in new:
            client.delete(f"/watchlists/{watchlist_id}", headers={"X-API-Key": KEY})
    return len(new)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", default="scale-", help="index prefix (default scale-)")
    parser.add_argument("--examples", type=int, default=100, help="per operation and mode")
    parser.add_argument("--json", action="store_true", help="print the cases as JSON")
    args = parser.parse_args()
    os.environ["CORRESP__API__KEYS"] = KEY  # for the server started below
    cases: list[Case] = []
    try:
        with running_api(args.prefix) as base:
            total = httpx.get(f"{base}/search", params={"size": "1"}, timeout=60).json()["total"]
            existing = {w["id"] for w in httpx.get(f"{base}/watchlists").json()["watchlists"]}
            try:
                generated = _generated(base, args.examples)
                abuse = _pathological(base)
            finally:
                removed = _delete_new_watchlists(base, existing)
    except RuntimeError as exc:  # the server did not come up (no indices under the prefix?)
        cases.append(Case("api", f"serve {args.prefix!r}", False, str(exc)))
        return print_cases(cases, as_json=args.json)
    cases.append(
        Case(
            "api",
            f"schemathesis, {args.examples}+{args.examples} per operation",
            generated.server_errors == 0 and not generated.failures,
            f"{generated.figures()}, {len(generated.failures)} nonconforming; "
            f"{total:,} letters, {removed} watchlists made and deleted",
            generated.data(),
        )
    )
    cases.append(
        Case(
            "api",
            "pathological requests",
            abuse.server_errors == 0 and not abuse.failures,
            f"{abuse.figures()}, {abuse.stopped} stopped at the time limit",
            abuse.data(),
        )
    )
    return print_cases(cases, as_json=args.json)


if __name__ == "__main__":
    raise SystemExit(main())
