"""Browser sessions for the household page: started, found, replaced at sign-in, ended.

The cookie carries 256 random bits; the table keeps their SHA-256, so a copy of the database
opens no browser's session. A session before sign-in exists only to tie the sign-in form's
CSRF token to the browser; signing in deletes it and starts another under a new secret, so
a session id planted in a browser before sign-in (session fixation) is worth nothing after.
"""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.accounts.models import User, WebSession
from domain.accounts.passwords import verify_password
from domain.accounts.service import hash_token, normalise_email
from domain.errors import Unauthenticated

SIGNED_IN_FOR = timedelta(days=14)
ANONYMOUS_FOR = timedelta(hours=2)


def csrf_token(secret: str) -> str:
    """The session's form token: derived from its secret, so nothing more is stored, and a
    page that leaks the token does not leak the session."""
    return hmac.new(secret.encode(), b"fairstead-csrf", hashlib.sha256).hexdigest()


def start(session: Session, *, user_id: str | None, now: datetime) -> tuple[WebSession, str]:
    """A new session and the secret for its cookie; expired sessions are swept on the way."""
    session.execute(delete(WebSession).where(col(WebSession.expires_at) <= now))
    secret = secrets.token_urlsafe(32)
    row = WebSession(
        secret_hash=hash_token(secret),
        user_id=user_id,
        created_at=now,
        expires_at=now + (SIGNED_IN_FOR if user_id else ANONYMOUS_FOR),
    )
    session.add(row)
    session.flush()
    return row, secret


def find(session: Session, *, secret: str, now: datetime) -> WebSession | None:
    row = session.scalar(
        select(WebSession).where(col(WebSession.secret_hash) == hash_token(secret))
    )
    if row is None or row.expires_at <= now:
        return None
    return row


def end(session: Session, *, secret: str) -> None:
    session.execute(delete(WebSession).where(col(WebSession.secret_hash) == hash_token(secret)))


def sign_in(
    session: Session, *, email: str, password: str, replacing: str | None, now: datetime
) -> tuple[WebSession, str]:
    """Checks the password as `POST /v1/tokens` does; the browser's old session (signed in
    or not) is deleted and a new one, under a new secret, is returned."""
    user = session.scalar(select(User).where(col(User.email) == normalise_email(email)))
    if not verify_password(user.password_hash if user else None, password) or user is None:
        raise Unauthenticated("wrong email or password", field="email")
    if replacing is not None:
        end(session, secret=replacing)
    return start(session, user_id=user.id, now=now)


def end_all(session: Session, *, user_id: str) -> None:
    """Every browser signed in as this user is signed out (a password change)."""
    session.execute(delete(WebSession).where(col(WebSession.user_id) == user_id))
