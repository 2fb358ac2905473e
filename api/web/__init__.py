"""The household page: server-rendered HTML under /app for the people in a household.

Plain HTML forms over the same domain services and membership checks as the API (api.deps),
signed in with a browser session (domain.accounts.web_sessions) instead of a bearer token.
Nothing here is in the OpenAPI document: it is a page, not part of the API contract.
"""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

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
        return Response(status_code=404)
