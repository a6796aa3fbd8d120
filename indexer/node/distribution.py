"""Obtaining an Elasticsearch distribution for the managed local node, once, into a cache.

Two sources, tried in order:

1. Elastic's official Linux tarball (``elasticsearch-<V>-linux-<arch>.tar.gz``, checked
   against its published SHA-512), where Elastic's download site is reachable. It bundles a
   JDK and every module.
2. The ``integ-test-zip`` artifact on Maven Central
   (``org.elasticsearch.distribution.integ-test-zip:elasticsearch:<V>:zip``), fetched with
   ``mvn`` so the user's Maven settings and mirrors apply. It has no JDK and only the core
   modules; the rest of the project detects what the node offers.

A version spec of ``major.minor`` means the newest patch of that line: a cached one when
there is one (a distribution is obtained once), else the newest the Maven repository lists.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
import shutil
import subprocess
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from indexer.errors import NodeError
from indexer.settings import ManagedNodeConfig

__all__ = ["Distribution", "ensure_distribution", "newest_matching", "version_key"]

Report = Callable[[str], None]

MAVEN_GROUP_PATH = "org/elasticsearch/distribution/integ-test-zip/elasticsearch"
MAVEN_ARTIFACT = "org.elasticsearch.distribution.integ-test-zip:elasticsearch:{version}:zip"
# Maven's default dependency plugin (2.8) cannot copy an artifact without a POM; name a 3.x.
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
MARKER = ".corresp-distribution.json"
_NETWORK_TIMEOUT_SECONDS = 20
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Distribution:
    """An extracted distribution ready to run."""

    version: str
    home: Path
    kind: str
    """``tarball`` (full distribution with bundled JDK) or ``integ-test-zip`` (minimal)."""

    @property
    def bundled_jdk(self) -> Path | None:
        jdk = self.home / "jdk"
        return jdk if (jdk / "bin" / "java").exists() else None


def version_key(version: str) -> tuple[int, ...]:
    """Sort key of a dotted numeric version; non-release versions sort first."""
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def newest_matching(spec: str, versions: list[str]) -> str | None:
    """The newest release version in ``versions`` matching ``spec`` (``8.19`` or ``8.19.21``)."""
    releases = [v for v in versions if re.fullmatch(r"\d+\.\d+\.\d+", v)]
    matching = [v for v in releases if v == spec or v.startswith(spec + ".")]
    return max(matching, key=version_key, default=None)


def ensure_distribution(cfg: ManagedNodeConfig, cache_dir: Path, report: Report) -> Distribution:
    """Return a cached distribution matching ``cfg.version``, obtaining it if necessary."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    cached = _cached(cache_dir)
    version = newest_matching(cfg.version, list(cached))
    if version is not None:
        return cached[version]
    version = _resolve_version(cfg, report)
    report(f"Obtaining Elasticsearch {version} (once; cached in {cache_dir})")
    try:
        return _obtain_tarball(cfg, version, cache_dir, report)
    except _Unreachable as exc:
        report(f"Elastic's download site is not reachable ({exc}); using Maven Central")
    return _obtain_maven(version, cache_dir, report)


class _Unreachable(Exception):  # noqa: N818 - internal signal, never escapes this module
    """A download site could not be reached at all (as opposed to a bad download)."""


def _cached(cache_dir: Path) -> dict[str, Distribution]:
    found = {}
    for marker in cache_dir.glob(f"*/{MARKER}"):
        try:
            meta = json.loads(marker.read_text())
            found[meta["version"]] = Distribution(meta["version"], marker.parent, meta["kind"])
        except (OSError, ValueError, KeyError):
            continue  # a damaged cache entry is simply obtained again
    return found


def _resolve_version(cfg: ManagedNodeConfig, report: Report) -> str:
    if re.fullmatch(r"\d+\.\d+\.\d+", cfg.version):
        return cfg.version
    url = f"{cfg.maven_repository_url}/{MAVEN_GROUP_PATH}/maven-metadata.xml"
    report(f"Looking up the newest Elasticsearch {cfg.version}.x at {url}")
    try:
        with urllib.request.urlopen(url, timeout=_NETWORK_TIMEOUT_SECONDS) as response:  # noqa: S310 - configured https URL
            # Expat expands no external entities and limits entity growth (Python >= 3.11).
            root = ElementTree.fromstring(response.read())  # noqa: S314
    except (urllib.error.URLError, OSError, ElementTree.ParseError) as exc:
        raise NodeError(
            f"cannot list Elasticsearch versions at {url} ({exc}); set "
            "elasticsearch.managed.version to an exact version such as 8.19.21"
        ) from exc
    versions = [node.text or "" for node in root.iter("version")]
    version = newest_matching(cfg.version, versions)
    if version is None:
        raise NodeError(f"no Elasticsearch {cfg.version}.x release is listed at {url}")
    return version


def _arch() -> str:
    machine = platform.machine().lower()
    return "aarch64" if machine in ("arm64", "aarch64") else "x86_64"


def _obtain_tarball(
    cfg: ManagedNodeConfig, version: str, cache_dir: Path, report: Report
) -> Distribution:
    name = f"elasticsearch-{version}-linux-{_arch()}.tar.gz"
    url = f"{cfg.download_url}/{name}"
    with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
        archive = Path(tmp) / name
        expected = _fetch_text(url + ".sha512").split()[0].strip().lower()
        digest = _download(url, archive, report)
        if digest != expected:
            raise NodeError(f"{url}: SHA-512 mismatch (expected {expected[:16]}…)")
        extract_dir = Path(tmp) / "extract"
        with tarfile.open(archive) as tar:
            tar.extractall(extract_dir, filter="tar")
        return _install(extract_dir, version, "tarball", cache_dir)


def _fetch_text(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=_NETWORK_TIMEOUT_SECONDS) as response:  # noqa: S310
            body: bytes = response.read()
            return body.decode("ascii", "replace")
    except urllib.error.HTTPError as exc:
        raise NodeError(f"{url}: HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise _Unreachable(str(getattr(exc, "reason", exc))) from exc


def _download(url: str, target: Path, report: Report) -> str:
    """Stream ``url`` to ``target``; return its SHA-512 hex digest."""
    digest = hashlib.sha512()
    try:
        with urllib.request.urlopen(url, timeout=_NETWORK_TIMEOUT_SECONDS) as response:  # noqa: S310
            total = int(response.headers.get("Content-Length") or 0)
            report(f"Downloading {url} ({total / 1e6:.0f} MB)")
            with target.open("wb") as out:
                while chunk := response.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
    except urllib.error.HTTPError as exc:
        raise NodeError(f"{url}: HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise NodeError(f"{url}: download failed: {exc}") from exc
    return digest.hexdigest()


def _obtain_maven(version: str, cache_dir: Path, report: Report) -> Distribution:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise NodeError(
            "Elastic's download site is unreachable and Maven (`mvn`) is not installed; "
            "install Maven or set elasticsearch.url to an existing cluster"
        )
    artifact = MAVEN_ARTIFACT.format(version=version)
    report(f"Fetching {artifact} with Maven")
    with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
        command = [
            mvn,
            "-B",
            "-q",
            f"{DEPENDENCY_PLUGIN}:copy",
            f"-Dartifact={artifact}",
            f"-DoutputDirectory={tmp}",
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        archives = list(Path(tmp).glob("*.zip"))
        if result.returncode != 0 or not archives:
            tail = (result.stdout + result.stderr).strip().splitlines()[-5:]
            raise NodeError(f"mvn could not fetch {artifact}: {' / '.join(tail) or 'no output'}")
        extract_dir = Path(tmp) / "extract"
        _unzip_keeping_modes(archives[0], extract_dir)
        return _install(extract_dir, version, "integ-test-zip", cache_dir)


def _unzip_keeping_modes(archive: Path, target: Path) -> None:
    """Extract a zip, restoring the Unix permission bits (``zipfile`` drops them)."""
    with zipfile.ZipFile(archive) as zipped:
        for info in zipped.infolist():
            path = Path(zipped.extract(info, target))
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                path.chmod(mode)


def _install(extract_dir: Path, version: str, kind: str, cache_dir: Path) -> Distribution:
    """Move an extracted distribution into the cache atomically and mark it complete."""
    homes = [p for p in extract_dir.iterdir() if (p / "bin" / "elasticsearch").exists()]
    if len(homes) != 1:
        raise NodeError(f"the {kind} archive of {version} has an unexpected layout")
    home = cache_dir / f"elasticsearch-{version}"
    if home.exists():
        shutil.rmtree(home)
    homes[0].rename(home)
    (home / MARKER).write_text(json.dumps({"version": version, "kind": kind}))
    return Distribution(version, home, kind)
