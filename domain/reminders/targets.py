"""A member's notification targets: Apprise URLs sealed at rest (they hold passwords and
tokens), shown only masked; which reminders each wants; quiet hours in household time.

Only the member themself (or an admin for a managed member) sees or changes them: a target
says where someone can be reached, which is nobody else's business.
"""

from datetime import datetime
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.errors import Conflict, InvalidInput, NotFound
from domain.households.models import Member
from domain.households.service import Membership, acting_for
from domain.reminders.finding import KINDS
from domain.reminders.models import NotificationTarget
from domain.sealing import MIN_SECRET_LENGTH, fernet

MAX_PER_MEMBER = 10

# The URLs are sealed under their own key derived from FAIRSTEAD_SECRET_KEY (domain/sealing).
_PURPOSE = b"fairstead/notification-target-urls/v1"


class UrlUnreadable(Exception):
    """The stored URL cannot be decrypted with the current secret key."""


def _fernet(secret_key: str | None) -> Fernet:
    if not secret_key or len(secret_key) < MIN_SECRET_LENGTH:
        raise Conflict(
            "this server cannot store notification targets: set FAIRSTEAD_SECRET_KEY to a "
            f"random string of at least {MIN_SECRET_LENGTH} characters (it encrypts their "
            "URLs at rest)"
        )
    return fernet(secret_key, purpose=_PURPOSE)


def _seal(url: str, *, secret_key: str | None) -> str:
    return _fernet(secret_key).encrypt(url.encode()).decode()


def check_kinds(kinds: list[str]) -> list[str]:
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise InvalidInput(f"unknown reminders: {', '.join(unknown)}", field="reminders")
    return sorted(set(kinds), key=KINDS.index)


def _quiet(fields: dict[str, Any]) -> None:
    if ("quiet_from" in fields) != ("quiet_to" in fields) or (
        (fields.get("quiet_from") is None) != (fields.get("quiet_to") is None)
    ):
        raise InvalidInput("give both quiet_from and quiet_to, or neither", field="quiet_to")


def list_targets(
    session: Session, *, membership: Membership, member: Member
) -> list[NotificationTarget]:
    acting_for(membership, member)
    query = (
        select(NotificationTarget)
        .where(col(NotificationTarget.member_id) == member.id)
        .order_by(col(NotificationTarget.id))
    )
    return list(session.scalars(query))


def get_target(
    session: Session, *, membership: Membership, member: Member, target_id: str
) -> NotificationTarget:
    acting_for(membership, member)
    target = session.get(NotificationTarget, target_id)
    if target is None or target.member_id != member.id:
        raise NotFound("notification target not found")
    return target


def create_target(
    session: Session,
    *,
    membership: Membership,
    member: Member,
    url: str,
    masked: str,
    fields: dict[str, Any],
    secret_key: str | None,
) -> NotificationTarget:
    acting_for(membership, member)
    if len(list_targets(session, membership=membership, member=member)) >= MAX_PER_MEMBER:
        raise InvalidInput(f"a member has at most {MAX_PER_MEMBER} notification targets")
    _quiet(fields)
    target = NotificationTarget(
        household_id=member.household_id,
        member_id=member.id,
        url_sealed=_seal(url, secret_key=secret_key),
        url_masked=masked,
        label=fields.get("label"),
        reminders=check_kinds(fields.get("reminders") or list(KINDS)),
        quiet_from=fields.get("quiet_from"),
        quiet_to=fields.get("quiet_to"),
    )
    session.add(target)
    session.flush()
    return target


def update_target(
    session: Session,
    *,
    target: NotificationTarget,
    changes: dict[str, Any],
    url: tuple[str, str] | None,
    secret_key: str | None,
    now: datetime,
) -> NotificationTarget:
    merged = {"quiet_from": target.quiet_from, "quiet_to": target.quiet_to}
    merged |= {k: v for k, v in changes.items() if k in merged}
    _quiet(merged)
    if url is not None:
        target.url_sealed = _seal(url[0], secret_key=secret_key)
        target.url_masked = url[1]
    for name in ("label", "quiet_from", "quiet_to"):
        if name in changes:
            setattr(target, name, changes[name])
    if "reminders" in changes:
        target.reminders = check_kinds(changes["reminders"])
    target.updated_at = now
    target.version += 1
    return target


def delete_target(session: Session, *, target: NotificationTarget) -> None:
    session.delete(target)


def forget_targets_of(session: Session, *, user_id: str) -> None:
    """Delete every target of the user's members: called as their account is deleted, while
    the members still link to it (their `user_id`)."""
    members = select(col(Member.id)).where(col(Member.user_id) == user_id)
    session.execute(
        delete(NotificationTarget).where(col(NotificationTarget.member_id).in_(members))
    )


def target_url(target: NotificationTarget, *, secret_key: str | None) -> str:
    try:
        return _fernet(secret_key).decrypt(target.url_sealed.encode()).decode()
    except (Conflict, InvalidToken, ValueError) as exc:
        raise UrlUnreadable(
            "the URL cannot be decrypted with the current FAIRSTEAD_SECRET_KEY: "
            "enter it again (PATCH the target's url)"
        ) from exc
