"""Request-scoped dependencies: the database session, the caller, and household scoping.

Every router authorises through the aliases at the bottom: one per permission, so a route
says what it needs in its signature and nothing else decides it.

FastAPI runs each sync dependency in the thread pool on its own, a hop apiece. So only what
does blocking I/O is sync here: the token's statement (`get_principal`, which also fetches
the caller's membership, the household version and the due check for the household of the
path: api/access.py) and the session's end (commit, rollback, close, one hop in
`get_session`). The checks on what that statement found (scopes, restricted tokens,
membership, admin) are async: they run on the event loop, in the same order as before.
"""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Any, TypeVar

from anyio import CancelScope, to_thread
from fastapi import Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.types import Scope as Scope_

from api import access
from api.idempotency import keep_in_transaction, kept_nothing
from domain.accounts import service as accounts
from domain.accounts.scopes import Scope
from domain.accounts.service import Principal
from domain.db import unit_of_work, writer
from domain.errors import Forbidden, NotFound, Unauthenticated
from domain.households.models import Household
from domain.households.service import Membership, find_membership
from domain.ledger.recurring import anything_due, materialise_due
from domain.settings import Settings

_READ_METHODS = {"GET", "HEAD", "OPTIONS"}
_bearer = HTTPBearer(auto_error=False, description="A token from POST /v1/tokens.")


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


_WRITES_ON_READ = "_fairstead_writes_on_read"
_SESSION_KEY = "fairstead.session"
F = TypeVar("F", bound=Callable[..., Any])


def writes_on_read(endpoint: F) -> F:
    """Marks a GET that may write (materialising due recurring items, keeping a plan), so its
    session takes the write lock up front like a POST's."""
    setattr(endpoint, _WRITES_ON_READ, True)
    return endpoint


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request, committed after the endpoint returns and before the response
    is sent (scope="function"), so a failed commit is an error response, never a lie.

    Made on the event loop (a Session connects on first use, not here); ended in one trip
    to the thread pool, shielded so that a cancelled request still returns its connection."""
    engine = get_engine(request)
    write = request.method not in _READ_METHODS or getattr(
        request.scope.get("endpoint"), _WRITES_ON_READ, False
    )
    session = Session(writer(engine) if write else engine, expire_on_commit=False)
    request.scope[_SESSION_KEY] = session
    try:
        yield session
    except BaseException:
        with CancelScope(shield=True):
            await to_thread.run_sync(_abandon, session, request.scope)
        raise
    with CancelScope(shield=True):
        await to_thread.run_sync(_finish, session, request.scope, write)


def session_of(request: Request) -> Session:
    """The request's session, for a dependency that depends on it through another one (each
    `DbSession` in a signature is one more node FastAPI solves, cached or not)."""
    session: Session = request.scope[_SESSION_KEY]
    return session


def _finish(session: Session, scope: Scope_, write: bool) -> None:
    try:
        if write:
            keep_in_transaction(session, scope)
        session.commit()
    except BaseException:
        session.rollback()
        kept_nothing(scope)  # the stored response went with the rollback
        raise
    finally:
        session.close()


def _abandon(session: Session, scope: Scope_) -> None:
    try:
        session.rollback()
        kept_nothing(scope)
    finally:
        session.close()


async def _settings(request: Request) -> Settings:
    return get_settings(request)


DbSession = Annotated[Session, Depends(get_session, scope="function")]
Settings_ = Annotated[Settings, Depends(_settings)]


async def now() -> datetime:
    return datetime.now(UTC)


Now = Annotated[datetime, Depends(now)]
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def principal_of(
    session: Session, credentials: HTTPAuthorizationCredentials | None, at: datetime
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("send 'Authorization: Bearer <token>'")
    return accounts.authenticate(session, secret=credentials.credentials, at=at)


def get_principal(request: Request, session: DbSession, credentials: Bearer, at: Now) -> Principal:
    """The caller. Under a household's path the same statement fetches what the household
    checks below need (`access.Access`); it decides nothing itself."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("send 'Authorization: Bearer <token>'")
    household_id = request.path_params.get("household_id")
    if not isinstance(household_id, str):
        return accounts.authenticate(session, secret=credentials.credentials, at=at)
    principal, found = access.authenticate(
        session, secret=credentials.credentials, at=at, household_id=household_id
    )
    request.scope[access.SCOPE_KEY] = found
    return principal


Authenticated = Annotated[Principal, Depends(get_principal)]


def _scoped(scope: Scope) -> object:
    async def check(principal: Authenticated) -> Principal:
        return _allowed(principal, scope)

    return check


async def _automation(principal: Authenticated) -> Principal:
    if not (principal.allows(Scope.WRITE) or principal.allows(Scope.AUTOMATION)):
        raise Forbidden("this token lacks the 'write' or 'automation' scope")
    return principal


async def _unrestricted_writer(
    principal: Annotated[Principal, Depends(_scoped(Scope.WRITE))],
) -> Principal:
    if principal.household_id is not None:
        raise Forbidden("this token is restricted to one household")
    return principal


async def _unrestricted_reader(
    principal: Annotated[Principal, Depends(_scoped(Scope.READ))],
) -> Principal:
    if principal.household_id is not None:
        raise Forbidden("this token is restricted to one household")
    return principal


Reader = Annotated[Principal, Depends(_scoped(Scope.READ))]
Writer = Annotated[Principal, Depends(_scoped(Scope.WRITE))]
Admin = Annotated[Principal, Depends(_scoped(Scope.ADMIN))]
# Joining or creating households reaches beyond the one a restricted token is for.
UnrestrictedWriter = Annotated[Principal, Depends(_unrestricted_writer)]
# Account-level reads (the export) likewise cover every household.
UnrestrictedReader = Annotated[Principal, Depends(_unrestricted_reader)]
Automation = Annotated[Principal, Depends(_automation)]

HouseholdId = Annotated[str, Path(max_length=36, description="The household's id.")]


def membership_of(session: Session, principal: Principal, household_id: str) -> Membership:
    """The caller inside this household, or 404: the one scoping rule, for the API's routes
    and the household page (api/web) alike."""
    if principal.household_id is not None and principal.household_id != household_id:
        raise NotFound("household not found")
    return find_membership(session, user_id=principal.user_id, household_id=household_id)


def _found(request: Request, principal: Principal, household_id: str) -> access.Access | None:
    """What the token's statement found in this household for this caller, if it ran."""
    found: access.Access | None = request.scope.get(access.SCOPE_KEY)
    if found is None or found.household_id != household_id or found.token_id != principal.token_id:
        return None
    return found


async def _member(request: Request, principal: Principal, household_id: str) -> Membership:
    """`membership_of`, from what the token's statement found (the same two checks)."""
    if principal.household_id is not None and principal.household_id != household_id:
        raise NotFound("household not found")
    found = _found(request, principal, household_id)
    if found is None:
        session = session_of(request)
        return await to_thread.run_sync(membership_of, session, principal, household_id)
    if found.membership is None:
        raise NotFound("household not found")
    return found.membership


def _allowed(principal: Principal, scope: Scope) -> Principal:
    if not principal.allows(scope):
        raise Forbidden(f"this token lacks the '{scope}' scope")
    return principal


# The scope is checked inside each (not through `Reader` and its kind): one node fewer to
# solve per household dependency, the same checks in the same order.
async def _read_household(
    request: Request, principal: Authenticated, household_id: HouseholdId
) -> Membership:
    return await _member(request, _allowed(principal, Scope.READ), household_id)


async def _write_household(
    request: Request, principal: Authenticated, household_id: HouseholdId
) -> Membership:
    return await _member(request, _allowed(principal, Scope.WRITE), household_id)


def _admin_household(session: Session, principal: Principal, household_id: str) -> Membership:
    """The caller as an admin of this household (the household page calls it directly)."""
    return _admin(membership_of(session, principal, household_id))


def _admin(membership: Membership) -> Membership:
    if not membership.is_admin:
        raise Forbidden("only a household admin may do this")
    return membership


async def _admin_of_household(
    request: Request, principal: Authenticated, household_id: HouseholdId
) -> Membership:
    return _admin(await _member(request, _allowed(principal, Scope.ADMIN), household_id))


async def _automation_household(
    request: Request, principal: Automation, household_id: HouseholdId
) -> Membership:
    return await _member(request, principal, household_id)


ReadHousehold = Annotated[Membership, Depends(_read_household)]
WriteHousehold = Annotated[Membership, Depends(_write_household)]
AdminHousehold = Annotated[Membership, Depends(_admin_of_household)]
AutomationHousehold = Annotated[Membership, Depends(_automation_household)]


def write_apart(request: Request) -> AbstractContextManager[Session]:
    """A write transaction beside the request's session, committed when its block ends: for
    a GET that only sometimes writes, so that its own session can stay a reader."""
    return unit_of_work(get_engine(request))


async def _ledger_household(request: Request, membership: ReadHousehold, at: Now) -> Membership:
    """A read of the ledger as of today: recurring occurrences that have come due are made
    first, in a write transaction of their own and only when there are any. The request's
    session stays a reader, so on SQLite reads of the ledger do not queue for the one write
    lock (a GET marked `writes_on_read` takes it for the whole request)."""
    found: access.Access | None = request.scope.get(access.SCOPE_KEY)
    if found is not None and found.membership is not membership:
        found = None
    due = found.anything_due(at) if found is not None else None
    session = session_of(request)
    if due is None:
        check = partial(anything_due, session, household=membership.household, now=at)
        due = await to_thread.run_sync(check)
    if due:
        await to_thread.run_sync(_materialise, request, session, membership, at)
        if found is not None:
            found.version = None  # bumped by what was made: read it again
    return membership


def _materialise(request: Request, session: Session, membership: Membership, at: datetime) -> None:
    household = membership.household
    with write_apart(request) as writing:
        materialise_due(writing, household=writing.get_one(Household, household.id), now=at)
    session.commit()  # ends the read snapshot: what follows sees the occurrences made


LedgerHousehold = Annotated[Membership, Depends(_ledger_household)]

FeedToken = Annotated[
    str | None,
    Query(
        max_length=200,
        description="A token whose only scope is `feed`, for calendar apps that cannot send "
        "an Authorization header. Any other token is refused here (send it as a bearer token).",
    ),
]


def _feed_household(
    session: DbSession,
    credentials: Bearer,
    at: Now,
    household_id: HouseholdId,
    token: FeedToken = None,
) -> Membership:
    """A calendar feed's reader: a bearer token with `read` (or `feed`), or `?token=` with a
    token that has the `feed` scope and no other, so a URL that leaks into a calendar app's
    sync log or a shared calendar can read feeds and nothing else."""
    if token is not None:
        principal = accounts.authenticate(session, secret=token, at=at)
        if principal.scopes != {Scope.FEED}:
            raise Forbidden("only a token whose only scope is 'feed' may be sent as ?token=")
    else:
        principal = principal_of(session, credentials, at)
        if not (principal.allows(Scope.READ) or principal.allows(Scope.FEED)):
            raise Forbidden("this token lacks the 'read' or 'feed' scope")
    return membership_of(session, principal, household_id)


FeedHousehold = Annotated[Membership, Depends(_feed_household)]
