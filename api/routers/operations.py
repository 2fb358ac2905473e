"""Health, readiness and metrics. No auth, no data."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.deps import get_engine
from api.problems import problem_response
from api.responses import errors

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=dict[str, str])
def get_health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", response_model=dict[str, str], responses=errors(503))
def get_readiness(request: Request) -> Response:
    """The database answers and its schema is at the newest migration."""
    # Alembic loads on the first readiness probe, not at start: a server that is never
    # probed (a Raspberry Pi at home) does not carry it.
    from migrations.runner import current_revisions, head_revisions

    engine = get_engine(request)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        current = current_revisions(engine)
    except SQLAlchemyError:
        return problem_response(503, "unavailable", "Not ready", "the database is unreachable")
    if current != head_revisions():
        return problem_response(
            503, "unavailable", "Not ready", "the database schema is not at the newest migration"
        )
    return JSONResponse({"status": "ready"})


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {"content": {CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}}}
    },
)
def get_metrics(request: Request) -> Response:
    """Prometheus text format."""
    return Response(generate_latest(request.app.state.registry), media_type=CONTENT_TYPE_LATEST)
