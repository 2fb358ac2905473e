"""The agreement in force: stored versions, their terms as JSON, the checks an agreement
must pass for a household, and what the ledger and the chores read from it.

Before a household's first version, the default agreement applies (equal money, equal
time, every multiplier 1, monthly, 5% tolerance): version 0.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity import events
from domain.activity.service import Actor, record
from domain.agreement.models import AgreementVersion
from domain.agreement.terms import (
    Agreement,
    Load,
    MoneyTarget,
    Period,
    TimeTarget,
    money_targets,
    time_targets,
)
from domain.errors import InvalidInput
from domain.households.incomes import incomes_on
from domain.households.models import Household, Member

DEFAULT = Agreement()


@dataclass(frozen=True)
class Version:
    number: int
    effective_from: date | None
    agreement: Agreement


def terms_of(agreement: Agreement) -> dict[str, Any]:
    """The agreement as JSON, fractions as exact "n/d" text."""
    return {
        "money": {"target": agreement.money.value, "weights": _text(agreement.money_weights)},
        "time": {"target": agreement.time.value, "weights": _text(agreement.time_weights)},
        "weights": {
            "effort": _text({str(k): v for k, v in agreement.effort_multipliers.items()}),
            "load": _text({k.value: v for k, v in agreement.load_multipliers.items()}),
        },
        "hour_value": agreement.hour_value,
        "period": agreement.period.value,
        "tolerance": str(agreement.tolerance),
        "dimension_weights": _text(agreement.dimension_weights),
    }


def agreement_of(terms: Mapping[str, Any]) -> Agreement:
    return Agreement(
        money=MoneyTarget(terms["money"]["target"]),
        money_weights=_fractions(terms["money"]["weights"]),
        time=TimeTarget(terms["time"]["target"]),
        time_weights=_fractions(terms["time"]["weights"]),
        effort_multipliers={int(k): v for k, v in _fractions(terms["weights"]["effort"]).items()},
        load_multipliers={Load(k): v for k, v in _fractions(terms["weights"]["load"]).items()},
        hour_value=terms["hour_value"],
        period=Period(terms["period"]),
        tolerance=Fraction(terms["tolerance"]),
        dimension_weights=_fractions(terms["dimension_weights"]),
    )


def _text(table: Mapping[str, Fraction]) -> dict[str, str]:
    return {key: str(value) for key, value in table.items()}


def _fractions(table: Mapping[str, str]) -> dict[str, Fraction]:
    return {key: Fraction(value) for key, value in table.items()}


def versions(session: Session, household_id: str) -> list[Version]:
    """Every version, oldest first."""
    rows = session.execute(
        select(
            col(AgreementVersion.number),
            col(AgreementVersion.effective_from),
            col(AgreementVersion.terms),
        )
        .where(col(AgreementVersion.household_id) == household_id)
        .order_by(col(AgreementVersion.number))
    )
    return [Version(number, since, agreement_of(terms)) for number, since, terms in rows]


def version_on(history: Sequence[Version], day: date | None) -> Version:
    """The version in force on `day` (the latest one when `day` is None)."""
    found = Version(0, None, DEFAULT)
    for version in history:
        if day is None or (version.effective_from is not None and version.effective_from <= day):
            found = version
    return found


def in_force(session: Session, household_id: str, day: date | None) -> Version:
    return version_on(versions(session, household_id), day)


def multipliers_on(
    session: Session, household_id: str, day: date | None
) -> tuple[dict[int, Fraction], dict[Load, Fraction]]:
    """The effort and load multipliers chores are weighed with on `day`."""
    agreement = in_force(session, household_id, day).agreement
    return dict(agreement.effort_multipliers), dict(agreement.load_multipliers)


def money_split_weights(
    session: Session,
    household_id: str,
    members: Sequence[Member],
    on: date | None,
    *,
    history: Sequence[Version] | None = None,
) -> dict[str, Fraction]:
    """The `agreement` split method's weights for these (active) members on `on`; with the
    household's `history` (`versions`) already read, only income targets read more."""
    if history is None:
        history = versions(session, household_id)
    agreement = version_on(history, on).agreement
    household = session.get_one(Household, household_id)
    try:
        return money_targets(
            agreement,
            [m.id for m in members],
            incomes=_incomes(session, agreement, household, members, on),
        )
    except InvalidInput as exc:
        raise InvalidInput(
            f"the household agreement cannot split this: {exc.detail}; give a split, or "
            "change the agreement",
            field="split.method",
        ) from exc


def _incomes(
    session: Session,
    agreement: Agreement,
    household: Household,
    members: Sequence[Member],
    on: date | None,
) -> dict[str, int | None]:
    """Monthly incomes in force on `on`, read only for income targets (private ones too:
    they count, unseen). One in another currency than the household's cannot be compared:
    refused."""
    if agreement.money is not MoneyTarget.INCOME:
        return {}
    known = incomes_on(session, members, on)
    out: dict[str, int | None] = {}
    for m in members:
        income = known.get(m.id)
        if income is not None and income[1] != household.currency:
            raise InvalidInput(
                f"{m.display_name}'s income is in {income[1]}, not the "
                f"household's {household.currency}",
                field="money.target",
            )
        out[m.id] = income[0] if income is not None else None
    return out


def active_members(session: Session, household_id: str) -> list[Member]:
    query = select(Member).where(
        col(Member.household_id) == household_id, col(Member.active).is_(True)
    )
    return list(session.scalars(query.order_by(Member.id)))


def check_for(session: Session, household: Household, agreement: Agreement) -> None:
    """An agreement the household can live by: custom weights name its active members and
    give someone a share, income targets have every income, capacity every week's time."""
    members = active_members(session, household.id)
    ids = [m.id for m in members]
    for label, weights in (("money", agreement.money_weights), ("time", agreement.time_weights)):
        for member_id in weights:
            if member_id not in ids:
                raise InvalidInput(
                    f"{member_id} is not an active member of this household",
                    field=f"{label}.weights",
                )
    capacity = {m.id: m.weekly_available_minutes for m in members}
    try:
        money_targets(
            agreement, ids, incomes=_incomes(session, agreement, household, members, None)
        )
    except InvalidInput as exc:
        raise InvalidInput(exc.detail, field=_within("money", exc.field)) from exc
    try:
        time_targets(agreement, ids, capacity=capacity)
    except InvalidInput as exc:
        raise InvalidInput(exc.detail, field=_within("time", exc.field)) from exc


def _within(label: str, field: str | None) -> str:
    """An error's field under `money.` or `time.`: the weights when it names none."""
    return field if field and field.startswith(label) else f"{label}.weights"


def apply(
    session: Session,
    *,
    household: Household,
    agreement: Agreement,
    actor: Actor,
    today: date,
    proposal_id: str | None = None,
) -> Version:
    """Store the next version, in force from `today`, and say so: `agreement.updated`."""
    number = (
        session.scalar(
            select(func.max(col(AgreementVersion.number))).where(
                col(AgreementVersion.household_id) == household.id
            )
        )
        or 0
    ) + 1
    row = AgreementVersion(
        household_id=household.id,
        number=number,
        effective_from=today,
        terms=terms_of(agreement),
        proposal_id=proposal_id,
        created_by_member_id=actor.member_id,
    )
    session.add(row)
    session.flush()
    record(
        session,
        household_id=household.id,
        type=events.AGREEMENT_UPDATED,
        subject_id=household.id,
        actor=actor,
        data={
            "version": number,
            "effective_from": today.isoformat(),
            "proposal_id": proposal_id,
        },
    )
    return Version(number, today, agreement)
