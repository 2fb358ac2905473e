"""The review queue: imported rows that wait for a person to decide."""

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import DbSession, Now, ReadHousehold, WriteHousehold
from api.pagination import Page, Paging, page
from api.responses import errors
from api.schemas import imports as schemas
from domain.imports import reviews as service
from domain.imports.models import ImportedRow
from domain.ledger.splitting import Participant, SplitMethod

router = APIRouter(prefix="/v1/households/{household_id}/import-reviews", tags=["import-reviews"])


def render(row: ImportedRow) -> schemas.ImportedTransaction:
    return schemas.ImportedTransaction.model_validate(row, from_attributes=True)


@router.get(
    "", response_model=Page[schemas.ImportedTransaction], responses=errors(401, 403, 404, 422)
)
def list_import_reviews(
    membership: ReadHousehold, session: DbSession, paging: Paging
) -> Page[schemas.ImportedTransaction]:
    """Rows no rule decided, and rows that may duplicate one from another source; newest
    first. Nothing here has touched the ledger yet."""
    rows = service.list_reviews(
        session, household_id=membership.household.id, after=paging.after, limit=paging.fetch
    )
    return page(rows, paging, render, lambda r: r.id)


@router.post(
    "/{imported_transaction_id}/resolve",
    response_model=schemas.ImportedTransaction,
    responses=errors(401, 403, 404, 409, 422),
)
def resolve_import_review(
    imported_transaction_id: Annotated[str, Path(max_length=36)],
    body: schemas.ReviewResolve,
    membership: WriteHousehold,
    session: DbSession,
    at: Now,
) -> schemas.ImportedTransaction:
    """Decide: `shared` makes the expense (payer: `paid_by`, else the account map's member),
    `personal` and `ignore` keep it out of the ledger, `duplicate` marks it as the same
    purchase as `duplicate_of_id`. The decision sticks when the source changes the row."""
    row = service.get_imported(
        session, household_id=membership.household.id, row_id=imported_transaction_id
    )
    split = body.split
    resolution = service.Resolution(
        action=body.action,
        paid_by=body.paid_by,
        split_method=SplitMethod(split.method) if split else SplitMethod.AGREEMENT,
        participants=tuple(
            Participant(p.member_id, shares=p.shares, percent=p.percent_decimal(), amount=p.amount)
            for p in (split.participants if split else [])
        ),
        category=body.category,
    )
    service.resolve_review(
        session,
        household=membership.household,
        actor=membership.actor,
        row=row,
        resolution=resolution,
        now=at,
    )
    return render(row)
