"""Reading a period's decisions and ballots for the decision statistics (`stats.py` counts).

A period is the decisions proposed in it, by local date in the household's time zone; the
ballots are those cast on them. Secret decisions contribute only their voter rows, which
say who voted and nothing about how.
"""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.decisions.ballots import parse_ballot
from domain.decisions.methods import Method
from domain.decisions.models import Decision, DecisionVoter
from domain.decisions.result import Status
from domain.decisions.service import CLOSED, BallotKind
from domain.decisions.stats import (
    DecisionRecord,
    MemberDecisionStats,
    Participation,
    decision_stats,
)
from domain.errors import InvalidInput
from domain.households.models import Household, Member


def household_decision_stats(
    session: Session,
    *,
    household: Household,
    date_from: date | None,
    date_to: date | None,
    member_ids: Sequence[str] | None = None,
) -> list[MemberDecisionStats]:
    """One row per member of the household (oldest member first), zeros included.
    `member_ids`: the household's members in id order, when the caller has read them."""
    if date_from is not None and date_to is not None and date_to < date_from:
        raise InvalidInput("'to' is before 'from'.", field="to")
    in_period = [col(Decision.household_id) == household.id]
    zone = ZoneInfo(household.timezone)
    if date_from is not None:
        in_period.append(col(Decision.created_at) >= _start_of(date_from, zone))
    if date_to is not None:
        in_period.append(col(Decision.created_at) < _start_of(date_to + timedelta(days=1), zone))
    # The decisions and their voters in one statement: a decision without voters is one
    # row with no voter.
    rows = session.execute(
        select(
            col(Decision.id),
            col(Decision.proposed_by_member_id),
            col(Decision.options),
            col(Decision.ballot),
            col(Decision.status),
            col(Decision.result),
            col(Decision.method),
            col(DecisionVoter.member_id),
            col(DecisionVoter.ballot),
        )
        .outerjoin(DecisionVoter, col(DecisionVoter.decision_id) == col(Decision.id))
        .where(*in_period)
    ).all()
    if member_ids is None:
        member_ids = session.scalars(
            select(col(Member.id))
            .where(col(Member.household_id) == household.id)
            .order_by(col(Member.id))
        ).all()
    records: dict[str, DecisionRecord] = {}
    participations: list[Participation] = []
    for decision_id, proposer, options, kind, status, result, method, voter, ballot in rows:
        ids = [o["id"] for o in options]
        if decision_id not in records:
            closed = result if status == CLOSED else None
            records[decision_id] = DecisionRecord(
                id=decision_id,
                proposer_id=proposer,
                option_ids=tuple(ids),
                secret=kind == BallotKind.SECRET,
                status=None if closed is None else Status(closed["status"]),
                winner_option_ids=() if closed is None else tuple(closed["winner_option_ids"]),
            )
        if voter is not None:
            participations.append(
                Participation(
                    decision_id,
                    voter,
                    None if ballot is None else parse_ballot(Method(method), ids, ballot),
                )
            )
    return decision_stats(member_ids, records.values(), participations)


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone)
