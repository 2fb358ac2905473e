"""Invitations: a short code that lets someone with an account join a household once."""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.accounts.models import User
from domain.activity import events
from domain.activity.service import Actor, record
from domain.errors import Conflict, Gone, InvalidInput, NotFound
from domain.households.models import Invitation, Member
from domain.households.service import Membership, lock_household
from domain.scoping import get_in_household

# No 0/O/1/I/L: codes get read aloud and typed on phones.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def create_invitation(
    session: Session,
    *,
    membership: Membership,
    role: str,
    member_id: str | None,
    ttl: timedelta,
    now: datetime,
) -> tuple[Invitation, str]:
    if member_id is not None:
        target = get_in_household(
            session, Member, member_id, membership.household.id, what="member", field="member_id"
        )
        if target.user_id is not None:
            raise Conflict("that member already has an account", field="member_id")
    code = "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))
    invitation = Invitation(
        household_id=membership.household.id,
        code_hash=_hash(code),
        role=role,
        member_id=member_id,
        created_by_member_id=membership.member.id,
        expires_at=now + ttl,
    )
    session.add(invitation)
    session.flush()
    record(
        session,
        household_id=invitation.household_id,
        type=events.INVITATION_CREATED,
        subject_id=invitation.id,
        actor=membership.actor,
        data={"role": role, "member_id": member_id},
    )
    return invitation, code


def accept_invitation(
    session: Session, *, code: str, user: User, member_id: str | None, now: datetime
) -> Member:
    invitation = session.scalar(select(Invitation).where(col(Invitation.code_hash) == _hash(code)))
    if invitation is None:
        raise NotFound("invitation not found")
    if invitation.accepted_at is not None:
        raise Gone("this invitation has already been used")
    if invitation.expires_at <= now:
        raise Gone("this invitation has expired")
    # Two accepts by one account (of two invitations), or two claims of one managed member,
    # wait for each other here and the second sees the first's member row.
    lock_household(session, invitation.household_id)
    already = session.scalar(
        select(col(Member.id)).where(
            col(Member.household_id) == invitation.household_id, col(Member.user_id) == user.id
        )
    )
    if already is not None:
        raise Conflict("you are already a member of this household")
    claim = member_id or invitation.member_id
    if invitation.member_id is not None and claim != invitation.member_id:
        raise InvalidInput("this invitation is for a different member", field="member_id")
    if claim is not None:
        member = _claimable(session, household_id=invitation.household_id, member_id=claim)
        member.user_id = user.id
        # The admin chose the role when inviting; a managed member's role is only a
        # placeholder, so claiming an admin placeholder must not make the invitee admin.
        member.role = invitation.role
        member.version += 1
        event = events.MEMBER_CLAIMED
    else:
        member = Member(
            household_id=invitation.household_id,
            user_id=user.id,
            display_name=user.display_name,
            role=invitation.role,
            created_at=now,
        )
        session.add(member)
        event = events.MEMBER_CREATED
    try:
        session.flush()
    except IntegrityError:  # the unique (household, user) index, should the lock be missed
        raise Conflict("you are already a member of this household") from None
    # Conditional update, not a read-then-write: of two racing accepts exactly one wins.
    # An UPDATE returns a CursorResult, which Session.execute does not say in its types.
    claimed = cast(
        CursorResult[Any],
        session.execute(
            update(Invitation)
            .where(col(Invitation.id) == invitation.id, col(Invitation.accepted_at).is_(None))
            .values(accepted_at=now, accepted_by_member_id=member.id),
        ),
    )
    if claimed.rowcount != 1:
        raise Gone("this invitation has already been used")
    record(
        session,
        household_id=invitation.household_id,
        type=event,
        subject_id=member.id,
        actor=Actor(user_id=user.id, member_id=member.id),
        data={"display_name": member.display_name, "invitation_id": invitation.id},
    )
    return member


def _claimable(session: Session, *, household_id: str, member_id: str) -> Member:
    member = get_in_household(
        session,
        Member,
        member_id,
        household_id,
        what="member",
        field="member_id",
        populate_existing=True,
    )
    if member.user_id is not None:
        raise Conflict("that member already has an account", field="member_id")
    return member


def pending_invitations(session: Session, *, household_id: str, now: datetime) -> list[Invitation]:
    """Invitations not yet used and not expired, newest first (their codes are not stored:
    a link is shown once, when it is made)."""
    query = (
        select(Invitation)
        .where(
            col(Invitation.household_id) == household_id,
            col(Invitation.accepted_at).is_(None),
            col(Invitation.expires_at) > now,
        )
        .order_by(col(Invitation.id).desc())
        .limit(100)
    )
    return list(session.scalars(query))


def revoke_invitation(
    session: Session, *, membership: Membership, invitation_id: str, now: datetime
) -> Invitation:
    """An unused invitation stops working now (it expires; a used one cannot be revoked)."""
    invitation = get_in_household(
        session, Invitation, invitation_id, membership.household.id, what="invitation"
    )
    if invitation.accepted_at is not None:
        raise Conflict("this invitation has already been used")
    if invitation.expires_at > now:
        invitation.expires_at = now
    return invitation
