"""The route class every /app router uses: what would be a problem+json for the API is a
page here — no session goes to the sign-in form, a domain error is an error page."""

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute

from api.errors import DOMAIN_PROBLEMS
from api.web.templating import render
from domain.errors import DomainError


class SignInRequired(Exception):
    """The browser has no signed-in session."""


class CsrfRefused(Exception):
    """A form without this session's token, or from another origin."""


def sign_in_redirect(request: Request) -> RedirectResponse:
    target = request.url.path
    if request.method != "GET" or not target.startswith("/app/"):
        target = "/app/"
    return RedirectResponse(f"/app/sign-in?next={quote(target, safe='/')}", status_code=303)


def error_page(request: Request, status: int, title: str, detail: str) -> Response:
    return render(
        request,
        "error.html",
        {"title": title, "detail": detail},
        status_code=status,
    )


class WebRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                # A malformed path or query (an id too long, say): a page, not a problem.
                detail = "; ".join(str(e.get("msg", "not valid")) for e in exc.errors()[:3])
                return error_page(request, 422, "That address is not valid", detail)
            except SignInRequired:
                return sign_in_redirect(request)
            except CsrfRefused as exc:
                return error_page(request, 403, "This form has expired", str(exc))
            except DomainError as exc:
                status, _, title = next(
                    v for cls, v in DOMAIN_PROBLEMS.items() if isinstance(exc, cls)
                )
                return error_page(request, status, title, exc.detail)

        return guarded
