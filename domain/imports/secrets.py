"""Connection credentials at rest: Fernet (AES-128-CBC + HMAC-SHA256) under a key derived
from `FAIRSTEAD_SECRET_KEY` with HKDF-SHA256.

Without that setting Fairstead refuses to store credentials (409) rather than keep them in
the clear or under a key generated on the fly that a restore from backup would lose.
Changing the setting makes the stored credentials unreadable: syncs then fail with a reason
saying so, and an admin enters the credentials again.
"""

import json

from cryptography.fernet import Fernet, InvalidToken

from domain.errors import Conflict
from domain.sealing import MIN_SECRET_LENGTH, fernet

_INFO = b"fairstead/import-connection-credentials/v1"


class CredentialsUnreadable(Exception):
    """The stored credentials cannot be decrypted with the current secret key."""


def _fernet(secret_key: str | None) -> Fernet:
    if not secret_key or len(secret_key) < MIN_SECRET_LENGTH:
        raise Conflict(
            "this server cannot store credentials: set FAIRSTEAD_SECRET_KEY to a random "
            f"string of at least {MIN_SECRET_LENGTH} characters (it encrypts them at rest)"
        )
    return fernet(secret_key, purpose=_INFO)


def seal(credentials: dict[str, str], *, secret_key: str | None) -> str:
    return _fernet(secret_key).encrypt(json.dumps(credentials).encode()).decode()


def unseal(token: str, *, secret_key: str | None) -> dict[str, str]:
    try:
        fernet = _fernet(secret_key)
        value: dict[str, str] = json.loads(fernet.decrypt(token.encode()))
    except (Conflict, InvalidToken, ValueError) as exc:
        raise CredentialsUnreadable(
            "the stored credentials cannot be decrypted with the current "
            "FAIRSTEAD_SECRET_KEY: enter them again (PATCH the connection's credentials)"
        ) from exc
    return value
