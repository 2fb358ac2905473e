"""Invitations: an admin makes a code, someone with an account accepts it."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Body, Path, Response, status

from api.deps import AdminHousehold, DbSession, Now, Settings_, UnrestrictedWriter
from api.responses import errors
from api.routers.members import render as render_member
from api.schemas import households as schemas
from domain.accounts import service as accounts
from domain.households import invitations

household_scoped = APIRouter(
    prefix="/v1/households/{household_id}/invitations", tags=["invitations"]
)
by_code = APIRouter(prefix="/v1/invitations", tags=["invitations"])


@household_scoped.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Invitation,
    responses=errors(401, 403, 404, 409, 422),
)
def create_invitation(
    body: schemas.InvitationCreate,
    membership: AdminHousehold,
    session: DbSession,
    settings: Settings_,
    at: Now,
    response: Response,
) -> schemas.Invitation:
    """A single-use code; pass `member_id` to let the invitee take over a managed member."""
    response.headers["Cache-Control"] = "no-store"
    hours = body.expires_in_hours or settings.invitation_ttl_hours
    invitation, code = invitations.create_invitation(
        session,
        membership=membership,
        role=body.role,
        member_id=body.member_id,
        ttl=timedelta(hours=hours),
        now=at,
    )
    return schemas.Invitation(
        id=invitation.id,
        code=code,
        role=body.role,
        member_id=invitation.member_id,
        expires_at=invitation.expires_at,
    )


@by_code.post(
    "/{code}/accept",
    response_model=schemas.Member,
    responses=errors(401, 403, 404, 409, 410, 422),
)
def accept_invitation(
    principal: UnrestrictedWriter,
    session: DbSession,
    at: Now,
    code: str = Path(max_length=64),
    body: Annotated[schemas.InvitationAccept | None, Body()] = None,
) -> schemas.Member:
    """Join the household: as a new member, or as the managed member `member_id`. The body
    is optional: none (or `{}`) joins as a new member."""
    user = accounts.get_user(session, user_id=principal.user_id)
    member = invitations.accept_invitation(
        session, code=code, user=user, member_id=body.member_id if body else None, now=at
    )
    return render_member(member, viewer=member)
