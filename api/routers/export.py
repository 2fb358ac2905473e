"""Export of the ledger as CSV or JSON, one row per expense with a share per member."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import DbSession, Now, ReadHousehold, writes_on_read
from api.responses import errors
from api.routers.expenses import render_many
from api.schemas import ledger as schemas
from api.schemas.common import Day
from domain.households.members import household_members
from domain.ledger import expenses as service
from domain.ledger.export import ExportRow, to_csv
from domain.ledger.recurring import materialise_due
from domain.ledger.values import MemberAmount

router = APIRouter(prefix="/v1/households/{household_id}/export", tags=["export"])

MAX_ROWS = 100_000


@router.get(
    "",
    response_class=Response,
    responses={
        200: {
            "description": "CSV (text/csv) or JSON (a list of expenses).",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Expense"}}
                },
            },
        },
        **errors(401, 403, 404, 422),
    },
)
@writes_on_read
def export_expenses(
    membership: ReadHousehold,
    session: DbSession,
    at: Now,
    format: schemas.ExportFormat = "csv",
    from_: Annotated[Day | None, Query(alias="from")] = None,
    to: Day | None = None,
) -> Response:
    """Expenses from `from` to `to` (inclusive), oldest first."""
    household = membership.household
    materialise_due(session, household=household, now=at)
    expenses = service.list_expenses(
        session,
        household_id=household.id,
        date_from=from_,
        date_to=to,
        paid_by=None,
        category=None,
        after=None,
        limit=MAX_ROWS,
    )[::-1]
    rendered = render_many(session, expenses)
    filename = f"fairstead-{household.id}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if format == "json":
        body = "[" + ",".join(e.model_dump_json() for e in rendered) + "]"
        return Response(body, media_type="application/json", headers=headers)
    members = [(m.id, m.display_name) for m in household_members(session, household.id).values()]
    rows = [
        ExportRow(
            id=e.id,
            date=e.date,
            description=e.description,
            category=e.category,
            amount=e.amount,
            currency=e.currency,
            original_amount=e.original_amount,
            original_currency=e.original_currency,
            exchange_rate=e.exchange_rate,
            payers=[MemberAmount(p.member_id, p.amount) for p in e.payers],
            shares=[MemberAmount(s.member_id, s.amount) for s in e.shares],
        )
        for e in rendered
    ]
    return Response(to_csv(rows, members), media_type="text/csv; charset=utf-8", headers=headers)
