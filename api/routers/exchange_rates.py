"""The household's own exchange-rate table."""

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import DbSession, ReadHousehold, WriteHousehold
from api.responses import errors
from api.schemas import ledger as schemas
from api.schemas.common import Currency, Day
from domain.ledger import rates as service
from domain.ledger.models import ExchangeRate

router = APIRouter(prefix="/v1/households/{household_id}/exchange-rates", tags=["exchange-rates"])


def _render(base: str, rows: list[ExchangeRate]) -> schemas.ExchangeRates:
    return schemas.ExchangeRates(
        base_currency=base,
        data=[schemas.ExchangeRate(currency=r.currency, date=r.date, rate=r.rate) for r in rows],
    )


@router.get("", response_model=schemas.ExchangeRates, responses=errors(401, 403, 404, 422))
def list_exchange_rates(
    membership: ReadHousehold,
    session: DbSession,
    currency: Annotated[Currency | None, Query()] = None,
    from_: Annotated[Day | None, Query(alias="from")] = None,
    to: Day | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> schemas.ExchangeRates:
    """Rates in household currency per unit, newest day first."""
    rows = service.list_rates(
        session,
        household_id=membership.household.id,
        currency=currency,
        date_from=from_,
        date_to=to,
        limit=limit,
    )
    return _render(membership.household.currency, rows)


@router.put("", response_model=schemas.ExchangeRates, responses=errors(401, 403, 404, 422))
def put_exchange_rates(
    body: schemas.RatesPut, membership: WriteHousehold, session: DbSession
) -> schemas.ExchangeRates:
    """Set rates by currency and day (replacing any for the same day). Used by expenses in
    that currency on that day that give no `exchange_rate` of their own."""
    rows = service.put_rates(
        session,
        household=membership.household,
        actor=membership.actor,
        rates=[(r.currency, r.date, Decimal(r.rate)) for r in body.rates],
    )
    return _render(membership.household.currency, rows)
