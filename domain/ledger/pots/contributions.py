"""Contributions into a pot (negative: withdrawals): validated, converted, replayed, stored.

A contribution is not a payment between members: the money stays its contributor's until
the pot pays an expense with it, so contributions alone leave every balance unchanged.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity import events
from domain.activity.service import Actor, record
from domain.errors import InvalidInput
from domain.households.members import check_members, household_members
from domain.households.models import Household
from domain.ledger.conversion import MAX_MINOR_UNITS
from domain.ledger.models import ExchangeRate
from domain.ledger.pots.models import Pot, PotContribution
from domain.ledger.pots.timeline import check_open, lock_pots, reallocate
from domain.money import convert
from domain.paging import newest_first


@dataclass(frozen=True)
class ContributionInput:
    member_id: str
    amount: int
    currency: str
    date: date
    note: str | None = None
    exchange_rate: Decimal | None = None  # pot currency per unit of `currency`


def create_contribution(
    session: Session,
    *,
    household: Household,
    actor: Actor,
    pot: Pot,
    data: ContributionInput,
) -> PotContribution:
    lock_pots(session, [pot.id])  # before the insert below refers to it
    check_open(pot)
    if data.amount == 0:
        raise InvalidInput("a contribution of 0 moves nothing", field="amount")
    if data.amount < 0 and not (data.note or "").strip():
        raise InvalidInput("a withdrawal needs a note saying what it was for", field="note")
    check_members(household_members(session, household.id), [data.member_id], "member_id", key="")
    in_pot = in_pot_currency(session, household=household, pot=pot, data=data)
    contribution = PotContribution(
        household_id=household.id,
        pot_id=pot.id,
        member_id=data.member_id,
        amount=in_pot,
        household_amount=_in_household_currency(session, household, pot, data, in_pot),
        original_amount=data.amount,
        original_currency=data.currency,
        exchange_rate=str(data.exchange_rate) if data.exchange_rate is not None else None,
        date=data.date,
        note=data.note,
        created_by_member_id=actor.member_id,
    )
    session.add(contribution)
    reallocate(session, pot, since=contribution.date)
    record(
        session,
        household_id=household.id,
        type=events.POT_CONTRIBUTION_ADDED,
        subject_id=contribution.id,
        actor=actor,
        data={
            "pot_id": pot.id,
            "member_id": contribution.member_id,
            "amount": contribution.amount,
            "currency": pot.currency,
            "date": contribution.date.isoformat(),
        },
    )
    return contribution


def in_pot_currency(
    session: Session, *, household: Household, pot: Pot, data: ContributionInput
) -> int:
    """The amount in the pot's currency: as given, or at the request's rate, or (for a
    pot in the household's currency) at the household's rate for that day."""
    if data.currency == pot.currency:
        if data.exchange_rate is not None:
            raise InvalidInput(
                f"exchange_rate applies only to amounts not in the pot's {pot.currency}",
                field="exchange_rate",
            )
        return data.amount
    rate = data.exchange_rate
    if rate is None and pot.currency == household.currency:
        rate = _table_rate(session, household, data.currency, data.date)
    if rate is None:
        raise InvalidInput(
            f"{data.currency} is not the pot's currency ({pot.currency}): give exchange_rate "
            f"({pot.currency} per {data.currency})",
            field="exchange_rate",
        )
    return _bounded(convert(data.amount, data.currency, rate, pot.currency))


def _in_household_currency(
    session: Session, household: Household, pot: Pot, data: ContributionInput, in_pot: int
) -> int:
    if pot.currency == household.currency:
        return in_pot
    if data.currency == household.currency:
        return data.amount
    rate = _table_rate(session, household, pot.currency, data.date)
    if rate is None:
        raise InvalidInput(
            f"the pot is in {pot.currency}: PUT a {pot.currency} rate for "
            f"{data.date.isoformat()} so the contribution can be counted in "
            f"{household.currency}",
            field="date",
        )
    return _bounded(convert(in_pot, pot.currency, rate, household.currency))


def _table_rate(session: Session, household: Household, currency: str, on: date) -> Decimal | None:
    stored = session.get(ExchangeRate, (household.id, currency, on))
    return Decimal(stored.rate) if stored is not None else None


def _bounded(amount: int) -> int:
    if amount == 0 or abs(amount) > MAX_MINOR_UNITS:
        raise InvalidInput(
            f"converted, that is {amount} minor units: not between 1 and {MAX_MINOR_UNITS}",
            field="amount",
        )
    return amount


def list_contributions(
    session: Session,
    *,
    pot: Pot,
    member_id: str | None,
    after: tuple[date, str] | None,
    limit: int,
) -> list[PotContribution]:
    """Newest first by date; the cursor is the last (date, id) seen."""
    query = select(PotContribution).where(col(PotContribution.pot_id) == pot.id)
    if member_id is not None:
        query = query.where(col(PotContribution.member_id) == member_id)
    query = newest_first(query, PotContribution.date, PotContribution.id, after=after, limit=limit)
    return list(session.scalars(query))
