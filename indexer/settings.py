"""The configuration model: every key of ``config.yaml``, its type, default and policy.

One frozen pydantic model per section, ``extra="forbid"`` everywhere so a misspelled key is an
error that names it. The committed ``config.yaml`` documents every key; a test keeps the two in
step. Loading (YAML file, environment overrides, error messages) is in ``indexer/config_file.py``.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from indexer.errors import redact_credentials
from indexer.models import LETTER_FORMS, normalize_cik
from indexer.watchlists.models import AlertsConfig, WatchlistConfig, WebhooksConfig

__all__ = [
    "ApiConfig",
    "EdgarBaseUrls",
    "EdgarConfig",
    "ElasticsearchConfig",
    "ManagedNodeConfig",
    "Settings",
    "StorageConfig",
    "WebhooksConfig",
    "user_agent_problem",
]

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(r"^https?://[^\s/]+(?::\d+)?(?:/[^\s]*)?$")
_HEAP = re.compile(r"^\d+[mg]$")
_VERSION_SPEC = re.compile(r"^\d+\.\d+(?:\.\d+)?$")
_MIN_API_KEY_CHARS = 16


def user_agent_problem(value: str) -> str | None:
    """Why ``value`` is not an acceptable SEC User-Agent, or ``None`` if it is.

    SEC's fair-access rules ask every automated client to declare who it is: a name (company
    or person) and a contact e-mail address, e.g. ``"Example Research jane@example.org"``.
    """
    text = value.strip()
    if not text:
        return (
            "not set; SEC requires a User-Agent naming you and a contact e-mail address, "
            'e.g. "Example Research jane@example.org"'
        )
    email = _EMAIL.search(text)
    if email is None:
        return f"{value!r} has no contact e-mail address, which SEC requires"
    name = (text[: email.start()] + text[email.end() :]).strip(" <>()[],;")
    if not re.search(r"[A-Za-z]{2,}", name):
        return f"{value!r} has an e-mail address but no name of a person or organization"
    return None


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_url(value: str) -> str:
    value = value.strip().rstrip("/")
    if not _URL.match(value):
        raise ValueError(f"{value!r} is not an absolute http(s) URL")
    return value


class EdgarBaseUrls(_Section):
    """Where the three EDGAR hosts are reached; point them at a mirror or a test server."""

    www: str = Field("https://www.sec.gov", description="Archives, indexes, filing folders.")
    data: str = Field("https://data.sec.gov", description="Submissions JSON (data.sec.gov).")
    efts: str = Field("https://efts.sec.gov", description="Full-text search (efts.sec.gov).")

    _urls = field_validator("www", "data", "efts")(_check_url)


class EdgarConfig(_Section):
    """How this project talks to EDGAR, within SEC's fair-access rules."""

    user_agent: str = Field(
        "",
        description="Declared User-Agent: your name or organization and a contact e-mail. "
        "Required before any request to EDGAR.",
    )
    max_requests_per_second: Annotated[float, Field(gt=0, le=10)] = Field(
        9,
        description="Ceiling on requests per second to all EDGAR hosts together (SEC allows 10).",
    )
    block_cooldown_seconds: Annotated[float, Field(gt=0)] = Field(
        660,
        description="Silence after SEC's rate-limit block page or a 429 (SEC blocks ~10 min; "
        "below 600 risks prolonging the block).",
    )
    timeout_seconds: Annotated[float, Field(gt=0, le=600)] = Field(
        30, description="Timeout for connecting and for each read of one response."
    )
    max_attempts: Annotated[int, Field(ge=1, le=10)] = Field(
        4, description="Attempts per URL for timeouts and 5xx answers before giving up."
    )
    max_response_bytes: Annotated[int, Field(ge=1_000_000)] = Field(
        200_000_000, description="Largest response body accepted; larger bodies are refused."
    )
    max_concurrent_requests: Annotated[int, Field(ge=1, le=64)] = Field(
        12,
        description="Requests in flight at once, so slow answers do not leave the request "
        "budget unused; the rate ceiling, not this number, sets the pace.",
    )
    base_urls: EdgarBaseUrls = Field(
        default_factory=EdgarBaseUrls, description="Base URLs of the EDGAR hosts."
    )

    @field_validator("user_agent")
    @classmethod
    def _user_agent(cls, value: str) -> str:
        # Empty is allowed here (commands that never contact EDGAR need none); the crawler
        # refuses to start without one. A non-empty value must be valid.
        if value.strip() and (problem := user_agent_problem(value)):
            raise ValueError(problem)
        return value.strip()


_CRON = re.compile(r"^\S+(\s+\S+){4}$")


class ScheduleConfig(_Section):
    """Cron expressions (minute hour day month weekday) for `corresp schedule`; "" = off."""

    timezone: str = Field("America/New_York", description="Time zone of the expressions.")
    daily_index: str = Field(
        "30 1,6,12 * * *",
        description="Read the daily indexes (built nightly from about 22:00 Eastern).",
    )
    current_feed: str = Field(
        "* 6-21 * * 1-5",
        description=(
            "Poll the current-filings feed during EDGAR's filing hours (every minute: a "
            "conditional request per form, so a new letter is searchable and alerted on "
            "within about a minute and a half)."
        ),
    )
    submissions: str = Field(
        "0 7 * * *", description="Refresh crawler.ciks from their submissions JSON."
    )
    backfill: str = Field(
        "",
        description="Continue the quarterly-index backfill from crawler.start_date.",
    )

    @field_validator("daily_index", "current_feed", "submissions", "backfill")
    @classmethod
    def _cron(cls, value: str) -> str:
        value = " ".join(value.split())
        if value and not _CRON.match(value):
            raise ValueError(f"{value!r} is not a 5-field cron expression")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class OcrConfig(_Section):
    """How scanned letters (PDFs without a usable text layer) are read."""

    enabled: bool = Field(
        True,
        description="Read scans with Tesseract (installed by scripts/bootstrap.sh); false: a "
        "scan is indexed without text, with a warning.",
    )
    dpi: Annotated[int, Field(ge=100, le=600)] = Field(
        200, description="Resolution each page is rendered at for OCR."
    )
    max_pages: Annotated[int, Field(ge=1, le=2000)] = Field(
        50, description="Pages read per letter; a longer scan gets a warning."
    )
    page_timeout_seconds: Annotated[float, Field(gt=0, le=3600)] = Field(
        60, description="A page Tesseract cannot read in this time is skipped."
    )
    total_timeout_seconds: Annotated[float, Field(gt=0, le=86400)] = Field(
        600,
        description="The OCR worker process of one letter is stopped after this time; the "
        "pages read so far are kept.",
    )
    max_megapixels: Annotated[float, Field(gt=0, le=1000)] = Field(
        80, description="A page larger than this once rendered is skipped (image bombs)."
    )
    low_confidence: Annotated[float, Field(ge=0, le=100)] = Field(
        80,
        description="Below this mean word confidence (0-100) a letter read by OCR carries a "
        "warning, shown in the API and the web pages.",
    )


class CrawlerConfig(_Section):
    """What the crawler collects and from when."""

    forms: list[str] = Field(
        list(LETTER_FORMS),
        min_length=1,
        description="EDGAR form types to collect.",
    )
    start_date: date = Field(
        date(2004, 8, 1),
        description="First day of backfill (letters are public for filings after 2004-08-01).",
    )
    daily_index_lookback_days: Annotated[int, Field(ge=0, le=60)] = Field(
        5,
        description="Days before the daily-index cursor read again on every crawl (SEC "
        "rebuilds indexes overnight).",
    )
    first_crawl_days: Annotated[int, Field(ge=1, le=3650)] = Field(
        30, description="Days of daily indexes the first incremental crawl reads."
    )
    max_attempts_per_filing: Annotated[int, Field(ge=1, le=100)] = Field(
        6, description="Failed downloads of one filing before it is parked as failed."
    )
    retry_delay_seconds: Annotated[float, Field(ge=0)] = Field(
        300,
        description="Wait before retrying a failed filing; doubles after each failure.",
    )
    index_retry_seconds: Annotated[float, Field(gt=0, le=3600)] = Field(
        30,
        description="In `corresp schedule`: wait before indexing again when Elasticsearch "
        "failed; doubles after each further failure, up to 10 minutes.",
    )
    ciks: list[str] = Field(
        [],
        description="Companies (CIKs) whose whole correspondence is refreshed from their "
        "submissions JSON by the scheduler.",
    )
    resolve_reviewed_filings: bool = Field(
        True,
        description="Before indexing, keep each letter's company filing list (its submissions "
        "JSON, at most one request per company per day) in storage.data_dir/companies, so "
        "the filings under review resolve to their EDGAR accessions.",
    )
    ocr: OcrConfig = Field(
        default_factory=OcrConfig, description="How scanned letters are read (OCR)."
    )
    schedule: ScheduleConfig = Field(
        default_factory=ScheduleConfig, description="When `corresp schedule` runs jobs."
    )

    @field_validator("ciks")
    @classmethod
    def _ciks(cls, value: list[str]) -> list[str]:
        return [normalize_cik(cik) for cik in value]

    @field_validator("forms")
    @classmethod
    def _forms(cls, value: list[str]) -> list[str]:
        forms = [form.strip().upper() for form in value]
        if any(not form for form in forms):
            raise ValueError("form types must not be empty")
        return list(dict.fromkeys(forms))


class NormalizerConfig(_Section):
    """How letters are read."""

    taxonomy_path: str = Field(
        "",
        description="Topic taxonomy (YAML, the format of indexer/normalize/topics.yaml) to use "
        "instead of the built-in one; relative to the config file's folder. Empty = built-in.",
    )
    outcomes_path: str = Field(
        "",
        description="Answer-outcome rules (YAML, the format of indexer/normalize/outcomes.yaml) "
        "to use instead of the built-in ones; relative to the config file's folder. "
        "Empty = built-in.",
    )
    workers: Annotated[int, Field(ge=0, le=64)] = Field(
        0,
        description="Processes that read and normalize letters during `corresp index`, "
        "`reindex`, `backfill` and crawls (large batches only); 0 = one per core.",
    )


class StorageConfig(_Section):
    """Where the project keeps its state on disk."""

    data_dir: Path = Field(
        Path("data"),
        description="Raw store, state database and managed Elasticsearch live here. "
        "Relative paths are relative to the config file's folder.",
    )


class ManagedNodeConfig(_Section):
    """The local single-node Elasticsearch that ``corresp es up`` runs when no URL is set."""

    version: str = Field(
        "8.19",
        description='Elasticsearch version: "8.19" = newest 8.19.x patch available, or exact.',
    )
    http_port: Annotated[int, Field(ge=1024, le=65535)] = Field(
        9250, description="HTTP port on 127.0.0.1."
    )
    transport_port: Annotated[int, Field(ge=1024, le=65535)] = Field(
        9350, description="Transport port on 127.0.0.1."
    )
    heap: str = Field("1g", description='JVM heap, e.g. "512m" or "2g".')
    java_home: str = Field(
        "", description="JDK >= 17 to run it; empty = $ES_JAVA_HOME, $JAVA_HOME or `java`."
    )
    service_user: str = Field(
        "corresp-es",
        description="Elasticsearch refuses to run as root: when run as root, this system "
        "user (created if missing) runs the node.",
    )
    startup_timeout_seconds: Annotated[float, Field(gt=0)] = Field(
        180, description="How long to wait for the node to report yellow health."
    )
    distribution_cache_dir: str = Field(
        "",
        description="Where distributions are cached, one per version, shared by every data "
        "folder; empty = /var/cache/corresp/elasticsearch for root, else "
        "$XDG_CACHE_HOME/corresp/elasticsearch (~/.cache/corresp/elasticsearch).",
    )
    download_url: str = Field(
        "https://artifacts.elastic.co/downloads/elasticsearch",
        description="Elastic's download site for the official Linux tarball (tried first).",
    )
    maven_repository_url: str = Field(
        "https://repo1.maven.org/maven2",
        description="Maven repository that lists the integ-test-zip versions (used when "
        "Elastic's site is unreachable; the zip itself is fetched by `mvn`).",
    )

    @field_validator("version")
    @classmethod
    def _version(cls, value: str) -> str:
        if not _VERSION_SPEC.match(value.strip()):
            raise ValueError(f'{value!r} is not a version like "8.19" or "8.19.21"')
        major = int(value.split(".", maxsplit=1)[0])
        if major not in (8, 9):
            raise ValueError("only Elasticsearch 8.x and 9.x are supported")
        return value.strip()

    @field_validator("heap")
    @classmethod
    def _heap(cls, value: str) -> str:
        if not _HEAP.match(value.strip().lower()):
            raise ValueError(f'{value!r} is not a heap size like "512m" or "2g"')
        return value.strip().lower()

    _urls = field_validator("download_url", "maven_repository_url")(_check_url)


class IndexShape(_Section):
    """Primary shards and replicas of one kind of index."""

    shards: Annotated[int, Field(ge=1, le=1024)] = Field(
        1,
        description="Primary shards (fixed when an index is created: `corresp reindex` moves "
        "to a new count). Aim for 10-50 GB per shard.",
    )
    replicas: Annotated[int, Field(ge=0, le=15)] = Field(
        0,
        description="Copies of each shard on other nodes (applied to existing indices at "
        "once). 0 on the managed single node; at least 1 on a cluster.",
    )


class IndexLayout(_Section):
    """Shards and replicas per kind of index."""

    letters: IndexShape = Field(default_factory=IndexShape, description="Letters.")
    comments: IndexShape = Field(default_factory=IndexShape, description="Staff comments.")
    threads: IndexShape = Field(default_factory=IndexShape, description="Review threads.")
    watchlists: IndexShape = Field(default_factory=IndexShape, description="Watchlists.")
    alerts: IndexShape = Field(default_factory=IndexShape, description="Watchlist alerts.")

    def shape(self, kind: str) -> IndexShape:
        """The shape of ``kind`` (``letters``, ``comments``, ``threads``, ``watchlists``,
        ``alerts``)."""
        shape = getattr(self, kind)
        assert isinstance(shape, IndexShape)
        return shape

    def items(self) -> list[tuple[str, IndexShape]]:
        return [(kind, self.shape(kind)) for kind in IndexLayout.model_fields]

    def shapes(self, *kinds: str) -> dict[str, tuple[int, int]]:
        """``(shards, replicas)`` of ``kinds``."""
        return {kind: (self.shape(kind).shards, self.shape(kind).replicas) for kind in kinds}


class ElasticsearchConfig(_Section):
    """The Elasticsearch cluster that stores and serves letters, comments and threads."""

    url: str = Field(
        "",
        description="Cluster URL (any 8.x or 9.x), or several of its nodes separated by "
        "commas (a request that cannot reach one goes to the next). Empty = the managed "
        "local node.",
    )
    index_prefix: str = Field(
        "corresp-", description="Prefix of every index, alias and template this project owns."
    )
    api_key: SecretStr = Field(
        SecretStr(""), description="API key (base64 'id:key' form); prefer the environment."
    )
    username: str = Field("", description="Basic-auth user name (with password).")
    password: SecretStr = Field(SecretStr(""), description="Basic-auth password.")
    ca_certs: str = Field("", description="CA certificate (PEM file) to verify the cluster's TLS.")
    request_timeout_seconds: Annotated[float, Field(gt=0, le=600)] = Field(
        30, description="Timeout of one request to the cluster."
    )
    managed: ManagedNodeConfig = Field(
        default_factory=ManagedNodeConfig, description="The managed local node."
    )
    indices: IndexLayout = Field(
        default_factory=IndexLayout,
        description="Shards and replicas per kind of index, applied by the index templates.",
    )

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        """One URL, or several nodes of one cluster separated by commas."""
        urls = [part for part in (piece.strip() for piece in value.split(",")) if part]
        return ",".join(_check_url(url) for url in urls)

    def hosts(self) -> list[str]:
        """The node URLs to send requests to (the managed node's when none is configured)."""
        return self.effective_url().split(",")

    @field_validator("index_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", value):
            raise ValueError(
                f"{value!r} must be lower case letters, digits, '-', '_' or '.', "
                "starting with a letter or digit (Elasticsearch index naming rules)"
            )
        return value

    @model_validator(mode="after")
    def _one_credential(self) -> ElasticsearchConfig:
        # The client accepts one kind of credentials; naming both was a traceback at start.
        if self.api_key.get_secret_value() and self.username:
            raise ValueError("set either api_key or username and password, not both")
        return self

    @model_validator(mode="after")
    def _replicas_need_nodes(self) -> ElasticsearchConfig:
        if self.url:
            return self
        for kind, shape in self.indices.items():
            if shape.replicas:
                raise ValueError(
                    f"indices.{kind}.replicas: the managed node is a single node, which "
                    f"cannot hold {shape.replicas} replica(s) (each copy needs another node); "
                    "use 0, or set elasticsearch.url to a cluster"
                )
        return self

    def effective_url(self) -> str:
        """The configured URL, or the managed local node's when none is configured."""
        return self.url or f"http://127.0.0.1:{self.managed.http_port}"

    def shown_url(self) -> str:
        """``effective_url()`` fit to print or log: credentials in it are masked."""
        return redact_credentials(self.effective_url())


class ApiConfig(_Section):
    """The REST API and web interface served by ``corresp serve``."""

    # The keys are secrets: a validation error never repeats the input.
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    host: str = Field("127.0.0.1", description="Interface to listen on.")
    port: Annotated[int, Field(ge=1, le=65535)] = Field(8000, description="Port to listen on.")
    page_size_default: Annotated[int, Field(ge=1, le=1000)] = Field(
        20, description="Results per page when a request names no size."
    )
    page_size_max: Annotated[int, Field(ge=1, le=1000)] = Field(
        100, description="Largest page a request may ask for; larger sizes are a 400."
    )
    request_timeout_seconds: Annotated[float, Field(gt=0, le=600)] = Field(
        10,
        description="Timeout of one Elasticsearch request made by the API (a slower answer "
        "is a 503).",
    )
    search_timeout_seconds: Annotated[float, Field(gt=0, le=600)] = Field(
        5,
        description="Longest time Elasticsearch spends on one search or statistics request "
        "(an expensive search string); a search stopped there answers with what it found and "
        "a warning that it is incomplete. Below request_timeout_seconds.",
    )
    max_url_bytes: Annotated[int, Field(ge=1024, le=1_000_000)] = Field(
        8192, description="Longest request path plus query string; a longer one is a 414."
    )
    max_request_body_bytes: Annotated[int, Field(ge=1024, le=100_000_000)] = Field(
        1_048_576, description="Largest request body (watchlist JSON, forms); larger is a 413."
    )
    keys: list[SecretStr] = Field(
        [],
        description="API keys (secrets of at least 16 characters) that may create, change "
        "and delete watchlists; sent as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'. "
        "Prefer CORRESP__API__KEYS (comma-separated). Empty = no changes through the API.",
    )
    require_key_for_reads: bool = Field(
        False,
        description="Require a key for every route, JSON and HTML, except /health.",
    )
    secret_key: SecretStr | None = Field(
        None,
        description="Fernet key(s) encrypting webhook secrets at rest, comma-separated, the "
        "first encrypting (rotation). Prefer CORRESP__API__SECRET_KEY. Unset = "
        "storage.data_dir/secret.key, created on first use with mode 0600.",
    )

    @field_validator("keys")
    @classmethod
    def _keys(cls, value: list[SecretStr]) -> list[SecretStr]:
        keys = [SecretStr(key.get_secret_value().strip()) for key in value]
        for position, key in enumerate(keys):
            if len(key.get_secret_value()) < _MIN_API_KEY_CHARS:
                # The key itself is never echoed: only its position.
                raise ValueError(
                    f"key {position + 1} is shorter than {_MIN_API_KEY_CHARS} characters"
                )
        return keys

    @model_validator(mode="after")
    def _page_sizes(self) -> ApiConfig:
        if self.page_size_default > self.page_size_max:
            raise ValueError(
                f"page_size_default ({self.page_size_default}) exceeds page_size_max "
                f"({self.page_size_max})"
            )
        if self.search_timeout_seconds >= self.request_timeout_seconds:
            raise ValueError(
                f"search_timeout_seconds ({self.search_timeout_seconds:g}) must be below "
                f"request_timeout_seconds ({self.request_timeout_seconds:g})"
            )
        if self.require_key_for_reads and not self.keys:
            raise ValueError("require_key_for_reads needs at least one entry in keys")
        return self


class Settings(_Section):
    """The whole configuration file."""

    # API keys and webhook secrets are secrets: a validation error never repeats the input.
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    edgar: EdgarConfig = Field(default_factory=EdgarConfig, description="EDGAR access.")
    crawler: CrawlerConfig = Field(default_factory=CrawlerConfig, description="What to crawl.")
    normalizer: NormalizerConfig = Field(
        default_factory=NormalizerConfig, description="Letter normalization."
    )
    storage: StorageConfig = Field(default_factory=StorageConfig, description="Local state.")
    elasticsearch: ElasticsearchConfig = Field(
        default_factory=ElasticsearchConfig, description="Search engine."
    )
    api: ApiConfig = Field(default_factory=ApiConfig, description="REST API.")
    watchlists: list[WatchlistConfig] = Field(
        [],
        description="Watchlists defined here (read-only through the API), synced into "
        "Elasticsearch when the API starts and before each ingest.",
    )
    webhooks: WebhooksConfig = Field(
        default_factory=WebhooksConfig, description="Webhook delivery of watchlist alerts."
    )
    alerts: AlertsConfig = Field(
        default_factory=AlertsConfig, description="E-mail delivery of watchlist alerts."
    )

    @field_validator("watchlists")
    @classmethod
    def _unique_watchlists(cls, value: list[WatchlistConfig]) -> list[WatchlistConfig]:
        ids = [watchlist.id for watchlist in value]
        if duplicates := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"watchlist ids must be unique: {', '.join(duplicates)}")
        return value

    @model_validator(mode="after")
    def _email_needs_smtp(self) -> Settings:
        if not self.alerts.smtp.enabled:
            mailed = [w.id for w in self.watchlists if w.email]
            if mailed:
                raise ValueError(
                    f"watchlist(s) {', '.join(mailed)} have e-mail addresses but "
                    "alerts.smtp.host is not set"
                )
        return self
