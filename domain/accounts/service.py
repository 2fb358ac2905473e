"""Sign-up, tokens and the caller's own account."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.accounts.models import ApiToken, User, WebSession
from domain.accounts.passwords import hash_password, verify_password
from domain.accounts.scopes import DEFAULT_SCOPES, Scope, effective
from domain.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthenticated
from domain.households.models import Member

TOKEN_PREFIX = "fst_"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user behind a valid token, and what that token allows."""

    user_id: str
    token_id: str
    scopes: frozenset[Scope]
    household_id: str | None

    def allows(self, scope: Scope) -> bool:
        return scope in effective(self.scopes)


def hash_token(token: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def sign_up(session: Session, *, email: str, password: str, display_name: str) -> User:
    email = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("an account with this email already exists", field="email")
    user = User(email=email, display_name=display_name, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


def issue_token(
    session: Session,
    *,
    email: str,
    password: str,
    name: str,
    scopes: list[Scope] | None,
    household_id: str | None,
    expires_in_days: int | None,
    now: datetime,
) -> tuple[ApiToken, str]:
    if scopes is not None and Scope.FEED in scopes and household_id is None:
        # A feed URL is shared with calendar apps: it must never reach past one household.
        raise InvalidInput("a 'feed' token must be restricted to a household", field="household_id")
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if not verify_password(user.password_hash if user else None, password) or user is None:
        raise Unauthenticated("wrong email or password")
    if household_id is not None and not _is_member(session, user.id, household_id):
        raise NotFound("household not found", field="household_id")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_token(secret),
        scopes=" ".join(sorted(set(scopes or DEFAULT_SCOPES))),
        household_id=household_id,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    session.add(token)
    session.flush()
    return token, secret


# Plain columns, not an ApiToken object: every request authenticates, and the object would
# be built, identity-mapped and dropped each time. A statement that reads more beside the
# token (api/access.py: the caller's membership in one go) selects these first.
TOKEN_COLUMNS = (
    col(ApiToken.id),
    col(ApiToken.user_id),
    col(ApiToken.scopes),
    col(ApiToken.household_id),
    col(ApiToken.revoked_at),
    col(ApiToken.expires_at),
)
_BY_HASH = select(*TOKEN_COLUMNS).where(ApiToken.token_hash == bindparam("token_hash"))


def authenticate(session: Session, *, secret: str, at: datetime) -> Principal:
    return principal_of(session.execute(_BY_HASH, {"token_hash": hash_token(secret)}).first(), at)


def principal_of(token: Any, at: datetime) -> Principal:
    """The caller behind a row of `TOKEN_COLUMNS` (None: no such token), or 401."""
    if token is None or token.revoked_at is not None:
        raise Unauthenticated("the token is unknown or revoked")
    if token.expires_at is not None and token.expires_at <= at:
        raise Unauthenticated("the token has expired")
    return Principal(
        user_id=token.user_id,
        token_id=token.id,
        scopes=frozenset(Scope(s) for s in token.scopes.split()),
        household_id=token.household_id,
    )


def token_scopes(token: ApiToken) -> list[str]:
    return token.scopes.split()


def list_tokens(session: Session, *, user_id: str) -> list[ApiToken]:
    query = (
        select(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.id.desc())
    )
    return list(session.scalars(query))


def revoke_token(session: Session, *, user_id: str, token_id: str, now: datetime) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id or token.revoked_at is not None:
        raise NotFound("token not found")
    token.revoked_at = now


def get_user(session: Session, *, user_id: str) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise Unauthenticated("the account no longer exists")
    return user


def update_user(
    session: Session,
    *,
    user: User,
    display_name: str | None,
    new_password: str | None,
    current_password: str | None,
    now: datetime,
) -> None:
    if display_name is not None:
        user.display_name = display_name
    if new_password is not None:
        if current_password is None or not verify_password(user.password_hash, current_password):
            raise Forbidden("the current password is wrong", field="current_password")
        user.password_hash = hash_password(new_password)
        # A changed password ends every session: whoever knew the old one keeps nothing.
        session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    user.version += 1


def _is_member(session: Session, user_id: str, household_id: str) -> bool:
    query = select(Member.id).where(Member.user_id == user_id, Member.household_id == household_id)
    return session.scalar(query) is not None
