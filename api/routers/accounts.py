"""Sign-up, tokens, and the caller's own account."""

from fastapi import APIRouter, Request, Response, status

from api.deps import Admin, Authenticated, DbSession, Now, Reader, Settings_
from api.etags import check_if_match, set_etag
from api.responses import errors
from api.schemas import accounts as schemas
from domain.accounts import service
from domain.accounts.models import ApiToken
from domain.accounts.scopes import Scope
from domain.errors import Forbidden
from domain.households.service import list_households

users = APIRouter(prefix="/v1/users", tags=["users"])
tokens = APIRouter(prefix="/v1/tokens", tags=["tokens"])
me = APIRouter(prefix="/v1/me", tags=["me"])


@users.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.User,
    responses=errors(403, 409, 422),
)
def create_user(body: schemas.UserCreate, session: DbSession, settings: Settings_) -> schemas.User:
    """Sign up. Turned off when FAIRSTEAD_OPEN_SIGNUP is false."""
    if not settings.open_signup:
        raise Forbidden("sign-up is closed on this server")
    user = service.sign_up(
        session, email=body.email, password=body.password, display_name=body.display_name
    )
    return schemas.User.model_validate(user, from_attributes=True)


def _token(token: ApiToken) -> schemas.Token:
    return schemas.Token(
        id=token.id,
        name=token.name,
        scopes=[Scope(s) for s in service.token_scopes(token)],
        household_id=token.household_id,
        expires_at=token.expires_at,
        created_at=token.created_at,
    )


@tokens.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.TokenCreated,
    responses=errors(401, 404, 422),
)
def create_token(body: schemas.TokenCreate, session: DbSession, at: Now) -> schemas.TokenCreated:
    """Exchange email and password for a bearer token; the token is shown only here."""
    token, secret = service.issue_token(
        session,
        email=body.email,
        password=body.password,
        name=body.name,
        scopes=body.scopes,
        household_id=body.household_id,
        expires_in_days=body.expires_in_days,
        now=at,
    )
    return schemas.TokenCreated(**_token(token).model_dump(), token=secret)


@tokens.get("", response_model=list[schemas.Token], responses=errors(401, 403))
def list_tokens(principal: Reader, session: DbSession) -> list[schemas.Token]:
    """The caller's live tokens (never their secrets)."""
    return [_token(t) for t in service.list_tokens(session, user_id=principal.user_id)]


@tokens.delete(
    "/{token_id}", status_code=status.HTTP_204_NO_CONTENT, responses=errors(401, 403, 404)
)
def delete_token(token_id: str, principal: Admin, session: DbSession, at: Now) -> None:
    """Revoke one of the caller's tokens."""
    # `admin`, as API.md puts tokens: a leaked read or automation token must not lock its
    # owner out by revoking their other tokens.
    service.revoke_token(session, user_id=principal.user_id, token_id=token_id, now=at)


def _me(session: DbSession, principal: Authenticated) -> schemas.Me:
    user = service.get_user(session, user_id=principal.user_id)
    rows = list_households(
        session, user_id=user.id, only=principal.household_id, before_id=None, limit=1000
    )
    return schemas.Me(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        created_at=user.created_at,
        households=[
            schemas.MeHousehold(id=h.id, name=h.name, member_id=m.id, role=m.role) for h, m in rows
        ],
    )


@me.get("", response_model=schemas.Me, responses=errors(401, 403))
def get_me(principal: Reader, session: DbSession, response: Response) -> schemas.Me:
    """The caller, with the households they belong to."""
    set_etag(response, service.get_user(session, user_id=principal.user_id).version)
    return _me(session, principal)


@me.patch("", response_model=schemas.Me, responses=errors(401, 403, 412, 422))
def update_me(
    body: schemas.MeUpdate,
    principal: Authenticated,
    session: DbSession,
    at: Now,
    request: Request,
    response: Response,
) -> schemas.Me:
    """Change the display name or the password; a new password revokes every token."""
    if not principal.allows(Scope.WRITE):
        raise Forbidden("this token lacks the 'write' scope")
    user = service.get_user(session, user_id=principal.user_id)
    check_if_match(request, user.version)
    service.update_user(
        session,
        user=user,
        display_name=body.display_name,
        new_password=body.password,
        current_password=body.current_password,
        now=at,
    )
    set_etag(response, user.version)
    return _me(session, principal)
