"""An amount in another currency, in the household's: converted once, half-even, at the
request's rate or the household's rate table for the day."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from domain.errors import InvalidInput
from domain.households.models import Household
from domain.ledger.models import ExchangeRate
from domain.ledger.pots.models import Pot
from domain.money import convert

MAX_MINOR_UNITS = 10**15


@dataclass(frozen=True)
class Converted:
    amount: int
    rate: Decimal | None
    pot: Pot | None = None
    pot_amount: int | None = None  # in the pot's currency


def to_household_currency(
    session: Session,
    *,
    household: Household,
    amount: int,
    currency: str,
    rate: Decimal | None,
    on: date,
) -> Converted:
    """Convert once, half-even; the rate comes from the request or the household's table."""
    if currency == household.currency:
        if rate is not None:
            raise InvalidInput(
                f"exchange_rate applies only to amounts not in {household.currency}",
                field="exchange_rate",
            )
        return Converted(amount, None)
    if rate is None:
        stored = session.get(ExchangeRate, (household.id, currency, on))
        if stored is None:
            raise InvalidInput(
                f"{currency} is not the household's currency ({household.currency}): give "
                f"exchange_rate, or PUT a {currency} rate for {on.isoformat()}",
                field="exchange_rate",
            )
        rate = Decimal(stored.rate)
    converted = convert(amount, currency, rate, household.currency)
    if abs(converted) > MAX_MINOR_UNITS:
        raise InvalidInput(
            f"{amount} {currency} at {rate} is {converted} {household.currency}, over the "
            f"limit of {MAX_MINOR_UNITS} minor units",
            field="amount",
        )
    return Converted(converted, rate)
