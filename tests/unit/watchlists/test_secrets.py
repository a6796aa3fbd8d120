"""Webhook secrets at rest (indexer.watchlists.secrets): sealed, rotated, keys kept 0600."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import SecretStr

from indexer.data_folder import DataFolder
from indexer.watchlists.errors import SecretKeyError
from indexer.watchlists.secrets import SEALED_PREFIX, SecretBox, new_key, secret_box

SECRET = "whsec-0123456789-abcdef"


def test_a_sealed_secret_is_not_in_clear_and_opens_again() -> None:
    box = SecretBox([new_key()], source="test")
    sealed = box.seal(SECRET)
    assert sealed.startswith(SEALED_PREFIX)
    assert SECRET not in sealed
    assert sealed != box.seal(SECRET)  # a fresh IV each time
    assert box.open(sealed) == SECRET


def test_another_key_cannot_open_it() -> None:
    sealed = SecretBox([new_key()], source="old").seal(SECRET)
    with pytest.raises(SecretKeyError, match="cannot be decrypted with the key"):
        SecretBox([new_key()], source="other").open(sealed)


def test_rotation_new_key_first_opens_old_secrets_and_seals_with_the_new() -> None:
    old, new = new_key(), new_key()
    sealed_old = SecretBox([old], source="old").seal(SECRET)
    both = SecretBox([new, old], source="both")
    assert both.open(sealed_old) == SECRET
    resealed = both.seal(both.open(sealed_old))
    assert SecretBox([new], source="new only").open(resealed) == SECRET


def test_a_secret_stored_in_clear_by_an_older_version_reads_as_it_is() -> None:
    assert SecretBox([new_key()], source="test").open(SECRET) == SECRET


def test_a_malformed_key_is_named() -> None:
    with pytest.raises(SecretKeyError, match=r"api\.secret_key: key 2 is not a Fernet key"):
        secret_box(
            SecretStr(f"{new_key()},not-a-key"), DataFolder(Path("/nonexistent")), create=False
        )


def test_the_key_file_is_created_with_the_first_secret_once_with_mode_0600(
    tmp_path: Path,
) -> None:
    folder = DataFolder(tmp_path)
    assert secret_box(None, folder, create=False) is None  # no key, none made
    first = secret_box(None, folder, create=True)
    assert first is not None
    assert not folder.secret_key.exists()  # no secret sealed yet: no key file
    with pytest.raises(SecretKeyError, match="no key"):
        first.open(SEALED_PREFIX + "token")
    assert first.open(SECRET) == SECRET  # a clear value needs no key
    sealed = first.seal(SECRET)
    assert first.open(sealed) == SECRET
    assert stat.S_IMODE(folder.secret_key.stat().st_mode) == 0o600
    again = secret_box(None, folder, create=True)
    assert again is not None and again.open(first.seal(SECRET)) == SECRET
    configured = secret_box(SecretStr(new_key()), folder, create=True)
    assert configured is not None and configured.source == "api.secret_key"
