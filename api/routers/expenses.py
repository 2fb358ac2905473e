"""Expenses: create with any split, list with filters, read, change, delete."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response, status
from sqlalchemy.orm import Session

from api.deps import DbSession, LedgerHousehold, Now, ReadHousehold, WriteHousehold
from api.etags import check_if_match, set_etag
from api.pagination import Page, Paging, date_after, date_key, encode_cursor
from api.rendered import Rendered
from api.responses import errors
from api.revalidation import NOT_MODIFIED, Revalidated
from api.schemas import ledger as schemas
from api.schemas.common import Day
from domain.ledger import expenses as service
from domain.ledger.expense_input import ExpenseInput, input_of
from domain.ledger.models import Expense
from domain.ledger.splitting import Participant, SplitMethod
from domain.ledger.values import MemberAmount

router = APIRouter(prefix="/v1/households/{household_id}/expenses", tags=["expenses"])
ExpenseId = Annotated[str, Path(max_length=36)]
_PAGE = Rendered(Page[schemas.Expense])


def to_input(body: schemas.ExpenseFields, on: date) -> ExpenseInput:
    return ExpenseInput(
        description=body.description,
        amount=body.amount,
        currency=body.currency,
        date=on,
        paid_by=body.paid_by,
        payers=_payers(body.payers),
        paid_by_pot=body.paid_by_pot,
        exchange_rate=_rate(body.exchange_rate),
        category=body.category,
        notes=body.notes,
        **_split(body.split),
    )


def render_many(session: Session, expenses: Sequence[Expense]) -> list[schemas.Expense]:
    shares, payers = service.parts_of(session, [e.id for e in expenses])
    return [_render(e, shares[e.id], payers[e.id]) for e in expenses]


def render(session: Session, expense: Expense) -> schemas.Expense:
    return render_many(session, [expense])[0]


def _render(
    expense: Expense, shares: list[MemberAmount], payers: list[MemberAmount]
) -> schemas.Expense:
    return schemas.Expense(
        id=expense.id,
        description=expense.description,
        amount=expense.amount,
        currency=expense.currency,
        original_amount=expense.original_amount,
        original_currency=expense.original_currency,
        exchange_rate=expense.exchange_rate,
        date=expense.date,
        paid_by=payers[0].member_id if len(payers) == 1 and expense.pot_id is None else None,
        payers=[schemas.MemberAmount(member_id=p.member_id, amount=p.amount) for p in payers],
        paid_by_pot=expense.pot_id,
        split=schemas.SplitOut.of(expense.split_method, expense.split_participants),
        shares=[schemas.MemberAmount(member_id=s.member_id, amount=s.amount) for s in shares],
        category=expense.category,
        notes=expense.notes,
        recurring_id=expense.recurring_id,
        created_at=expense.created_at,
        updated_at=expense.updated_at,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Expense,
    responses=errors(401, 403, 404, 409, 422),
)
def create_expense(
    body: schemas.ExpenseCreate,
    membership: WriteHousehold,
    session: DbSession,
    response: Response,
) -> schemas.Expense:
    """Record a shared expense; its shares are computed once and stored with it."""
    expense = service.create_expense(
        session,
        household=membership.household,
        actor=membership.actor,
        data=to_input(body, body.date),
    )
    set_etag(response, expense.version)
    response.headers["Location"] = f"/v1/households/{expense.household_id}/expenses/{expense.id}"
    return render(session, expense)


@router.get(
    "", response_model=Page[schemas.Expense], responses=errors(401, 403, 404, 422) | NOT_MODIFIED
)
def list_expenses(
    membership: LedgerHousehold,
    session: DbSession,
    response: Response,
    paging: Paging,
    _etag: Revalidated,
    from_: Annotated[Day | None, Query(alias="from")] = None,
    to: Day | None = None,
    paid_by: Annotated[str | None, Query(max_length=36)] = None,
    category: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """Newest first by date. Recurring expenses that have come due are materialised first."""
    rows = service.listed_expenses(
        session,
        household_id=membership.household.id,
        date_from=from_,
        date_to=to,
        paid_by=paid_by,
        category=category,
        after=date_after(paging),
        limit=paging.fetch,
    )
    shown = rows[: paging.limit]
    more = len(rows) > paging.limit
    shares, payers = service.parts_of(session, [e.id for e in shown])
    answer = {
        "data": [_listed(e, shares[e.id], payers[e.id]) for e in shown],
        "next_cursor": encode_cursor(date_key(shown[-1].date, shown[-1].id))
        if more and shown
        else None,
    }
    return _PAGE.response(answer, headers_from=response)


def _listed(row: Any, shares: list[MemberAmount], payers: list[MemberAmount]) -> dict[str, Any]:
    """One expense of a page as `_render` shows it, from a plain row of `service.LISTED`."""
    return {
        "id": row.id,
        "description": row.description,
        "amount": row.amount,
        "currency": row.currency,
        "original_amount": row.original_amount,
        "original_currency": row.original_currency,
        "exchange_rate": row.exchange_rate,
        "date": row.date,
        "paid_by": payers[0].member_id if len(payers) == 1 and row.pot_id is None else None,
        "payers": [{"member_id": p.member_id, "amount": p.amount} for p in payers],
        "paid_by_pot": row.pot_id,
        "split": {
            "method": row.split_method,
            "participants": [
                {**p, "percent": float(Decimal(p["percent"]))} if "percent" in p else p
                for p in row.split_participants
            ],
        },
        "shares": [{"member_id": s.member_id, "amount": s.amount} for s in shares],
        "category": row.category,
        "notes": row.notes,
        "recurring_id": row.recurring_id,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


@router.get("/{expense_id}", response_model=schemas.Expense, responses=errors(401, 403, 404))
def get_expense(
    expense_id: ExpenseId, membership: ReadHousehold, session: DbSession, response: Response
) -> schemas.Expense:
    expense = service.get_expense(
        session, household_id=membership.household.id, expense_id=expense_id
    )
    set_etag(response, expense.version)
    return render(session, expense)


def _payers(payers: list[schemas.PayerIn] | None) -> list[MemberAmount] | None:
    return None if payers is None else [MemberAmount(p.member_id, p.amount) for p in payers]


def _split(split: schemas.SplitIn | None) -> dict[str, Any]:
    split = split or schemas.SplitIn(method=SplitMethod.AGREEMENT)
    return {
        "split_method": split.method,
        "participants": [
            Participant(p.member_id, shares=p.shares, percent=p.percent_decimal(), amount=p.amount)
            for p in split.participants
        ],
    }


def _rate(rate: str | None) -> Decimal | None:
    return Decimal(rate) if rate is not None else None


def apply_patch(current: ExpenseInput, body: schemas.ExpenseFieldsPatch) -> ExpenseInput:
    changes = body.changes()
    out: dict[str, Any] = {
        name: changes[name]
        for name in ("description", "amount", "currency", "date", "category", "notes")
        if name in changes
    }
    if "paid_by" in changes or "payers" in changes or "paid_by_pot" in changes:
        out["paid_by"] = body.paid_by
        out["payers"] = _payers(body.payers)
        out["paid_by_pot"] = body.paid_by_pot
    if "split" in changes:
        out |= _split(body.split)
    if "exchange_rate" in changes:
        out["exchange_rate"] = _rate(body.exchange_rate)
    elif "currency" in changes:
        out["exchange_rate"] = None
    return replace(current, **out)


@router.patch(
    "/{expense_id}",
    response_model=schemas.Expense,
    responses=errors(401, 403, 404, 409, 412, 422),
)
def update_expense(
    expense_id: ExpenseId,
    body: schemas.ExpenseUpdate,
    membership: WriteHousehold,
    session: DbSession,
    request: Request,
    response: Response,
    at: Now,
) -> schemas.Expense:
    """Change any field; shares are recomputed from the new values."""
    expense = service.get_expense(
        session, household_id=membership.household.id, expense_id=expense_id
    )
    check_if_match(request, expense.version)
    data = apply_patch(input_of(expense), body)
    service.update_expense(
        session,
        household=membership.household,
        actor=membership.actor,
        expense=expense,
        data=data,
        now=at,
    )
    set_etag(response, expense.version)
    return render(session, expense)


@router.delete(
    "/{expense_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 412),
)
def delete_expense(
    expense_id: ExpenseId, membership: WriteHousehold, session: DbSession, request: Request
) -> None:
    expense = service.get_expense(
        session, household_id=membership.household.id, expense_id=expense_id
    )
    check_if_match(request, expense.version)
    service.delete_expense(session, actor=membership.actor, expense=expense)
