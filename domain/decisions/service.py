"""Decisions: propose, read, and cast ballots. Closing and counting live in `closing`.

Every write to an open decision first bumps its version with a conditional UPDATE
(`… WHERE status = 'open' AND closes_at has not passed`). That row lock is what orders a
ballot against a concurrent close: a ballot either lands before the close counts, or it
finds the decision closed and gets 409 — never stored yet uncounted.
"""

import secrets
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from fractions import Fraction
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from domain.activity import events
from domain.activity.service import record
from domain.decisions.ballots import Ballot, ballot_to_json, parse_ballot
from domain.decisions.methods import Method, check_option_labels
from domain.decisions.models import Decision, DecisionBallot, DecisionVoter
from domain.decisions.quorum import Quorum, check_quorum
from domain.errors import Conflict, InvalidInput
from domain.households.models import Member
from domain.households.service import Membership, acting_for, get_member
from domain.ids import new_id
from domain.paging import newest_id_first
from domain.scoping import get_in_household

OPEN = "open"
CLOSED = "closed"


class BallotKind(StrEnum):
    """`secret`: only who voted is ever shown, never what."""

    OPEN = "open"
    SECRET = "secret"


@dataclass(frozen=True)
class DecisionInput:
    title: str
    method: Method
    ballot: BallotKind
    description: str | None = None
    options: Sequence[str] = ()
    closes_at: datetime | None = None
    quorum: Quorum = None
    category: str | None = None


def active_members(session: Session, household_id: str) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Member)
            .where(Member.household_id == household_id, Member.active.is_(True))
        )
        or 0
    )


def quorum_of(decision: Decision) -> Quorum:
    if decision.quorum_fraction is not None:
        return Fraction(decision.quorum_fraction)
    return decision.quorum_count


def option_ids(decision: Decision) -> list[str]:
    return [o["id"] for o in decision.options]


def create_decision(
    session: Session, *, membership: Membership, data: DecisionInput, now: datetime
) -> Decision:
    labels = check_option_labels(data.method, data.options)
    if data.closes_at is not None and data.closes_at <= now:
        raise InvalidInput("closes_at must be in the future.", field="closes_at")
    household_id = membership.household.id
    check_quorum(data.quorum, eligible_voters=active_members(session, household_id))
    decision = Decision(
        household_id=household_id,
        title=data.title,
        description=data.description,
        method=data.method.value,
        options=[{"id": new_id(), "label": label} for label in labels],
        ballot=data.ballot.value,
        quorum_count=data.quorum if isinstance(data.quorum, int) else None,
        quorum_fraction=str(data.quorum) if isinstance(data.quorum, Fraction) else None,
        category=data.category,
        closes_at=data.closes_at,
        proposed_by_member_id=membership.member.id,
    )
    session.add(decision)
    session.flush()
    record(
        session,
        household_id=household_id,
        type=events.DECISION_CREATED,
        subject_id=decision.id,
        actor=membership.actor,
        data={"title": decision.title, "method": decision.method, "ballot": decision.ballot},
    )
    return decision


def get_decision(session: Session, *, household_id: str, decision_id: str) -> Decision:
    return get_in_household(session, Decision, decision_id, household_id, what="decision")


def list_decisions(
    session: Session, *, household_id: str, status: str | None, after: str | None, limit: int
) -> list[Decision]:
    query = select(Decision).where(Decision.household_id == household_id)
    if status is not None:
        query = query.where(Decision.status == status)
    return list(session.scalars(newest_id_first(query, Decision.id, after=after, limit=limit)))


def voters_of(session: Session, decision_ids: Sequence[str]) -> dict[str, list[DecisionVoter]]:
    """Who has voted on each decision, in the order they first voted."""
    by_decision: dict[str, list[DecisionVoter]] = defaultdict(list)
    rows = session.scalars(
        select(DecisionVoter)
        .where(DecisionVoter.decision_id.in_(decision_ids))
        .order_by(DecisionVoter.voted_at, DecisionVoter.member_id)
    )
    for voter in rows:
        by_decision[voter.decision_id].append(voter)
    return by_decision


def find_vote(session: Session, *, decision_id: str, member_id: str) -> DecisionVoter | None:
    return session.get(DecisionVoter, (decision_id, member_id))


def read_ballot(decision: Decision, raw_ballot: Any) -> Ballot:
    """The ballot read and checked against the decision's method and options."""
    return parse_ballot(Method(decision.method), option_ids(decision), raw_ballot)


def cast_vote(
    session: Session,
    *,
    membership: Membership,
    decision: Decision,
    member_id: str,
    raw_ballot: Any,
    now: datetime,
) -> DecisionVoter:
    """Cast `member_id`'s ballot, or replace it while the decision is open (open ballots).

    A secret ballot is final once cast: nothing records which anonymous ballot is whose,
    so there is nothing to replace.
    """
    member = get_member(session, household_id=decision.household_id, member_id=member_id)
    actor = acting_for(membership, member)
    if not member.active:
        raise Conflict(f"{member.display_name} is not an active member and cannot vote.")
    ballot = read_ballot(decision, raw_ballot)
    _claim_open(session, decision, now)
    content = ballot_to_json(ballot)
    secret = decision.ballot == BallotKind.SECRET
    vote = find_vote(session, decision_id=decision.id, member_id=member.id)
    replaced = vote is not None
    if vote is not None and secret:
        raise Conflict(
            f"{member.display_name} has already voted. A secret ballot is final once cast: "
            "it is stored apart from the voter list, so it cannot be found again to change."
        )
    if vote is None:
        vote = DecisionVoter(decision_id=decision.id, member_id=member.id, voted_at=now)
        session.add(vote)
    else:
        vote.voted_at, vote.version = now, vote.version + 1
    vote.cast_by_member_id = actor.member_id if actor.on_behalf_of_member_id else None
    if secret:
        _add_secret_ballot(session, decision.id, content)
    else:
        vote.ballot = content
    session.flush()
    data: dict[str, Any] = {"member_id": member.id}
    if not secret:
        data |= {"ballot": content, "replaced": replaced}
    record(
        session,
        household_id=decision.household_id,
        type=events.DECISION_VOTE_CAST,
        subject_id=decision.id,
        actor=actor,
        data=data,
    )
    return vote


def _claim_open(session: Session, decision: Decision, now: datetime) -> None:
    """Lock the decision row if it still takes ballots, else 409."""
    claimed = session.execute(
        update(Decision)
        .where(
            Decision.id == decision.id,
            Decision.status == OPEN,
            or_(Decision.closes_at.is_(None), Decision.closes_at > now),
        )
        .values(version=Decision.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(decision)
    if claimed != 1:
        raise Conflict("This decision is closed: ballots can no longer be cast or changed.")


_shuffle = secrets.SystemRandom().shuffle


def _add_secret_ballot(session: Session, decision_id: str, content: dict[str, Any]) -> None:
    """Rewrite the decision's anonymous ballots, the new one among them, in a random order
    with fresh random ids.

    Appending the new row alone would leave it traceable: it would be the newest row in the
    table's physical order, and on PostgreSQL it would carry the id of the same transaction
    as its voter row (`xmin`). After the rewrite every ballot of the decision was written by
    this transaction, in no particular order, so none stands out. A household decision has
    a handful of ballots, so this costs nothing.
    """
    ballots = [
        *session.scalars(
            select(DecisionBallot.ballot).where(DecisionBallot.decision_id == decision_id)
        ),
        content,
    ]
    session.execute(delete(DecisionBallot).where(DecisionBallot.decision_id == decision_id))
    _shuffle(ballots)
    session.add_all(
        DecisionBallot(id=str(uuid.uuid4()), decision_id=decision_id, ballot=b) for b in ballots
    )
