"""Run the fake EDGAR by hand: `python -m tests.fake_edgar --port 8765 [options]`.

Serves until Ctrl-C (or SIGTERM), then prints how many requests arrived and the peak rate.
Example: `--delay-ms 200-500 --synthetic 5000 --fault '\\.txt$=status(503)'`.
`--list-samples` lists the real sample letters in the daily and quarterly form indexes, so a
crawler pointed here collects exactly them (combinable with `--synthetic`); with
`--full-submissions` each one is served as EDGAR serves it, one `ACCESSION.txt` per filing.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import signal
import threading
from datetime import date

from .config import FakeEdgarConfig
from .faults import parse as parse_fault
from .server import FakeEdgar


def _delay_range(text: str) -> tuple[int, int]:
    low, _, high = text.partition("-")
    return int(low), int(high or low)


def _fault_rule(text: str) -> tuple[re.Pattern[str], str]:
    pattern, sep, spec = text.rpartition("=")
    if not sep:
        raise argparse.ArgumentTypeError("expected REGEX=FAULT, e.g. '\\.txt$=status(503)'")
    parse_fault(spec)  # reject unknown faults before starting
    return re.compile(pattern), spec


def _parser() -> argparse.ArgumentParser:
    defaults = FakeEdgarConfig()
    parser = argparse.ArgumentParser(prog="python -m tests.fake_edgar", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--samples", help="samples folder (default: $EDGAR_SAMPLES or shared)")
    parser.add_argument("--limit-per-second", type=int, default=defaults.limit_per_second)
    parser.add_argument("--block-seconds", type=float, default=defaults.block_seconds)
    parser.add_argument("--block-status", type=int, choices=(403, 429), default=403)
    parser.add_argument(
        "--delay-ms",
        type=_delay_range,
        default=defaults.delay_ms,
        metavar="LOW-HIGH",
        help="per-response delay range, e.g. 200-500",
    )
    parser.add_argument(
        "--list-samples",
        action="store_true",
        help="list the real sample letters (UPLOAD/CORRESP of documents/) in form.idx files",
    )
    parser.add_argument(
        "--full-submissions",
        action="store_true",
        help="with --list-samples: serve each letter's full submission ACCESSION.txt, "
        "assembled from the samples (one request per filing, as on EDGAR)",
    )
    parser.add_argument(
        "--synthetic",
        type=int,
        default=0,
        metavar="N",
        help="generate N synthetic CORRESP/UPLOAD filings",
    )
    parser.add_argument(
        "--synthetic-start", type=date.fromisoformat, default=defaults.synthetic_start
    )
    parser.add_argument("--synthetic-end", type=date.fromisoformat, default=defaults.synthetic_end)
    parser.add_argument(
        "--no-user-agent-check",
        action="store_true",
        help="accept requests without a declared e-mail in User-Agent",
    )
    parser.add_argument(
        "--fault",
        type=_fault_rule,
        action="append",
        default=[],
        metavar="REGEX=FAULT",
        help="inject a fault forever on matching paths",
    )
    return parser


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    config = FakeEdgarConfig(
        limit_per_second=args.limit_per_second,
        block_seconds=args.block_seconds,
        block_status=args.block_status,
        delay_ms=args.delay_ms,
        require_user_agent=not args.no_user_agent_check,
        list_samples=args.list_samples,
        full_submissions=args.full_submissions,
        synthetic=args.synthetic,
        synthetic_start=args.synthetic_start,
        synthetic_end=args.synthetic_end,
    )
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    with FakeEdgar(args.samples, config, host=args.host, port=args.port) as edgar:
        for pattern, spec in args.fault:
            edgar.inject(pattern, spec, times=None)
        if letters := edgar.sample_letters:
            first, last = letters[0].filed, letters[-1].filed
            print(f"{len(letters)} sample letters listed, {first}..{last}")
        if edgar.synthetic_accessions:
            days = edgar.synthetic.days
            print(f"{len(edgar.synthetic_accessions)} synthetic filings, {days[0]}..{days[-1]}")
        print(f"fake EDGAR on {edgar.base_url} (samples: {edgar.store.root})", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            done.wait()
    print(
        f"{len(edgar.requests)} requests, peak {edgar.max_requests_in_any_window()}/s, "
        f"{edgar.violations} rate-limit violation(s)"
    )


if __name__ == "__main__":
    main()
