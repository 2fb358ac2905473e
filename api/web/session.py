"""The browser's session, the signed-in viewer, their household, and the CSRF check.

Authorisation is the API's own: a signed-in browser acts as a principal with a full
account token would (read, write, admin, every household), and reaches a household only
through `api.deps.membership_of`, the function every API route is scoped by.
"""

import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from api.deps import DbSession, HouseholdId, Now, membership_of
from api.web.cookies import SESSION_COOKIE
from api.web.forms import Form
from api.web.routing import CsrfRefused, SignInRequired
from domain.accounts import service as accounts
from domain.accounts import web_sessions
from domain.accounts.models import User, WebSession
from domain.accounts.scopes import DEFAULT_SCOPES
from domain.accounts.service import Principal
from domain.households.models import Household, Member
from domain.households.service import Membership, list_households

CSRF_FIELD = "csrf_token"
_MAX_SECRET = 100


@dataclass(frozen=True)
class Browser:
    """The session the browser's cookie names, if it is live."""

    row: WebSession | None
    secret: str | None

    @property
    def csrf(self) -> str:
        return web_sessions.csrf_token(self.secret) if self.secret else ""


def get_browser(request: Request, session: DbSession, at: Now) -> Browser:
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret or len(secret) > _MAX_SECRET:
        return Browser(None, None)
    row = web_sessions.find(session, secret=secret, now=at)
    return Browser(row, secret if row is not None else None)


BrowserSession = Annotated[Browser, Depends(get_browser)]


@dataclass(frozen=True)
class Viewer:
    """A signed-in browser: the account, the principal it acts as, and its households."""

    user: User
    principal: Principal
    csrf: str
    households: list[tuple[Household, Member]]


def get_viewer(browser: BrowserSession, session: DbSession) -> Viewer:
    if browser.row is None or browser.row.user_id is None:
        raise SignInRequired()
    user = accounts.get_user(session, user_id=browser.row.user_id)
    principal = Principal(
        user_id=user.id,
        token_id=f"web:{browser.row.id}",
        scopes=frozenset(DEFAULT_SCOPES),
        household_id=None,
    )
    households = list_households(session, user_id=user.id, only=None, before_id=None, limit=100)
    return Viewer(user=user, principal=principal, csrf=browser.csrf, households=households)


SignedIn = Annotated[Viewer, Depends(get_viewer)]


def get_household(viewer: SignedIn, session: DbSession, household_id: HouseholdId) -> Membership:
    return membership_of(session, viewer.principal, household_id)


HouseholdOfViewer = Annotated[Membership, Depends(get_household)]


def same_origin(request: Request) -> bool:
    """The form was sent from a page of this server: Origin (sent by browsers with every
    POST) or, failing that, Referer names this host."""
    own = request.url.netloc.lower()
    origin = request.headers.get("origin")
    if origin is None:
        origin = request.headers.get("referer")
    if not origin or origin == "null":
        return False
    return urlsplit(origin).netloc.lower() == own


async def read_form(request: Request) -> FormData:
    return await request.form()


def checked_form(
    request: Request, browser: BrowserSession, data: Annotated[FormData, Depends(read_form)]
) -> Form:
    """The posted form, once it has proven it came from this session's own page."""
    if not same_origin(request):
        raise CsrfRefused("the form was not sent from this site's own page")
    sent = data.get(CSRF_FIELD)
    if browser.secret is None or not isinstance(sent, str):
        raise CsrfRefused("your session has ended: reload the page and send the form again")
    if not hmac.compare_digest(sent.encode(), browser.csrf.encode()):
        raise CsrfRefused("the form's security token does not match: reload the page")
    return Form(data)


CheckedForm = Annotated[Form, Depends(checked_form)]


@dataclass(frozen=True)
class Viewing:
    """One of a household's pages as the signed-in viewer opens it: the request, the viewer,
    their membership, and the request's database session and time."""

    request: Request
    viewer: Viewer
    membership: Membership
    session: Session
    at: datetime


def get_viewing(
    request: Request, viewer: SignedIn, membership: HouseholdOfViewer, session: DbSession, at: Now
) -> Viewing:
    return Viewing(request, viewer, membership, session, at)


Viewed = Annotated[Viewing, Depends(get_viewing)]


@dataclass(frozen=True)
class Posted(Viewing):
    """A form posted to one of a household's pages: what `Viewing` holds, and the form (its
    origin and CSRF token checked). Every page action takes this one parameter."""

    form: Form


def get_posted(page: Viewed, form: CheckedForm) -> Posted:
    return Posted(page.request, page.viewer, page.membership, page.session, page.at, form)


PostedForm = Annotated[Posted, Depends(get_posted)]
