"""Sign-up, tokens, and the caller's own account."""

from fastapi import APIRouter, Request, Response, status

from api.deps import (
    Admin,
    Authenticated,
    DbSession,
    Now,
    Reader,
    Settings_,
    UnrestrictedReader,
    UnrestrictedWriter,
    writes_on_read,
)
from api.etags import check_if_match, set_etag
from api.responses import errors
from api.schemas import accounts as schemas
from domain.accounts import deletion, export, service
from domain.accounts.models import ApiToken
from domain.accounts.scopes import Scope
from domain.errors import Forbidden
from domain.households.service import list_households
from domain.reminders.targets import forget_targets_of

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
def list_tokens(principal: UnrestrictedReader, session: DbSession) -> list[schemas.Token]:
    """The caller's live tokens (never their secrets). Needs a token that is not restricted
    to a household: the list is the whole account's."""
    return [_token(t) for t in service.list_tokens(session, user_id=principal.user_id)]


@tokens.delete(
    "/{token_id}", status_code=status.HTTP_204_NO_CONTENT, responses=errors(401, 403, 404)
)
def delete_token(token_id: str, principal: Admin, session: DbSession, at: Now) -> None:
    """Revoke one of the caller's tokens. A token restricted to a household may revoke only
    itself: its other tokens are the account's business."""
    # `admin`, as API.md puts tokens: a leaked read or automation token must not lock its
    # owner out by revoking their other tokens.
    if principal.household_id is not None and token_id != principal.token_id:
        raise Forbidden("this token is restricted to one household; it may revoke only itself")
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


@me.patch("", response_model=schemas.Me, responses=errors(401, 403, 412, 422, 429))
def update_me(
    body: schemas.MeUpdate,
    principal: UnrestrictedWriter,
    session: DbSession,
    at: Now,
    request: Request,
    response: Response,
) -> schemas.Me:
    """Change the display name or the password; a new password revokes every token. Needs a
    token with `write` that is not restricted to a household. A wrong `current_password` is
    403 and counts towards the login throttle (429 beyond it)."""
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


EXPORT_EXAMPLE = {
    "exported_at": "2026-03-31T18:00:00+00:00",
    "account": {
        "id": "0195f0c2-8d1e-7a2b-9c3d-4e5f6a7b8c9d",
        "email": "sam@example.org",
        "display_name": "Sam",
        "created_at": "2026-01-04T09:12:00+00:00",
    },
    "tokens": [
        {
            "id": "0195f0c2-9a00-7b11-8c22-3d44e55f6a77",
            "name": "laptop",
            "scopes": ["admin", "read", "write"],
            "household_id": None,
            "expires_at": None,
            "revoked_at": None,
            "created_at": "2026-01-04T09:12:05+00:00",
        }
    ],
    "memberships": [
        {
            "household": {
                "id": "0195f0c3-1111-7222-8333-944455566677",
                "name": "Elm Street",
                "currency": "EUR",
                "timezone": "Europe/Berlin",
            },
            "member": {
                "id": "0195f0c3-2222-7333-8444-955566677788",
                "user_id": "0195f0c2-8d1e-7a2b-9c3d-4e5f6a7b8c9d",
                "display_name": "Sam",
                "role": "admin",
                "active": True,
                "weekly_available_minutes": None,
                "monthly_income_amount": 375000,
                "monthly_income_currency": "EUR",
                "income_visibility": "private",
                "created_at": "2026-01-04T09:13:00+00:00",
            },
            "records": {
                "expense_shares": [
                    {
                        "id": "0195f0c4-3333-7444-8555-966677788899",
                        "expense_id": "0195f0c4-2222-7444-8555-966677788899",
                        "member_id": "0195f0c3-2222-7333-8444-955566677788",
                        "amount": 3334,
                    }
                ]
            },
        }
    ],
}


@me.get(
    "/export",
    response_model=schemas.AccountExport,
    responses={
        **errors(401, 403),
        200: {"content": {"application/json": {"example": EXPORT_EXAMPLE}}},
    },
    summary="Export everything held about me",
)
@writes_on_read
def export_me(principal: UnrestrictedReader, session: DbSession, at: Now) -> dict[str, object]:
    """Everything Fairstead holds about the caller, as JSON: the account, every token's
    metadata, each membership with its household, and per membership the rows that name the
    member (what they recorded, paid and owe, chores, time, open ballots, responses,
    check-ins, their own incomes). Secret ballots are left out: nothing links one to its
    voter. Needs a token with `read` that is not restricted to a household; records a
    `member.data_exported` event in each household."""
    user = service.get_user(session, user_id=principal.user_id)
    return export.export_user(session, user=user, at=at)


@me.delete(
    "",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 409, 422, 429),
    summary="Delete my account",
)
def delete_me(
    body: schemas.AccountDelete, principal: UnrestrictedWriter, session: DbSession
) -> None:
    """Delete the caller's account: the user and every token go at once. Each membership
    stays as a managed member under a pseudonym ("Former member 3f2a9c"), so the
    households' expenses, shares and balances still add up; admins can settle with it and
    remove it. A sole admin of a household must make another member with an account admin
    (or delete the household) first: 409 names the households. Needs the current password
    (a wrong one is 403 and counts towards the login throttle, 429 beyond it) and a token
    with `write` that is not restricted to a household. Records `member.account_deleted`
    in each household. The members' notification targets are deleted."""
    user = service.get_user(session, user_id=principal.user_id)
    # Where the person can be reached goes with the account (the pseudonymous members stay);
    # first, while the members still name the user. A refusal below rolls it back.
    forget_targets_of(session, user_id=user.id)
    deletion.delete_account(session, user=user, current_password=body.current_password)
