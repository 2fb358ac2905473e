"""Chore definitions: checked against the household, stored, and kept planned."""

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity import events
from domain.activity.service import record
from domain.agreement.terms import Load
from domain.chores.assignment import Preference, Strategy, check_assignment
from domain.chores.models import Chore, ChoreEligibleMember, ChorePreference
from domain.chores.occurrences import (
    drop_open,
    materialise_household,
    replan_chore,
)
from domain.chores.planning import eligible_lists
from domain.errors import InvalidInput, NotFound
from domain.households.members import household_members, named_member
from domain.households.models import Household, Member
from domain.households.service import Membership, acting_for
from domain.paging import newest_id_first
from domain.recurrence import validate_rrule
from domain.scoping import get_in_household

# Changing any of these re-plans the open occurrences after today.
_PLAN_FIELDS = frozenset(
    {"recurrence", "starts_on", "strategy", "fixed_member_id", "eligible_member_ids"}
)


@dataclass(frozen=True)
class ChoreInput:
    name: str
    estimated_minutes: int
    effort: int
    load: Load
    recurrence: str | None
    starts_on: date
    strategy: Strategy
    fixed_member_id: str | None
    # None: every active member, including members who join later.
    eligible_member_ids: tuple[str, ...] | None


def input_of(chore: Chore, eligible: list[str] | None) -> ChoreInput:
    return ChoreInput(
        name=chore.name,
        estimated_minutes=chore.estimated_minutes,
        effort=chore.effort,
        load=Load(chore.load),
        recurrence=chore.recurrence,
        starts_on=chore.starts_on,
        strategy=Strategy(chore.strategy),
        fixed_member_id=chore.fixed_member_id,
        eligible_member_ids=None if eligible is None else tuple(eligible),
    )


def eligible_of(session: Session, chores: list[Chore]) -> dict[str, list[str] | None]:
    """What each chore says about eligibility: its list, or None for everyone."""
    lists = eligible_lists(session, [c.id for c in chores if not c.everyone_eligible])
    return {c.id: None if c.everyone_eligible else lists[c.id] for c in chores}


def create_chore(
    session: Session,
    *,
    membership: Membership,
    data: ChoreInput,
    now: datetime,
    horizon_days: int | None = None,
) -> Chore:
    household = membership.household
    _check(session, household, data)
    chore = Chore(household_id=household.id, **_columns(data))
    session.add(chore)
    session.flush()
    _write_eligible(session, chore, data.eligible_member_ids)
    record(
        session,
        household_id=household.id,
        type=events.CHORE_CREATED,
        subject_id=chore.id,
        actor=membership.actor,
        data={"name": chore.name, "recurrence": chore.recurrence, "strategy": chore.strategy},
    )
    materialise_household(session, household=household, now=now, horizon_days=horizon_days)
    return chore


def update_chore(
    session: Session,
    *,
    membership: Membership,
    chore: Chore,
    data: ChoreInput,
    now: datetime,
    horizon_days: int | None = None,
) -> Chore:
    """Past, done and skipped occurrences keep what they were; when the schedule or the
    assignment changes, the open occurrences after today are planned afresh."""
    household = membership.household
    _check(session, household, data)
    before = asdict(input_of(chore, eligible_of(session, [chore])[chore.id]))
    changed = sorted(name for name, value in asdict(data).items() if before[name] != value)
    for column, value in _columns(data).items():
        setattr(chore, column, value)
    if "eligible_member_ids" in changed:
        _write_eligible(session, chore, data.eligible_member_ids)
    chore.updated_at = now
    chore.version += 1
    record(
        session,
        household_id=household.id,
        type=events.CHORE_UPDATED,
        subject_id=chore.id,
        actor=membership.actor,
        data={"fields": changed},
    )
    if _PLAN_FIELDS.intersection(changed):
        session.flush()
        replan_chore(session, household=household, chore=chore, now=now, horizon_days=horizon_days)
    return chore


def delete_chore(session: Session, *, membership: Membership, chore: Chore, now: datetime) -> None:
    """Archive, never erase: its open occurrences go, the ones done or skipped stay in the
    history that stats and fairness read. The chore is gone from the API (404)."""
    drop_open(session, chore=chore)
    chore.archived_at = now
    chore.version += 1
    record(
        session,
        household_id=chore.household_id,
        type=events.CHORE_DELETED,
        subject_id=chore.id,
        actor=membership.actor,
        data={"name": chore.name},
    )


def get_chore(session: Session, *, household_id: str, chore_id: str) -> Chore:
    chore = get_in_household(session, Chore, chore_id, household_id, what="chore")
    if chore.archived_at is not None:
        raise NotFound("chore not found")
    return chore


def chore_names(session: Session, *, household_id: str, chore_ids: set[str]) -> dict[str, str]:
    """The names of these chores of the household (not archived ones), in one query."""
    if not chore_ids:
        return {}
    rows = session.execute(
        select(col(Chore.id), col(Chore.name)).where(
            col(Chore.household_id) == household_id,
            col(Chore.id).in_(sorted(chore_ids)),
            col(Chore.archived_at).is_(None),
        )
    )
    return {chore_id: name for chore_id, name in rows}


def list_chores(
    session: Session, *, household_id: str, after: str | None, limit: int
) -> list[Chore]:
    query = select(Chore).where(
        col(Chore.household_id) == household_id, col(Chore.archived_at).is_(None)
    )
    return list(session.scalars(newest_id_first(query, col(Chore.id), after=after, limit=limit)))


def _check(session: Session, household: Household, data: ChoreInput) -> None:
    if data.recurrence is not None:
        validate_rrule(data.recurrence, data.starts_on, household.timezone)
    if data.eligible_member_ids is None:
        members = household_members(session, household.id).values()
        eligible = [member.id for member in members if member.active]
    else:
        eligible = list(data.eligible_member_ids)
        for index, member_id in enumerate(eligible):
            named_member(
                session,
                household_id=household.id,
                member_id=member_id,
                field=f"eligible_member_ids.{index}",
            )
    if data.fixed_member_id is not None:
        if data.strategy is not Strategy.FIXED:
            raise InvalidInput(
                "only a fixed assignment names a member", field="assignment.member_id"
            )
        named_member(
            session,
            household_id=household.id,
            member_id=data.fixed_member_id,
            field="assignment.member_id",
        )
    check_assignment(data.strategy, eligible=eligible, fixed_member=data.fixed_member_id)


def _columns(data: ChoreInput) -> dict[str, Any]:
    return {
        "name": data.name,
        "estimated_minutes": data.estimated_minutes,
        "effort": data.effort,
        "load": data.load.value,
        "recurrence": data.recurrence,
        "starts_on": data.starts_on,
        "strategy": data.strategy.value,
        "fixed_member_id": data.fixed_member_id,
        "everyone_eligible": data.eligible_member_ids is None,
    }


def _write_eligible(session: Session, chore: Chore, member_ids: tuple[str, ...] | None) -> None:
    session.execute(
        delete(ChoreEligibleMember).where(col(ChoreEligibleMember.chore_id) == chore.id)
    )
    for position, member_id in enumerate(member_ids or ()):
        session.add(ChoreEligibleMember(chore_id=chore.id, member_id=member_id, position=position))


def set_preference(
    session: Session,
    *,
    membership: Membership,
    chore: Chore,
    member: Member,
    preference: Preference,
) -> ChorePreference:
    """The member themself, or an admin for a managed member, says how they feel about it."""
    actor = acting_for(membership, member)
    row = session.get(ChorePreference, (chore.id, member.id))
    if row is None:
        row = ChorePreference(chore_id=chore.id, member_id=member.id, preference=preference.value)
        session.add(row)
    else:
        row.preference = preference.value
        row.version += 1
    record(
        session,
        household_id=chore.household_id,
        type=events.CHORE_PREFERENCE_UPDATED,
        subject_id=chore.id,
        actor=actor,
        data={"member_id": member.id, "preference": preference.value},
    )
    return row


def get_preference(session: Session, *, chore: Chore, member: Member) -> ChorePreference | None:
    return session.get(ChorePreference, (chore.id, member.id))


def list_preferences(
    session: Session, *, chore: Chore, after: str | None, limit: int
) -> list[ChorePreference]:
    query = select(ChorePreference).where(col(ChorePreference.chore_id) == chore.id)
    query = newest_id_first(query, col(ChorePreference.member_id), after=after, limit=limit)
    return list(session.scalars(query))
