"""Bank file uploads and the import runs they (and syncs) make."""

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Query, Response, UploadFile, status

from api.deps import DbSession, Now, ReadHousehold, WriteHousehold
from api.pagination import Page, Paging, page
from api.responses import errors
from api.schemas import imports as schemas
from api.schemas.common import Currency
from domain.db import yielding_commit
from domain.imports import runs
from domain.imports.connections import get_connection
from domain.imports.models import ImportRun
from integrations.file_import import FileOptions, import_file
from integrations.files.formats import HELP as FORMAT_HELP

router = APIRouter(prefix="/v1/households/{household_id}/imports", tags=["imports"])
# The upload route, for the body-size middleware: bank files may exceed the JSON limit.
UPLOAD_PATH = r"/v1/households/[^/]+/imports/?"


def render(run: ImportRun) -> schemas.ImportRun:
    return schemas.ImportRun.model_validate(run, from_attributes=True)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ImportRun,
    responses=errors(401, 403, 404, 409, 413, 422),
)
def create_import(
    membership: WriteHousehold,
    session: DbSession,
    response: Response,
    at: Now,
    file: Annotated[UploadFile, File(description="OFX/QFX, QIF, CSV or CAMT.053.")],
    format: Annotated[
        str | None,
        Form(max_length=16, description=f"{FORMAT_HELP}; default: detected."),
    ] = None,
    connection_id: Annotated[
        str | None,
        Form(max_length=36, description="A `file` connection: its CSV mapping and account map."),
    ] = None,
    account: Annotated[
        str | None, Form(max_length=200, description="For files that do not name one.")
    ] = None,
    currency: Annotated[Currency | None, Form()] = None,
    qif_day_first: Annotated[bool | None, Form()] = None,
    include_pending: Annotated[bool | None, Form()] = None,
) -> schemas.ImportRun:
    """Import a bank file. Rows already imported are not imported again, rules decide what
    becomes a shared expense, and rows that cannot be read are listed with line and reason
    while the others land. Unmapped accounts are taken as the uploader's."""
    household = membership.household
    connection = (
        get_connection(session, household_id=household.id, connection_id=connection_id)
        if connection_id
        else None
    )
    run = import_file(
        session,
        household=household,
        actor=membership.actor,
        data=file.file.read(),
        filename=file.filename,
        options=FileOptions(
            format=format,
            account=account,
            currency=currency,
            qif_day_first=qif_day_first,
            include_pending=include_pending,
        ),
        connection=connection,
        default_member=membership.member.id,
        now=at,
        # The request's own session commits between chunks: a long import does not hold
        # SQLite's write lock against every other household's writes.
        checkpoint=yielding_commit(session),
    )
    response.headers["Location"] = f"/v1/households/{household.id}/imports/{run.id}"
    return render(run)


@router.get("", response_model=Page[schemas.ImportRun], responses=errors(401, 403, 404, 422))
def list_imports(
    membership: ReadHousehold,
    session: DbSession,
    paging: Paging,
    connection_id: Annotated[str | None, Query(max_length=36)] = None,
) -> Page[schemas.ImportRun]:
    """Newest first: file uploads and syncs, with their counts and row errors."""
    rows = runs.list_runs(
        session,
        household_id=membership.household.id,
        connection_id=connection_id,
        after=paging.after,
        limit=paging.fetch,
    )
    return page(rows, paging, render, lambda r: r.id)


@router.get("/{import_id}", response_model=schemas.ImportRun, responses=errors(401, 403, 404))
def get_import(
    import_id: Annotated[str, Path(max_length=36)], membership: ReadHousehold, session: DbSession
) -> schemas.ImportRun:
    return render(runs.get_run(session, household_id=membership.household.id, run_id=import_id))
