"""Closing a decision and counting it — exactly once, however many try at the same time.

The close is claimed with a conditional UPDATE (`… SET status = 'closed' WHERE id = ? AND
status = 'open'`) before anything is counted. Only the request, worker or read that
changes the row counts the ballots and records `decision.closed`; a concurrent loser
waits on the row lock, changes nothing, and reads back the winner's result. Counting after
the claim also means a ballot that was being cast at the same moment is either committed
and counted, or refused because the decision is closed.
"""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.activity import events
from domain.activity.service import SYSTEM, Actor, record
from domain.decisions.ballots import Ballot, parse_ballot
from domain.decisions.methods import Method, Option
from domain.decisions.models import Decision, DecisionBallot, DecisionVoter
from domain.decisions.result import Result
from domain.decisions.service import (
    CLOSED,
    OPEN,
    BallotKind,
    active_members,
    option_ids,
    quorum_of,
)
from domain.decisions.tally import tally
from domain.errors import Forbidden
from domain.households.service import Membership


def close_decision(
    session: Session, *, membership: Membership, decision: Decision, now: datetime
) -> Decision:
    """Close now (the proposer or an admin), or return the result if it is already closed.

    A decision whose deadline passed before this call is recorded as closed by the deadline.
    """
    if decision.status == OPEN and not is_due(decision, now):
        if not membership.is_admin and decision.proposed_by_member_id != membership.member.id:
            raise Forbidden(
                "Only the member who proposed this decision, or an admin, may close it early."
            )
        _close(session, decision, at=now, actor=membership.actor)
    else:
        close_if_due(session, decision, now=now)
    return decision


def is_due(decision: Decision, now: datetime) -> bool:
    return decision.closes_at is not None and decision.closes_at <= now


def close_if_due(session: Session, decision: Decision, *, now: datetime) -> bool:
    if decision.status != OPEN or decision.closes_at is None or decision.closes_at > now:
        return False
    return _close(session, decision, at=decision.closes_at, actor=SYSTEM)


def close_due(session: Session, *, now: datetime, household_id: str | None = None) -> int:
    """Close every open decision whose deadline has passed (in one household, or all of
    them for `fairstead worker`); returns how many this call closed."""
    query = select(Decision).where(Decision.status == OPEN, Decision.closes_at <= now)
    if household_id is not None:
        query = query.where(Decision.household_id == household_id)
    return sum(close_if_due(session, d, now=now) for d in session.scalars(query).all())


def _close(session: Session, decision: Decision, *, at: datetime, actor: Actor) -> bool:
    claimed = session.execute(
        update(Decision)
        .where(Decision.id == decision.id, Decision.status == OPEN)
        .values(
            status=CLOSED,
            closed_at=at,
            closed_by_member_id=actor.member_id,
            version=Decision.version + 1,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(decision)
    if claimed != 1:
        return False
    result = count(session, decision)
    decision.result = result.as_json()
    session.flush()
    record(
        session,
        household_id=decision.household_id,
        type=events.DECISION_CLOSED,
        subject_id=decision.id,
        actor=actor,
        data={
            "title": decision.title,
            "status": result.status.value,
            "winner_option_ids": list(result.winner_option_ids),
            "closed_by": "deadline" if actor is SYSTEM else "member",
        },
    )
    return True


def count(session: Session, decision: Decision) -> Result:
    """Tally the decision's ballots against today's active members."""
    method = Method(decision.method)
    ids = option_ids(decision)
    if decision.ballot == BallotKind.SECRET:
        query = select(DecisionBallot.ballot).where(DecisionBallot.decision_id == decision.id)
    else:
        query = select(DecisionVoter.ballot).where(DecisionVoter.decision_id == decision.id)
    ballots: list[Ballot] = [parse_ballot(method, ids, raw) for raw in session.scalars(query)]
    return tally(
        method,
        [Option(o["id"], o["label"]) for o in decision.options],
        ballots,
        eligible_voters=active_members(session, decision.household_id),
        quorum=quorum_of(decision),
    )
