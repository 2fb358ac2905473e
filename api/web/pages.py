"""/app/ itself: open the last household, or choose one, create one, or join by a link."""

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from api.deps import DbSession, Now
from api.schemas.households import HouseholdCreate
from api.web.cookies import HOUSEHOLD_COOKIE
from api.web.forms import FormErrors, status_of, validate
from api.web.routing import WebRoute
from api.web.session import CheckedForm, SignedIn, Viewer
from api.web.templating import render
from domain.errors import DomainError
from domain.households import invitations
from domain.households import service as households

router = APIRouter(prefix="/app", route_class=WebRoute)
DEFAULT_TIMEZONE = "UTC"


def home_url(household_id: str) -> str:
    return f"/app/households/{household_id}"


def _picker(
    request: Request,
    viewer: Viewer,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "picker.html",
        {
            "viewer": viewer,
            "csrf": viewer.csrf,
            "errors": errors or {},
            "values": values or {"currency": "EUR", "timezone": DEFAULT_TIMEZONE},
        },
        status_code=status_code,
    )


@router.get("/")
def open_app(request: Request, viewer: SignedIn) -> Response:
    last = request.cookies.get(HOUSEHOLD_COOKIE)
    ids = [household.id for household, _ in viewer.households]
    if last in ids:
        return RedirectResponse(home_url(last), status_code=303)
    if len(ids) == 1:
        return RedirectResponse(home_url(ids[0]), status_code=303)
    return _picker(request, viewer)


@router.get("/households")
def choose_household(request: Request, viewer: SignedIn) -> Response:
    return _picker(request, viewer)


@router.post("/households")
def create_household(
    request: Request, viewer: SignedIn, form: CheckedForm, session: DbSession, at: Now
) -> Response:
    try:
        body = validate(
            HouseholdCreate,
            {
                "name": form.text("name"),
                "currency": (form.text("currency") or "").upper() or None,
                "timezone": form.text("timezone") or DEFAULT_TIMEZONE,
            },
        )
        household, _ = households.create_household(
            session,
            user=viewer.user,
            name=body.name,
            currency=body.currency,
            timezone=body.timezone,
            now=at,
        )
    except (FormErrors, DomainError) as exc:
        session.rollback()
        errors = exc.errors if isinstance(exc, FormErrors) else FormErrors.of(exc).errors
        return _picker(request, viewer, errors=errors, values=form.values(), status_code=422)
    return RedirectResponse(home_url(household.id), status_code=303)


@router.get("/join/{code}")
def join_page(request: Request, viewer: SignedIn, code: str = Path(max_length=64)) -> Response:
    return render(
        request,
        "join.html",
        {"viewer": viewer, "csrf": viewer.csrf, "code": code, "errors": {}},
    )


@router.post("/join/{code}")
def join_household(
    request: Request,
    viewer: SignedIn,
    form: CheckedForm,
    session: DbSession,
    at: Now,
    code: str = Path(max_length=64),
) -> Response:
    """Accepts the invitation as `POST /v1/invitations/{code}/accept` does (a new member)."""
    try:
        member = invitations.accept_invitation(
            session, code=code, user=viewer.user, member_id=None, now=at
        )
    except DomainError as exc:
        session.rollback()
        return render(
            request,
            "join.html",
            {"viewer": viewer, "csrf": viewer.csrf, "code": code, "errors": {"form": exc.detail}},
            status_code=status_of(exc),
        )
    return RedirectResponse(home_url(member.household_id), status_code=303)
