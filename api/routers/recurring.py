"""Recurring expenses: a template with an RRULE; each occurrence becomes an expense once."""

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status

from api.deps import DbSession, Now, ReadHousehold, WriteHousehold
from api.etags import check_if_match, set_etag
from api.pagination import Page, Paging, page
from api.responses import errors
from api.routers.expenses import apply_patch, to_input
from api.schemas import ledger as schemas
from domain.ledger import recurring as service
from domain.ledger.models import RecurringExpense

router = APIRouter(
    prefix="/v1/households/{household_id}/recurring-expenses", tags=["recurring-expenses"]
)
RecurringId = Annotated[str, Path(max_length=36)]


def render(recurring: RecurringExpense) -> schemas.Recurring:
    t = service.template_of(recurring)
    return schemas.Recurring(
        id=recurring.id,
        description=t.description,
        amount=t.amount,
        currency=t.currency,
        paid_by=t.paid_by,
        payers=[schemas.MemberAmount(member_id=p.member_id, amount=p.amount) for p in t.payers]
        if t.payers is not None
        else None,
        paid_by_pot=t.paid_by_pot,
        split=schemas.SplitOut.of(t.split_method, recurring.template["participants"]),
        exchange_rate=str(t.exchange_rate) if t.exchange_rate is not None else None,
        category=t.category,
        notes=t.notes,
        rrule=recurring.rrule,
        starts_on=recurring.starts_on,
        ends_on=recurring.ends_on,
        active=recurring.active,
        created_at=recurring.created_at,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Recurring,
    responses=errors(401, 403, 404, 409, 422),
)
def create_recurring_expense(
    body: schemas.RecurringCreate,
    membership: WriteHousehold,
    session: DbSession,
    at: Now,
    response: Response,
) -> schemas.Recurring:
    """Occurrences up to today become expenses at once; later ones as they come due."""
    recurring = service.create_recurring(
        session,
        household=membership.household,
        actor=membership.actor,
        template=to_input(body, body.starts_on),
        rrule=body.rrule,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
    )
    service.materialise_due(session, household=membership.household, now=at)
    set_etag(response, recurring.version)
    return render(recurring)


@router.get("", response_model=Page[schemas.Recurring], responses=errors(401, 403, 404, 422))
def list_recurring_expenses(
    membership: ReadHousehold, session: DbSession, paging: Paging
) -> Page[schemas.Recurring]:
    rows = service.list_recurring(
        session, household_id=membership.household.id, after=paging.after, limit=paging.fetch
    )
    return page(rows, paging, render, lambda r: r.id)


@router.get("/{recurring_id}", response_model=schemas.Recurring, responses=errors(401, 403, 404))
def get_recurring_expense(
    recurring_id: RecurringId,
    membership: ReadHousehold,
    session: DbSession,
    response: Response,
) -> schemas.Recurring:
    recurring = service.get_recurring(
        session, household_id=membership.household.id, recurring_id=recurring_id
    )
    set_etag(response, recurring.version)
    return render(recurring)


@router.patch(
    "/{recurring_id}",
    response_model=schemas.Recurring,
    responses=errors(401, 403, 404, 409, 412, 422),
)
def update_recurring_expense(
    recurring_id: RecurringId,
    body: schemas.RecurringUpdate,
    membership: WriteHousehold,
    session: DbSession,
    request: Request,
    response: Response,
    at: Now,
) -> schemas.Recurring:
    """Changes apply to occurrences not yet made; expenses already made stay as they are."""
    recurring = service.get_recurring(
        session, household_id=membership.household.id, recurring_id=recurring_id
    )
    check_if_match(request, recurring.version)
    # Occurrences already due were due under the old template: make them before changing it.
    service.materialise_due(session, household=membership.household, now=at)
    changes = body.changes()
    starts_on = changes.get("starts_on", recurring.starts_on)
    template = replace(apply_patch(service.template_of(recurring), body), date=starts_on)
    service.update_recurring(
        session,
        household=membership.household,
        actor=membership.actor,
        recurring=recurring,
        template=template,
        rrule=changes.get("rrule", recurring.rrule),
        starts_on=starts_on,
        ends_on=changes.get("ends_on", recurring.ends_on),
        active=changes.get("active", recurring.active),
    )
    service.materialise_due(session, household=membership.household, now=at)
    set_etag(response, recurring.version)
    return render(recurring)


@router.delete(
    "/{recurring_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 412),
)
def delete_recurring_expense(
    recurring_id: RecurringId,
    membership: WriteHousehold,
    session: DbSession,
    request: Request,
    at: Now,
) -> None:
    """Stop the template; the expenses it already made stay in the ledger."""
    recurring = service.get_recurring(
        session, household_id=membership.household.id, recurring_id=recurring_id
    )
    check_if_match(request, recurring.version)
    service.materialise_due(session, household=membership.household, now=at)
    service.delete_recurring(session, actor=membership.actor, recurring=recurring)
