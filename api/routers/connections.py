"""Budgeting-app connections: credentials go in and never come out; a sync makes a run."""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from api.deps import (
    AdminHousehold,
    DbSession,
    Now,
    ReadHousehold,
    Settings_,
    WriteHousehold,
)
from api.etags import check_if_match, set_etag
from api.pagination import Page, Paging, page
from api.responses import errors
from api.routers.imports import render as render_run
from api.schemas import imports as schemas
from domain.errors import Conflict, InvalidInput
from domain.imports import connections as service
from domain.imports.models import Connection
from domain.settings import Settings

if TYPE_CHECKING:
    import httpx

# httpx, the connectors and their SDKs load on the first check or sync, not when the server
# starts (issue 17: RSS after start): `integrations.sync` is imported where it is used.

router = APIRouter(prefix="/v1/households/{household_id}/connections", tags=["connections"])
ConnectionId = Annotated[str, Path(max_length=36)]
USER_AGENT = "Fairstead (+https://github.com/fairstead)"


def http_client() -> Iterator["httpx.Client"]:
    """The client every connector request goes through; tests override this dependency
    with one on an `httpx.MockTransport`."""
    import httpx

    with httpx.Client(timeout=30.0, headers={"User-Agent": USER_AGENT}) as client:
        yield client


HttpClient = Annotated["httpx.Client", Depends(http_client)]


def secret_key(settings: Settings) -> str | None:
    return settings.secret_key.get_secret_value() if settings.secret_key else None


def render(connection: Connection) -> schemas.Connection:
    return schemas.Connection(
        id=connection.id,
        provider=connection.provider,  # type: ignore[arg-type]
        name=connection.name,
        has_credentials=connection.credentials is not None,
        config=connection.config,
        account_map=connection.account_map,
        member_map=connection.member_map,
        sync_interval_minutes=connection.sync_interval_minutes,
        next_sync_at=connection.next_sync_at,
        last_synced_at=connection.last_synced_at,
        created_at=connection.created_at,
        updated_at=connection.updated_at,
    )


def _check(
    provider: str,
    body: schemas.ConnectionCreate | schemas.ConnectionUpdate,
    current: Connection | None = None,
) -> None:
    config = body.config if body.config is not None else (current.config if current else {})
    if provider == service.FILE_PROVIDER:
        if body.credentials:
            raise InvalidInput("a file connection has no credentials", field="credentials")
        if body.sync_interval_minutes:
            raise InvalidInput(
                "a file connection has nothing to sync on a schedule",
                field="sync_interval_minutes",
            )
        return
    from integrations import sync as syncing

    given = "credentials" in body.model_fields_set and body.credentials is not None
    syncing.check_connector(
        provider,
        credentials=body.credentials if given else None,
        config=config,
        stored_credentials=current is not None and current.credentials is not None,
    )


@router.get("", response_model=Page[schemas.Connection], responses=errors(401, 403, 404, 422))
def list_connections(
    membership: ReadHousehold, session: DbSession, paging: Paging
) -> Page[schemas.Connection]:
    rows = service.list_connections(
        session, household_id=membership.household.id, after=paging.after, limit=paging.fetch
    )
    return page(rows, paging, render, lambda c: c.id)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Connection,
    responses=errors(401, 403, 404, 409, 422),
)
def create_connection(
    body: schemas.ConnectionCreate,
    membership: AdminHousehold,
    session: DbSession,
    settings: Settings_,
    response: Response,
    at: Now,
) -> schemas.Connection:
    """Connect a budgeting app (admins only: it holds credentials), or save a bank's file
    layout as a `file` connection. Credentials are encrypted with FAIRSTEAD_SECRET_KEY;
    without that setting, a connection with credentials is refused with 409."""
    _check(body.provider, body)
    connection = service.create_connection(
        session,
        household_id=membership.household.id,
        actor=membership.actor,
        data=service.ConnectionInput(
            provider=body.provider,
            name=body.name,
            credentials=body.credentials,
            config=body.config,
            account_map=body.account_map,
            member_map=body.member_map,
            sync_interval_minutes=body.sync_interval_minutes,
        ),
        secret_key=secret_key(settings),
        now=at,
    )
    set_etag(response, connection.version)
    response.headers["Location"] = (
        f"/v1/households/{connection.household_id}/connections/{connection.id}"
    )
    return render(connection)


@router.get("/{connection_id}", response_model=schemas.Connection, responses=errors(401, 403, 404))
def get_connection(
    connection_id: ConnectionId, membership: ReadHousehold, session: DbSession, response: Response
) -> schemas.Connection:
    connection = service.get_connection(
        session, household_id=membership.household.id, connection_id=connection_id
    )
    set_etag(response, connection.version)
    return render(connection)


@router.patch(
    "/{connection_id}",
    response_model=schemas.Connection,
    responses=errors(401, 403, 404, 409, 412, 422),
)
def update_connection(
    connection_id: ConnectionId,
    body: schemas.ConnectionUpdate,
    membership: AdminHousehold,
    session: DbSession,
    settings: Settings_,
    request: Request,
    response: Response,
    at: Now,
) -> schemas.Connection:
    """Only the fields sent change; `credentials` replaces the stored ones as a whole."""
    connection = service.get_connection(
        session, household_id=membership.household.id, connection_id=connection_id
    )
    check_if_match(request, connection.version)
    _check(connection.provider, body, connection)
    service.update_connection(
        session,
        connection=connection,
        actor=membership.actor,
        changes=body.changes(),
        secret_key=secret_key(settings),
        now=at,
    )
    set_etag(response, connection.version)
    return render(connection)


@router.delete(
    "/{connection_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 412),
)
def delete_connection(
    connection_id: ConnectionId, membership: AdminHousehold, session: DbSession, request: Request
) -> None:
    """Its runs and imported rows stay, unlinked; the expenses they made stay too."""
    connection = service.get_connection(
        session, household_id=membership.household.id, connection_id=connection_id
    )
    check_if_match(request, connection.version)
    service.delete_connection(session, connection=connection, actor=membership.actor)


@router.post(
    "/{connection_id}/sync",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ImportRun,
    responses=errors(401, 403, 404, 409, 422),
)
def sync_connection(
    connection_id: ConnectionId,
    membership: WriteHousehold,
    session: DbSession,
    settings: Settings_,
    client: HttpClient,
    response: Response,
    at: Now,
    full: Annotated[
        bool, Query(description="Ignore the stored cursor and read everything again.")
    ] = False,
) -> schemas.ImportRun:
    """Pull what is new now. The run is returned either way: `failed` with the reason when
    the source could not be read (the cursor then stays where it was)."""
    connection = service.get_connection(
        session, household_id=membership.household.id, connection_id=connection_id
    )
    if connection.provider == service.FILE_PROVIDER:
        raise Conflict("a file connection has nothing to sync: upload files to it")
    from integrations import sync as syncing

    run = syncing.sync_connection(
        session,
        connection=connection,
        household=membership.household,
        actor=membership.actor,
        client=client,
        secret_key=secret_key(settings),
        now=at,
        full=full,
    )
    response.headers["Location"] = f"/v1/households/{run.household_id}/imports/{run.id}"
    return render_run(run)
