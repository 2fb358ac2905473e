"""The household page: server-rendered HTML under /app for the people in a household.

Plain HTML forms over the same domain services and membership checks as the API (api.deps),
signed in with a browser session (domain.accounts.web_sessions) instead of a bearer token.
Nothing here is in the OpenAPI document: it is a page, not part of the API contract.

A page module has a router with `route_class=WebRoute` (routing.py: no session → the sign-in
form, a domain error → an error page) and takes what it needs from session.py: `SignedIn`
(the viewer), `HouseholdOfViewer` (their membership, by the API's scoping rule) and
`CheckedForm` (a POST's form, once its CSRF token and origin are checked), or those together
with the request's session and time as one parameter: `Viewed` for a page, `PostedForm` for
a form posted to it. forms.py turns a
form into the API's own input schema (`validate`), runs the action (`attempt`: a refusal
rolls back and comes back as messages by field), and parses amounts in the reader's locale;
templating.py renders with `money` and `day` formatters; templates/_forms.html has the
labelled fields that show those messages. Each form's template includes `f.csrf_field()`.
"""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from api.web import auth, home, household, money, pages

PREFIX = "/app"
STATIC = Path(__file__).parent / "static"


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept.lower()


def install(app: FastAPI) -> None:
    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC), name="web-static")
    for module in (auth, pages, home, money, household):
        app.include_router(module.router, include_in_schema=False)

    @app.get("/", include_in_schema=False)
    def root(request: Request) -> Response:
        """A browser opening the server's address lands on the household page."""
        if _wants_html(request):
            return RedirectResponse(f"{PREFIX}/", status_code=303)
        raise HTTPException(status_code=404)
