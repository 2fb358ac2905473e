"""Reading a period's decisions and ballots for the decision statistics (`stats.py` counts).

A period is the decisions proposed in it, by local date in the household's time zone; the
ballots are those cast on them. Secret decisions contribute only their voter rows, which
say who voted and nothing about how.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.decisions.ballots import Ballot, parse_ballot
from domain.decisions.methods import Method
from domain.decisions.models import Decision, DecisionVoter
from domain.decisions.result import Status
from domain.decisions.service import CLOSED, BallotKind, option_ids
from domain.decisions.stats import (
    DecisionRecord,
    MemberDecisionStats,
    Participation,
    decision_stats,
)
from domain.errors import InvalidInput
from domain.households.models import Household, Member


def household_decision_stats(
    session: Session, *, household: Household, date_from: date | None, date_to: date | None
) -> list[MemberDecisionStats]:
    """One row per member of the household (oldest member first), zeros included."""
    if date_from is not None and date_to is not None and date_to < date_from:
        raise InvalidInput("'to' is before 'from'.", field="to")
    in_period = [col(Decision.household_id) == household.id]
    zone = ZoneInfo(household.timezone)
    if date_from is not None:
        in_period.append(col(Decision.created_at) >= _start_of(date_from, zone))
    if date_to is not None:
        in_period.append(col(Decision.created_at) < _start_of(date_to + timedelta(days=1), zone))
    decisions = {d.id: d for d in session.scalars(select(Decision).where(*in_period))}
    voters = session.execute(
        select(
            col(DecisionVoter.decision_id), col(DecisionVoter.member_id), col(DecisionVoter.ballot)
        )
        .join(Decision, col(Decision.id) == col(DecisionVoter.decision_id))
        .where(*in_period)
    ).all()
    member_ids = session.scalars(
        select(col(Member.id))
        .where(col(Member.household_id) == household.id)
        .order_by(col(Member.id))
    ).all()
    return decision_stats(
        member_ids,
        [_record(d) for d in decisions.values()],
        [
            Participation(
                decision_id,
                member_id,
                None if ballot is None else _ballot(decisions[decision_id], ballot),
            )
            for decision_id, member_id, ballot in voters
        ],
    )


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone)


def _record(decision: Decision) -> DecisionRecord:
    result = decision.result if decision.status == CLOSED else None
    return DecisionRecord(
        id=decision.id,
        proposer_id=decision.proposed_by_member_id,
        option_ids=tuple(option_ids(decision)),
        secret=decision.ballot == BallotKind.SECRET,
        status=None if result is None else Status(result["status"]),
        winner_option_ids=() if result is None else tuple(result["winner_option_ids"]),
    )


def _ballot(decision: Decision, raw: object) -> Ballot:
    return parse_ballot(Method(decision.method), option_ids(decision), raw)
