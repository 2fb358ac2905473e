"""Pots: joint accounts or shared wallets the household pays expenses from."""

from fractions import Fraction
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status
from sqlalchemy.orm import Session

from api.deps import DbSession, Now, ReadHousehold, WriteHousehold
from api.etags import check_if_match, set_etag
from api.pagination import Page, Paging, page
from api.responses import errors
from api.schemas import pots as schemas
from api.schemas.pots import NO_NUL
from domain.households.models import Household
from domain.ledger.pots import service
from domain.ledger.pots.models import Pot

router = APIRouter(prefix="/v1/households/{household_id}/pots", tags=["pots"])
PotId = Annotated[str, Path(max_length=36, pattern=NO_NUL)]


def _render(pot: Pot, balance: int) -> schemas.Pot:
    return schemas.Pot(
        id=pot.id,
        name=pot.name,
        currency=pot.currency,
        archived=pot.archived,
        balance=balance,
        monthly_plan=[schemas.PlannedContribution(**m) for m in pot.monthly_plan]
        if pot.monthly_plan is not None
        else None,
        created_at=pot.created_at,
        updated_at=pot.updated_at,
    )


def _detail(session: Session, household: Household, pot: Pot) -> schemas.PotDetail:
    detail = service.pot_detail(session, household=household, pot=pot)
    members = [
        schemas.PotMember(
            member_id=m.member_id,
            contributed=m.contributed,
            held=m.held,
            paid=m.paid,
            contribution_share=_float(m.contribution_share),
            agreed_share=_float(m.agreed_share),
            deviation=_float(m.deviation),
        )
        for m in detail.members
    ]
    return schemas.PotDetail(
        **_render(pot, detail.balance).model_dump(),
        contributed=detail.contributed,
        spent=detail.spent,
        members=members,
    )


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.PotDetail,
    responses=errors(401, 403, 404, 409, 422),
)
def create_pot(
    body: schemas.PotCreate, membership: WriteHousehold, session: DbSession, response: Response
) -> schemas.PotDetail:
    """Open a joint account or shared wallet; the household's currency unless given."""
    household = membership.household
    pot = service.create_pot(
        session,
        household=household,
        actor=membership.actor,
        name=body.name,
        currency=body.currency or household.currency,
    )
    set_etag(response, pot.version)
    response.headers["Location"] = f"/v1/households/{household.id}/pots/{pot.id}"
    return _detail(session, household, pot)


@router.get("", response_model=Page[schemas.Pot], responses=errors(401, 403, 404, 422))
def list_pots(membership: ReadHousehold, session: DbSession, paging: Paging) -> Page[schemas.Pot]:
    """Newest first, archived ones too, each with its balance."""
    rows = service.list_pots(
        session, household_id=membership.household.id, after=paging.after, limit=paging.fetch
    )
    balances = service.balances_of(session, [p.id for p in rows])
    return page(rows, paging, lambda p: _render(p, balances[p.id]), lambda p: p.id)


@router.get("/{pot_id}", response_model=schemas.PotDetail, responses=errors(401, 403, 404))
def get_pot(
    pot_id: PotId, membership: ReadHousehold, session: DbSession, response: Response
) -> schemas.PotDetail:
    """Balance, spending, and per member: contributed, still held, paid through the pot,
    and their share of contributions against their agreed money share."""
    pot = service.get_pot(session, household_id=membership.household.id, pot_id=pot_id)
    set_etag(response, pot.version)
    return _detail(session, membership.household, pot)


@router.patch(
    "/{pot_id}",
    response_model=schemas.PotDetail,
    responses=errors(401, 403, 404, 409, 412, 422),
)
def update_pot(
    pot_id: PotId,
    body: schemas.PotUpdate,
    membership: WriteHousehold,
    session: DbSession,
    request: Request,
    response: Response,
    at: Now,
) -> schemas.PotDetail:
    """Rename, archive or unarchive; the currency only while the pot is unused."""
    pot = service.get_pot(session, household_id=membership.household.id, pot_id=pot_id)
    check_if_match(request, pot.version)
    service.update_pot(session, actor=membership.actor, pot=pot, changes=body.changes(), now=at)
    set_etag(response, pot.version)
    return _detail(session, membership.household, pot)


@router.delete(
    "/{pot_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 412),
)
def delete_pot(
    pot_id: PotId, membership: WriteHousehold, session: DbSession, request: Request, at: Now
) -> None:
    """Delete an unused pot. A pot with contributions or expenses is archived instead (its
    history stays, and GET shows `archived: true`)."""
    pot = service.get_pot(session, household_id=membership.household.id, pot_id=pot_id)
    check_if_match(request, pot.version)
    service.delete_pot(session, actor=membership.actor, pot=pot, now=at)
