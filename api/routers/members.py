"""Members of a household, with or without a user account."""

from fastapi import APIRouter, Path, Request, Response, status

from api.deps import AdminHousehold, DbSession, Now, ReadHousehold, WriteHousehold
from api.etags import check_if_match, set_etag
from api.pagination import Page, Paging, page
from api.responses import errors
from api.revalidation import NOT_MODIFIED, Revalidated
from api.schemas import households as schemas
from api.schemas.common import Money
from domain.chores.members import local_day
from domain.households import service
from domain.households.incomes import follow_member_field
from domain.households.models import Member
from domain.ledger.settlements import ensure_member_removable

router = APIRouter(prefix="/v1/households/{household_id}/members", tags=["members"])

MemberId = Path(max_length=36)


def render(member: Member, *, viewer: Member) -> schemas.Member:
    income = service.visible_income(member, viewer=viewer)
    return schemas.Member(
        id=member.id,
        display_name=member.display_name,
        role=member.role,  # type: ignore[arg-type]
        user_id=member.user_id,
        active=member.active,
        weekly_available_minutes=member.weekly_available_minutes,
        monthly_income=Money(amount=income[0], currency=income[1]) if income else None,
        income_visibility=member.income_visibility,  # type: ignore[arg-type]
        created_at=member.created_at,
    )


def _columns(changes: dict[str, object]) -> dict[str, object]:
    """Map the API's `monthly_income` object onto its two columns."""
    if "monthly_income" in changes:
        income = changes.pop("monthly_income")
        changes["monthly_income_amount"] = income.amount if isinstance(income, Money) else None
        changes["monthly_income_currency"] = income.currency if isinstance(income, Money) else None
    return changes


@router.get(
    "", response_model=Page[schemas.Member], responses=errors(401, 403, 404, 422) | NOT_MODIFIED
)
def list_members(
    membership: ReadHousehold, session: DbSession, paging: Paging, _etag: Revalidated
) -> Page[schemas.Member]:
    rows = service.list_members(
        session,
        household_id=membership.household.id,
        before_id=paging.after,
        limit=paging.fetch,
    )
    return page(rows, paging, lambda m: render(m, viewer=membership.member), lambda m: m.id)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Member,
    responses=errors(401, 403, 404, 409, 422),
)
def create_member(
    body: schemas.MemberCreate,
    membership: AdminHousehold,
    session: DbSession,
    response: Response,
    at: Now,
) -> schemas.Member:
    """Add a managed member (no user account); people with accounts join by invitation."""
    fields = _columns(
        body.model_dump(exclude={"monthly_income"}) | {"monthly_income": body.monthly_income}
    )
    member = service.add_member(session, membership=membership, fields=fields, now=at)
    follow_member_field(session, member=member, today=local_day(membership.household, at))
    set_etag(response, member.version)
    response.headers["Location"] = f"/v1/households/{member.household_id}/members/{member.id}"
    return render(member, viewer=membership.member)


@router.get("/{member_id}", response_model=schemas.Member, responses=errors(401, 403, 404))
def get_member(
    membership: ReadHousehold,
    session: DbSession,
    response: Response,
    member_id: str = MemberId,
) -> schemas.Member:
    member = service.get_member(session, household_id=membership.household.id, member_id=member_id)
    set_etag(response, member.version)
    return render(member, viewer=membership.member)


@router.patch(
    "/{member_id}",
    response_model=schemas.Member,
    responses=errors(401, 403, 404, 409, 412, 422),
)
def update_member(
    body: schemas.MemberUpdate,
    membership: WriteHousehold,
    session: DbSession,
    request: Request,
    response: Response,
    at: Now,
    member_id: str = MemberId,
) -> schemas.Member:
    """Admins change anyone; a member changes themself (but not their role). A new
    `monthly_income` is also recorded in the income history, from today."""
    member = service.get_member(session, household_id=membership.household.id, member_id=member_id)
    check_if_match(request, member.version)
    changes = _columns(body.changes())
    service.update_member(session, membership=membership, member=member, changes=changes)
    if "monthly_income_amount" in changes:
        follow_member_field(session, member=member, today=local_day(membership.household, at))
    set_etag(response, member.version)
    return render(member, viewer=membership.member)


@router.delete(
    "/{member_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 409, 412),
)
def delete_member(
    membership: WriteHousehold,
    session: DbSession,
    request: Request,
    member_id: str = MemberId,
) -> None:
    """Remove a member (admins), or leave the household (yourself). The last admin cannot."""
    member = service.get_member(session, household_id=membership.household.id, member_id=member_id)
    check_if_match(request, member.version)
    service.ensure_may_remove(membership=membership, member=member)
    ensure_member_removable(session, member=member)
    service.remove_member(session, membership=membership, member=member)
