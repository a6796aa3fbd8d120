"""Errors of the crawler.

::

    CrawlerError
      DownloadError(url, reason, status=, attempts=)  retries exhausted for one URL
        EdgarNotFoundError(url, status=)     S3 AccessDenied/NoSuchKey body: object absent
        RateLimitedError(url, status=)       SEC block page or 429: stop all traffic
        ResponseTooLargeError(url, limit=)   body exceeded the configured size limit
        ForeignUrlError(url, reason)         not below a configured EDGAR base URL: never sent
      ParseError(source, reason)             an EDGAR file is not in the expected shape
      UserAgentError(message)                the declared User-Agent is missing or invalid
      StorageError(path, reason)             the data directory cannot be written: stop all
      RawReadError(path, reason)             stored bytes cannot be read back (one filing)
      CrawlAborted(reason)                   signal: end this cycle now

httpx exceptions are translated in ``crawler/client.py`` only.
"""

from __future__ import annotations

import errno

from indexer.errors import CorrespError


class CrawlerError(CorrespError):
    """Base class of crawler errors."""


class DownloadError(CrawlerError):
    """A URL could not be fetched after the allowed attempts."""

    def __init__(self, url: str, reason: str, *, status: int | None = None, attempts: int = 1):
        self.url = url
        self.reason = reason
        self.status = status
        self.attempts = attempts
        where = f"HTTP {status}" if status is not None else "no response"
        super().__init__(f"{url}: {reason} ({where}, {attempts} attempt(s))")


class EdgarNotFoundError(DownloadError):
    """EDGAR answered that the object does not exist (AccessDenied / NoSuchKey)."""

    def __init__(self, url: str, *, status: int) -> None:
        super().__init__(url, "not on EDGAR", status=status)


class RateLimitedError(DownloadError):
    """SEC answered with its rate-limit block page or a 429: all traffic must stop."""

    def __init__(self, url: str, *, status: int) -> None:
        super().__init__(url, "SEC rate limit block", status=status)


class ResponseTooLargeError(DownloadError):
    """The response body exceeded the configured size limit."""

    def __init__(self, url: str, *, limit: int) -> None:
        self.limit = limit
        super().__init__(url, f"response larger than {limit} bytes")


class ForeignUrlError(DownloadError):
    """A URL outside the configured EDGAR base URLs (``edgar.base_urls``): never fetched."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            url, f"refused, not below a configured EDGAR base URL: {reason}", attempts=0
        )


class ParseError(CrawlerError):
    """An EDGAR file (index, submission, listing) is not in the expected shape."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class UserAgentError(CrawlerError):
    """The configured User-Agent does not satisfy SEC's fair-access rules."""


class StorageError(CrawlerError):
    """The raw store or the ledger cannot be written (disk full, read-only, no permission).

    Not a fault of any filing: the pass stops at once, records nothing against the filing in
    hand, and a later pass (once space or permissions are back) resumes where it stopped.
    """

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"cannot write {self.path}: {reason}")

    @classmethod
    def from_os_error(cls, path: object, exc: OSError) -> StorageError:
        """The error for a failed write, with what the errno means for the user."""
        return cls.explained(path, exc.strerror or str(exc), exc.errno)

    @classmethod
    def explained(cls, path: object, reason: str, code: int | None) -> StorageError:
        """The error with the hint for an errno (ENOSPC, EROFS, EACCES, …) appended."""
        hint = _STORAGE_HINTS.get(code or 0)
        return cls(path, f"{reason} ({hint})" if hint else reason)


_WRITABLE = "make storage.data_dir writable by this user and run again"
_STORAGE_HINTS = {
    errno.ENOSPC: "the disk is full; free space under storage.data_dir and run again",
    errno.EDQUOT: "the disk quota is used up; free space and run again",
    errno.EROFS: "the file system is read-only; " + _WRITABLE,
    errno.EACCES: "no permission; " + _WRITABLE,
    errno.EPERM: "no permission; " + _WRITABLE,
    errno.EIO: "a disk I/O error; check the device under storage.data_dir",
}


class RawReadError(CrawlerError):
    """A stored filing's bytes cannot be read back (damaged or truncated file): that filing
    waits with the reason; the others go on."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"cannot read {self.path}: {reason}")


class CrawlAborted(CrawlerError):  # noqa: N818 - a control-flow signal, not an error
    """Signal: stop the current cycle now (block page, backend down, shutdown)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)
