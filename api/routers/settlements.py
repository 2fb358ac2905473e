"""Settlements between members, balances and the settle-up plan."""

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from api.deps import (
    DbSession,
    LedgerHousehold,
    Now,
    ReadHousehold,
    WriteHousehold,
    write_apart,
)
from api.etags import set_etag
from api.pagination import Page, Paging, page
from api.rendered import Rendered
from api.responses import errors
from api.revalidation import NOT_MODIFIED, Revalidated
from api.schemas import ledger as schemas
from domain.ledger import settlements as service
from domain.ledger.models import Settlement

router = APIRouter(prefix="/v1/households/{household_id}", tags=["settlements"])
_BALANCES = Rendered(schemas.Balances)
_SETTLE_UP = Rendered(schemas.SettleUp)


def render(settlement: Settlement) -> schemas.Settlement:
    return schemas.Settlement.model_validate(settlement, from_attributes=True)


@router.post(
    "/settlements",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Settlement,
    responses=errors(401, 403, 404, 409, 422),
)
def create_settlement(
    body: schemas.SettlementCreate,
    membership: WriteHousehold,
    session: DbSession,
    response: Response,
) -> schemas.Settlement:
    """Record a payment from one member to another (paying a suggested transfer, say)."""
    settlement = service.create_settlement(
        session,
        household=membership.household,
        actor=membership.actor,
        data=service.SettlementInput(
            from_member_id=body.from_member_id,
            to_member_id=body.to_member_id,
            amount=body.amount,
            currency=body.currency,
            date=body.date,
            note=body.note,
            exchange_rate=Decimal(body.exchange_rate) if body.exchange_rate else None,
        ),
    )
    set_etag(response, settlement.version)
    response.headers["Location"] = (
        f"/v1/households/{settlement.household_id}/settlements/{settlement.id}"
    )
    return render(settlement)


@router.get(
    "/settlements",
    response_model=Page[schemas.Settlement],
    responses=errors(401, 403, 404, 422) | NOT_MODIFIED,
)
def list_settlements(
    membership: ReadHousehold,
    session: DbSession,
    paging: Paging,
    _etag: Revalidated,
    member_id: Annotated[str | None, Query(max_length=36)] = None,
) -> Page[schemas.Settlement]:
    """Newest first; `member_id` keeps those the member sent or received."""
    rows = service.list_settlements(
        session,
        household_id=membership.household.id,
        member_id=member_id,
        after=paging.after,
        limit=paging.fetch,
    )
    return page(rows, paging, render, lambda s: s.id)


@router.get(
    "/settlements/{settlement_id}",
    response_model=schemas.Settlement,
    responses=errors(401, 403, 404),
)
def get_settlement(
    settlement_id: Annotated[str, Path(max_length=36)],
    membership: ReadHousehold,
    session: DbSession,
    response: Response,
) -> schemas.Settlement:
    settlement = service.get_settlement(
        session, household_id=membership.household.id, settlement_id=settlement_id
    )
    set_etag(response, settlement.version)
    return render(settlement)


@router.get(
    "/balances", response_model=schemas.Balances, responses=errors(401, 403, 404) | NOT_MODIFIED
)
def get_balances(
    membership: LedgerHousehold, session: DbSession, response: Response, _etag: Revalidated
) -> Response:
    """Per member: paid, owed (their shares) and net; the nets always sum to zero."""
    rows = service.balances(session, household_id=membership.household.id)
    answer = {
        "currency": membership.household.currency,
        "data": [
            {"member_id": b.member_id, "paid": b.paid, "owed": b.owed, "net": b.net} for b in rows
        ],
    }
    return _BALANCES.response(answer, headers_from=response)


@router.get(
    "/settle-up", response_model=schemas.SettleUp, responses=errors(401, 403, 404) | NOT_MODIFIED
)
def get_settle_up(
    membership: LedgerHousehold,
    session: DbSession,
    request: Request,
    response: Response,
    at: Now,
    _etag: Revalidated,
) -> Response:
    """The fewest transfers that clear every balance. Stable: paying one suggested transfer
    leaves the others exactly as they were."""
    household_id = membership.household.id
    plan, changed = service.current_plan(session, household_id=household_id)
    if changed:
        # Only a plan that changed is stored, in a write transaction of its own: a poll that
        # finds the same plan never queues for SQLite's write lock.
        with write_apart(request) as writing:
            plan = service.settle_up_plan(writing, household_id=household_id, now=at)
    currency = membership.household.currency
    answer = {
        "transfers": [
            {
                "from_member_id": t.from_member_id,
                "to_member_id": t.to_member_id,
                "amount": t.amount,
                "currency": currency,
            }
            for t in plan.transfers
        ],
        "exact": plan.exact,
        "currency": currency,
    }
    return _SETTLE_UP.response(answer, headers_from=response)
