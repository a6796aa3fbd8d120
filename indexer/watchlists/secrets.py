"""Webhook secrets at rest: encrypted with Fernet before they reach Elasticsearch.

The only module that imports ``cryptography``. A watchlist's webhook secret is stored as
``fernet:<token>`` (AES-128-CBC with HMAC-SHA256, from ``cryptography.fernet``), never in
clear. The key comes from ``api.secret_key`` (environment: ``CORRESP__API__SECRET_KEY``), else
from ``<data_dir>/secret.key``, which is created on first use with mode 0600. Several keys,
comma-separated (or one per line in the file), allow rotation: the first encrypts, any of
them decrypts (``MultiFernet``); ``corresp alerts rekey`` re-encrypts every stored secret
with the first, after which the old key can be dropped.

Without the key a stored secret cannot be read: the watchlist is read without it, and its
deliveries are parked ("never sent unsigned"), never sent unsigned. A secret stored in clear
by an older version is read as it is and encrypted at the next write or ``rekey``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import SecretStr

from indexer.data_folder import DataFolder
from indexer.watchlists.errors import SecretKeyError

__all__ = ["SEALED_PREFIX", "SecretBox", "new_key", "secret_box"]

logger = logging.getLogger(__name__)

SEALED_PREFIX = "fernet:"


def new_key() -> str:
    """A fresh Fernet key (URL-safe base64 of 32 random bytes)."""
    return Fernet.generate_key().decode("ascii")


class SecretBox:
    """Seals and opens webhook secrets with one or more keys (the first one seals).

    A box made for a key file that does not exist yet (``secret_box(create=True)``) creates it
    when it first seals a secret: an installation without webhook secrets has no key file."""

    def __init__(self, keys: Sequence[str], *, source: str, key_file: Path | None = None) -> None:
        self.source = source
        self._key_file = key_file
        self._fernet: MultiFernet | None = None
        if keys:
            self._fernet = self._load(keys, source)
        elif key_file is None:
            raise SecretKeyError(f"{source}: no key")

    @staticmethod
    def _load(keys: Sequence[str], source: str) -> MultiFernet:
        fernets = []
        for number, key in enumerate(keys, start=1):
            try:
                fernets.append(Fernet(key.encode("ascii")))
            except (ValueError, UnicodeEncodeError):
                raise SecretKeyError(
                    f"{source}: key {number} is not a Fernet key (32 bytes, URL-safe base64; "
                    "`corresp alerts new-key` prints one)"
                ) from None
        return MultiFernet(fernets)

    def _keys(self, *, create: bool) -> MultiFernet:
        if self._fernet is None and self._key_file is not None:
            if create:
                _create_key_file(self._key_file)
            if self._key_file.exists():
                self._fernet = self._load(_read_keys(self._key_file), self.source)
        if self._fernet is None:
            raise SecretKeyError(f"{self.source}: no key")
        return self._fernet

    def seal(self, secret: str) -> str:
        """The stored form of ``secret``."""
        sealed = self._keys(create=True).encrypt(secret.encode("utf-8"))
        return SEALED_PREFIX + sealed.decode("ascii")

    def open(self, stored: str) -> str:
        """The secret of a stored value (a clear one from an older version as it is);
        ``SecretKeyError`` when none of the keys opens it."""
        if not stored.startswith(SEALED_PREFIX):
            return stored
        try:
            fernet = self._keys(create=False)
            return fernet.decrypt(stored.removeprefix(SEALED_PREFIX).encode()).decode()
        except (InvalidToken, UnicodeDecodeError):
            raise SecretKeyError(
                f"a stored webhook secret cannot be decrypted with the key(s) of {self.source}"
            ) from None


def secret_box(
    configured: SecretStr | None, folder: DataFolder, *, create: bool
) -> SecretBox | None:
    """The box of the configured key(s), else of the data folder's key file (created, mode
    0600, when ``create``); ``None`` when there is no key and none may be created."""
    if configured is not None and configured.get_secret_value().strip():
        keys = _keys(configured.get_secret_value().replace(",", "\n"))
        return SecretBox(keys, source="api.secret_key")
    key_file = folder.secret_key
    if not key_file.exists():
        return SecretBox([], source=str(key_file), key_file=key_file) if create else None
    return SecretBox(_read_keys(key_file), source=str(key_file))


def _keys(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _read_keys(key_file: Path) -> list[str]:
    try:
        return _keys(key_file.read_text(encoding="ascii"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretKeyError(f"{key_file}: cannot read the key file ({exc})") from None


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process created it first: use theirs
    except OSError as exc:
        raise SecretKeyError(f"{path}: cannot create the key file ({exc})") from None
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(new_key() + "\n")
    logger.info("created %s (the key that encrypts webhook secrets; keep it)", path)
