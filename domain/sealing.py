"""Secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256) under a key derived from
`FAIRSTEAD_SECRET_KEY` with HKDF-SHA256, one derived key per purpose.

Connection credentials and webhook signing secrets are sealed this way, so a leaked database
or backup without the setting gives neither away.
"""

import base64

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# Settings refuses a shorter FAIRSTEAD_SECRET_KEY at start (domain/settings.py).
MIN_SECRET_LENGTH = 16


def fernet(secret_key: str, *, purpose: bytes) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))
