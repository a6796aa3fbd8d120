"""Fake EDGAR on loopback (style.md §6.2): real samples in SEC's URL layout, SEC's rules, faults.

Modules, each owning one concern:

- `config`     FakeEdgarConfig (limits, block, latency, sample listing, synthetic volume)
- `urls`       EDGAR URL grammar: patterns, typed parses, path builders
- `samples`    locating and reading the samples folder and MANIFEST.tsv
- `routes`     URL → sample file
- `synthetic`  generated CORRESP/UPLOAD filings and their daily/quarterly form.idx
- `letters`    the real sample letters listed in generated daily/quarterly form.idx
- `messages`   Request/Reply values and file replies with ETag/Last-Modified
- `overlays`   per-path content set by a test: files, removals, successive versions
- `negotiate`  conditional GET (304) and gzip
- `errors`     S3 XML errors and SEC's HTML refusal pages
- `limits`     sliding-window rate limit, blocks and their windows, with an injectable clock
- `requestlog` the thread-safe log of requests
- `faults`     injected faults and the Wire protocol they write to
- `app`        EdgarApp: request → decided reply, no sockets
- `server`     FakeEdgar: EdgarApp served by a threaded HTTP/1.1 server
- `mock`       EdgarApp as an `httpx.MockTransport` handler (no sockets)
- `__main__`   `python -m tests.fake_edgar --port 8765 …`
"""

from .app import EdgarApp
from .config import FakeEdgarConfig
from .faults import Fault
from .letters import SampleLetter
from .limits import Admission
from .requestlog import RequestRecord
from .samples import SamplesNotFoundError, locate_samples
from .server import FakeEdgar
from .synthetic import SyntheticFiling

__all__ = [
    "Admission",
    "EdgarApp",
    "FakeEdgar",
    "FakeEdgarConfig",
    "Fault",
    "RequestRecord",
    "SampleLetter",
    "SamplesNotFoundError",
    "SyntheticFiling",
    "locate_samples",
]
