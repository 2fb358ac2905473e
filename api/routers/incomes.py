"""A member's monthly income as a dated history (private like the income on the member)."""

from fastapi import APIRouter, Path, Response, status

from api.deps import DbSession, Now, ReadHousehold, WriteHousehold
from api.pagination import Page, Paging, date_after, date_key, page
from api.responses import errors
from api.schemas import pots as schemas
from api.schemas.pots import NO_NUL
from domain.chores.members import local_day
from domain.errors import Forbidden
from domain.households import incomes as service
from domain.households.income_models import MemberIncome
from domain.households.service import get_member

router = APIRouter(
    prefix="/v1/households/{household_id}/members/{member_id}/incomes", tags=["incomes"]
)
MemberId = Path(max_length=36, pattern=NO_NUL)


def render(income: MemberIncome) -> schemas.Income:
    return schemas.Income.model_validate(income, from_attributes=True)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Income,
    responses=errors(401, 403, 404, 409, 422),
)
def create_member_income(
    body: schemas.IncomeCreate,
    membership: WriteHousehold,
    session: DbSession,
    response: Response,
    at: Now,
    member_id: str = MemberId,
) -> schemas.Income:
    """Record the monthly income in force from `effective_from` (admins for anyone, a member
    for themself). Income-proportional agreements split each expense by the incomes in
    force on its date; `monthly_income` on the member follows the income in force today."""
    household = membership.household
    member = get_member(session, household_id=household.id, member_id=member_id)
    if not membership.is_admin and member.id != membership.member.id:
        raise Forbidden("only an admin may record another member's income")
    income = service.record_income(
        session,
        member=member,
        actor=membership.actor,
        amount=body.amount,
        currency=body.currency,
        effective_from=body.effective_from,
        today=local_day(household, at),
    )
    response.headers["Location"] = (
        f"/v1/households/{household.id}/members/{member.id}/incomes/{income.id}"
    )
    return render(income)


@router.get("", response_model=Page[schemas.Income], responses=errors(401, 403, 404, 422))
def list_member_incomes(
    membership: ReadHousehold, session: DbSession, paging: Paging, member_id: str = MemberId
) -> Page[schemas.Income]:
    """Newest `effective_from` first. A private income history is shown only to its member
    (403 for everyone else), as `monthly_income` is."""
    member = get_member(session, household_id=membership.household.id, member_id=member_id)
    service.ensure_visible(member, viewer=membership.member)
    rows = service.list_incomes(
        session, member=member, after=date_after(paging), limit=paging.fetch
    )
    return page(rows, paging, render, lambda i: date_key(i.effective_from, i.id))
