"""What members put into a pot, or take out of it."""

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from api.deps import DbSession, ReadHousehold, WriteHousehold
from api.etags import set_etag
from api.pagination import Page, Paging, date_after, date_key, page
from api.responses import errors
from api.schemas import pots as schemas
from api.schemas.pots import NO_NUL
from domain.ledger.pots import contributions as service
from domain.ledger.pots.models import PotContribution
from domain.ledger.pots.service import get_pot

router = APIRouter(
    prefix="/v1/households/{household_id}/pots/{pot_id}/contributions", tags=["pot-contributions"]
)
PotId = Annotated[str, Path(max_length=36, pattern=NO_NUL)]


def render(contribution: PotContribution, currency: str) -> schemas.PotContribution:
    return schemas.PotContribution.model_validate(
        {**contribution.model_dump(), "currency": currency}
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.PotContribution,
    responses=errors(401, 403, 404, 409, 422),
)
def create_pot_contribution(
    pot_id: PotId,
    body: schemas.PotContributionCreate,
    membership: WriteHousehold,
    session: DbSession,
    response: Response,
) -> schemas.PotContribution:
    """Money a member put into the pot, or (negative, with a note) took out of it. It stays
    theirs until the pot pays an expense with it, so balances do not change."""
    household = membership.household
    pot = get_pot(session, household_id=household.id, pot_id=pot_id)
    contribution = service.create_contribution(
        session,
        household=household,
        actor=membership.actor,
        pot=pot,
        data=service.ContributionInput(
            member_id=body.member_id,
            amount=body.amount,
            currency=body.currency,
            date=body.date,
            note=body.note,
            exchange_rate=Decimal(body.exchange_rate) if body.exchange_rate else None,
        ),
    )
    set_etag(response, contribution.version)
    response.headers["Location"] = (
        f"/v1/households/{household.id}/pots/{pot.id}/contributions/{contribution.id}"
    )
    return render(contribution, pot.currency)


@router.get("", response_model=Page[schemas.PotContribution], responses=errors(401, 403, 404, 422))
def list_pot_contributions(
    pot_id: PotId,
    membership: ReadHousehold,
    session: DbSession,
    paging: Paging,
    member_id: Annotated[str | None, Query(max_length=36, pattern=NO_NUL)] = None,
) -> Page[schemas.PotContribution]:
    """Newest first by date; `member_id` keeps one member's."""
    pot = get_pot(session, household_id=membership.household.id, pot_id=pot_id)
    rows = service.list_contributions(
        session, pot=pot, member_id=member_id, after=date_after(paging), limit=paging.fetch
    )
    return page(rows, paging, lambda c: render(c, pot.currency), lambda c: date_key(c.date, c.id))
