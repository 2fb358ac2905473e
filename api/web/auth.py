"""Sign in, create an account, sign out.

Sign-in checks the password exactly as `POST /v1/tokens` does and is throttled by the same
counters (api/login_throttle.py guards this path too: a failure answers 401). Every
successful sign-in starts a new session under a new secret and deletes the one the browser
had, signed in or not.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from api.deps import DbSession, Now, Settings_, writes_on_read
from api.schemas.accounts import UserCreate
from api.web import cookies
from api.web.forms import FORM, FormErrors, status_of, validate
from api.web.routing import WebRoute
from api.web.session import Browser, BrowserSession, CheckedForm, get_browser
from api.web.templating import render
from domain.accounts import service as accounts
from domain.accounts import web_sessions
from domain.errors import DomainError, Unauthenticated

router = APIRouter(prefix="/app", route_class=WebRoute)
SIGN_IN_PATH = "/app/sign-in"
Next = Annotated[str | None, Query(max_length=500)]


def _next(target: str | None) -> str:
    """Only a path of this app: never another site (`//evil`, `/app/../`)."""
    if target and target.startswith("/app/") and "//" not in target and ".." not in target:
        return target
    return "/app/"


def _anonymous(request: Request, session: DbSession, at: Now) -> tuple[Browser, str | None]:
    """The browser's session, or a new one before sign-in (for the form's CSRF token)."""
    browser = get_browser(request, session, at)
    if browser.secret is not None:
        return browser, None
    _, secret = web_sessions.start(session, user_id=None, now=at)
    return Browser(None, secret), secret


Anonymous = Annotated[tuple[Browser, str | None], Depends(_anonymous)]


def _form_page(
    request: Request,
    template: str,
    browser: Browser,
    new_secret: str | None,
    context: dict[str, object],
    status_code: int = 200,
) -> Response:
    response = render(request, template, {"csrf": browser.csrf, **context}, status_code=status_code)
    if new_secret is not None:
        cookies.set_session(response, request, new_secret, signed_in=False)
    return response


@router.get("/sign-in")
@writes_on_read
def sign_in_page(
    request: Request, anonymous: Anonymous, settings: Settings_, next: Next = None
) -> Response:
    browser, new_secret = anonymous
    if browser.row is not None and browser.row.user_id is not None:
        return RedirectResponse(_next(next), status_code=303)
    return _form_page(
        request,
        "sign_in.html",
        browser,
        new_secret,
        {"next": _next(next), "signup_open": settings.open_signup, "errors": {}, "values": {}},
    )


@router.post("/sign-in")
def sign_in(
    request: Request,
    form: CheckedForm,
    browser: BrowserSession,
    session: DbSession,
    settings: Settings_,
    at: Now,
) -> Response:
    target = _next(form.text("next"))
    try:
        _, secret = web_sessions.sign_in(
            session,
            email=form.text("email") or "",
            password=form.raw("password") or "",
            replacing=browser.secret,
            now=at,
        )
    except Unauthenticated as exc:
        return _form_page(
            request,
            "sign_in.html",
            browser,
            None,
            {
                "next": target,
                "signup_open": settings.open_signup,
                "errors": {FORM: exc.detail},
                "values": {"email": form.text("email") or ""},
            },
            status_code=401,
        )
    response = RedirectResponse(target, status_code=303)
    cookies.set_session(response, request, secret, signed_in=True)
    return response


@router.get("/sign-up")
@writes_on_read
def sign_up_page(
    request: Request, anonymous: Anonymous, settings: Settings_, next: Next = None
) -> Response:
    browser, new_secret = anonymous
    if not settings.open_signup:
        return render(
            request,
            "error.html",
            {"title": "Sign-up is closed", "detail": "Ask the server's owner for an account."},
            status_code=403,
        )
    return _form_page(
        request,
        "sign_up.html",
        browser,
        new_secret,
        {"next": _next(next), "errors": {}, "values": {}},
    )


@router.post("/sign-up")
def sign_up(
    request: Request,
    form: CheckedForm,
    browser: BrowserSession,
    session: DbSession,
    settings: Settings_,
    at: Now,
) -> Response:
    if not settings.open_signup:
        return render(
            request,
            "error.html",
            {"title": "Sign-up is closed", "detail": "Ask the server's owner for an account."},
            status_code=403,
        )
    try:
        body = validate(
            UserCreate,
            {
                "email": form.text("email"),
                "password": form.raw("password"),
                "display_name": form.text("display_name"),
            },
        )
        user = accounts.sign_up(
            session, email=body.email, password=body.password, display_name=body.display_name
        )
    except (FormErrors, DomainError) as exc:
        session.rollback()
        errors = exc.errors if isinstance(exc, FormErrors) else FormErrors.of(exc).errors
        status = 422 if isinstance(exc, FormErrors) else status_of(exc)
        values = form.values()
        values.pop("password", None)
        return _form_page(
            request,
            "sign_up.html",
            browser,
            None,
            {"next": _next(form.text("next")), "errors": errors, "values": values},
            status_code=status,
        )
    if browser.secret is not None:
        web_sessions.end(session, secret=browser.secret)
    _, secret = web_sessions.start(session, user_id=user.id, now=at)
    response = RedirectResponse(_next(form.text("next")), status_code=303)
    cookies.set_session(response, request, secret, signed_in=True)
    return response


@router.post("/sign-out")
def sign_out(
    request: Request, form: CheckedForm, browser: BrowserSession, session: DbSession
) -> Response:
    if browser.secret is not None:
        web_sessions.end(session, secret=browser.secret)
    response = RedirectResponse(SIGN_IN_PATH, status_code=303)
    cookies.clear_session(response, request)
    return response
