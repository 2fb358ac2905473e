"""Webhook signing secrets at rest: sealed with `FAIRSTEAD_SECRET_KEY` like connection
credentials (domain/sealing.py), opened only to sign a delivery.

Anyone holding a signing secret can forge deliveries that receivers trust, so a database or
backup leak must not give them away. Without the setting, webhooks are refused (409) rather
than kept in the clear.
"""

from cryptography.fernet import InvalidToken

from domain.errors import Conflict
from domain.sealing import MIN_SECRET_LENGTH, fernet

PURPOSE = b"fairstead/webhook-signing-secrets/v1"


class SecretsUnreadable(Exception):
    """A stored signing secret cannot be decrypted with the current secret key."""


def _require(secret_key: str | None) -> str:
    if not secret_key or len(secret_key) < MIN_SECRET_LENGTH:
        raise Conflict(
            "this server cannot keep webhook signing secrets: set FAIRSTEAD_SECRET_KEY to a "
            f"random string of at least {MIN_SECRET_LENGTH} characters (it encrypts them at rest)"
        )
    return secret_key


def seal_secret(secret: str, *, secret_key: str | None) -> str:
    return fernet(_require(secret_key), purpose=PURPOSE).encrypt(secret.encode()).decode()


def unseal_secret(sealed: str, *, secret_key: str | None) -> str:
    try:
        return fernet(_require(secret_key), purpose=PURPOSE).decrypt(sealed.encode()).decode()
    except (Conflict, InvalidToken, ValueError) as exc:
        raise SecretsUnreadable(
            "webhook signing secrets cannot be decrypted with the current "
            "FAIRSTEAD_SECRET_KEY: set the key they were made with, or rotate each secret"
        ) from exc
