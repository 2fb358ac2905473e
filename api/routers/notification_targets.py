"""A member's notification targets: where reminders reach them (Apprise URLs), which ones,
and when not to."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status

from api.deps import DbSession, Now, ReadHousehold, Settings_, WriteHousehold
from api.etags import check_if_match, set_etag
from api.pagination import Page, Paging, page
from api.responses import errors
from api.schemas import reminders as schemas
from domain.households.service import get_member
from domain.reminders import targets as service
from domain.reminders.models import NotificationTarget
from domain.settings import Settings
from integrations.notify import check_url

router = APIRouter(
    prefix="/v1/households/{household_id}/members/{member_id}/notification-targets",
    tags=["notification-targets"],
)
MemberId = Annotated[str, Path(max_length=36, description="The member reminded.")]
TargetId = Annotated[str, Path(max_length=36)]
_WHO = (
    " Only the member themself, or an admin for a member without an account, may see or"
    " change them (403 otherwise)."
)


def render(target: NotificationTarget) -> schemas.NotificationTarget:
    return schemas.NotificationTarget.model_validate(target, from_attributes=True)


def _key(settings: Settings) -> str | None:
    return settings.secret_key.get_secret_value() if settings.secret_key else None


@router.get(
    "",
    response_model=Page[schemas.NotificationTarget],
    responses=errors(401, 403, 404, 422),
    summary="List a member's notification targets",
    description="Their targets, oldest first, each URL masked." + _WHO,
)
def list_notification_targets(
    membership: ReadHousehold, session: DbSession, paging: Paging, member_id: MemberId
) -> Page[schemas.NotificationTarget]:
    member = get_member(session, household_id=membership.household.id, member_id=member_id)
    rows = service.list_targets(session, membership=membership, member=member)
    rows = [t for t in rows if paging.after is None or t.id > paging.after][: paging.fetch]
    return page(rows, paging, render, lambda t: t.id)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.NotificationTarget,
    responses=errors(401, 403, 404, 409, 422),
    summary="Add a notification target",
    description="An Apprise URL (ntfy, e-mail, Matrix, Telegram, Gotify, a JSON endpoint …),"
    " stored encrypted (409 when the server has no FAIRSTEAD_SECRET_KEY) and shown only"
    " masked; the reminders it wants (default: all); quiet hours in household time, during"
    " which reminders wait until the quiet ends. At most ten per member." + _WHO,
)
def create_notification_target(
    body: schemas.NotificationTargetCreate,
    membership: WriteHousehold,
    session: DbSession,
    settings: Settings_,
    response: Response,
    member_id: MemberId,
) -> schemas.NotificationTarget:
    member = get_member(session, household_id=membership.household.id, member_id=member_id)
    fields = body.model_dump(exclude_unset=True, exclude={"url"})
    service.list_targets(session, membership=membership, member=member)  # 403 before the URL
    masked = check_url(body.url, allow_private=settings.webhook_allow_private)
    target = service.create_target(
        session,
        membership=membership,
        member=member,
        url=body.url,
        masked=masked,
        fields=fields,
        secret_key=_key(settings),
    )
    set_etag(response, target.version)
    response.headers["Cache-Control"] = "no-store"
    return render(target)


@router.get(
    "/{target_id}",
    response_model=schemas.NotificationTarget,
    responses=errors(401, 403, 404),
    summary="Get a notification target",
    description="One target, its URL masked." + _WHO,
)
def get_notification_target(
    membership: ReadHousehold,
    session: DbSession,
    response: Response,
    member_id: MemberId,
    target_id: TargetId,
) -> schemas.NotificationTarget:
    member = get_member(session, household_id=membership.household.id, member_id=member_id)
    target = service.get_target(session, membership=membership, member=member, target_id=target_id)
    set_etag(response, target.version)
    return render(target)


@router.patch(
    "/{target_id}",
    response_model=schemas.NotificationTarget,
    responses=errors(401, 403, 404, 409, 412, 422),
    summary="Change a notification target",
    description="Only the fields sent change; `If-Match` takes its ETag." + _WHO,
)
def update_notification_target(
    body: schemas.NotificationTargetUpdate,
    membership: WriteHousehold,
    session: DbSession,
    settings: Settings_,
    request: Request,
    response: Response,
    at: Now,
    member_id: MemberId,
    target_id: TargetId,
) -> schemas.NotificationTarget:
    member = get_member(session, household_id=membership.household.id, member_id=member_id)
    target = service.get_target(session, membership=membership, member=member, target_id=target_id)
    check_if_match(request, target.version)
    changes = body.changes()
    url = changes.pop("url", None)
    masked = (url, check_url(url, allow_private=settings.webhook_allow_private)) if url else None
    service.update_target(
        session, target=target, changes=changes, url=masked, secret_key=_key(settings), now=at
    )
    set_etag(response, target.version)
    return render(target)


@router.delete(
    "/{target_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 412),
    summary="Remove a notification target",
    description="Reminders waiting for it are dropped." + _WHO,
)
def delete_notification_target(
    membership: WriteHousehold,
    session: DbSession,
    request: Request,
    member_id: MemberId,
    target_id: TargetId,
) -> Response:
    member = get_member(session, household_id=membership.household.id, member_id=member_id)
    target = service.get_target(session, membership=membership, member=member, target_id=target_id)
    check_if_match(request, target.version)
    service.delete_target(session, target=target)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
