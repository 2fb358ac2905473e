"""The two cookies the household page sets: the session (secret, HTTP-only) and the last
household opened (an id, so /app/ can open it again)."""

from fastapi import Request, Response

from domain.accounts.web_sessions import SIGNED_IN_FOR

SESSION_COOKIE = "fairstead_session"
HOUSEHOLD_COOKIE = "fairstead_household"
PATH = "/app"


def _secure(request: Request) -> bool:
    # Secure whenever the page is served over https (behind a proxy, run uvicorn with
    # --forwarded-allow-ips so the scheme is known); plain http on a home network or in
    # tests would otherwise never send the cookie back.
    return request.url.scheme == "https"


def set_session(response: Response, request: Request, secret: str, *, signed_in: bool) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=int(SIGNED_IN_FOR.total_seconds()) if signed_in else None,
        path=PATH,
        secure=_secure(request),
        httponly=True,
        samesite="lax",
    )


def clear_session(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path=PATH, secure=_secure(request), httponly=True, samesite="lax"
    )


def remember_household(response: Response, request: Request, household_id: str) -> None:
    response.set_cookie(
        HOUSEHOLD_COOKIE,
        household_id,
        max_age=int(SIGNED_IN_FOR.total_seconds()),
        path=PATH,
        secure=_secure(request),
        httponly=True,
        samesite="lax",
    )
