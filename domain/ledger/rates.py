"""The household's exchange-rate table: its own rates, by currency and day."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.activity import events
from domain.activity.service import Actor, record
from domain.errors import InvalidInput
from domain.households.models import Household
from domain.ledger.models import ExchangeRate


def put_rates(
    session: Session,
    *,
    household: Household,
    actor: Actor,
    rates: Sequence[tuple[str, date, Decimal]],
) -> list[ExchangeRate]:
    """Insert or replace each (currency, day) rate; all or nothing."""
    seen: set[tuple[str, date]] = set()
    written = []
    for index, (currency, day, rate) in enumerate(rates):
        if currency == household.currency:
            raise InvalidInput(
                f"{currency} is the household's own currency", field=f"rates.{index}.currency"
            )
        if not rate.is_finite() or rate <= 0:
            raise InvalidInput(f"rate {rate} must be greater than 0", field=f"rates.{index}.rate")
        if (currency, day) in seen:
            raise InvalidInput(
                f"{currency} on {day.isoformat()} is given twice", field=f"rates.{index}"
            )
        seen.add((currency, day))
        row = session.get(ExchangeRate, (household.id, currency, day))
        if row is None:
            row = ExchangeRate(household_id=household.id, currency=currency, date=day, rate="")
            session.add(row)
        row.rate = str(rate)
        written.append(row)
    record(
        session,
        household_id=household.id,
        type=events.EXCHANGE_RATES_UPDATED,
        subject_id=household.id,
        actor=actor,
        data={"count": len(written)},
    )
    return written


def list_rates(
    session: Session,
    *,
    household_id: str,
    currency: str | None,
    date_from: date | None,
    date_to: date | None,
    limit: int,
) -> list[ExchangeRate]:
    query = select(ExchangeRate).where(col(ExchangeRate.household_id) == household_id)
    if currency is not None:
        query = query.where(col(ExchangeRate.currency) == currency)
    if date_from is not None:
        query = query.where(col(ExchangeRate.date) >= date_from)
    if date_to is not None:
        query = query.where(col(ExchangeRate.date) <= date_to)
    query = query.order_by(col(ExchangeRate.date).desc(), col(ExchangeRate.currency)).limit(limit)
    return list(session.scalars(query))
