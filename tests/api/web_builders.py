"""A browser for the household page without a browser: a TestClient with its own cookie
jar, that reads each form's CSRF token from the page it fetched and posts as a browser
would (with an Origin header, following no redirect unless asked)."""

import itertools
import re
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD

ORIGIN = "http://testserver"
_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')
_names = itertools.count()


class WebBrowser:
    def __init__(self, app: FastAPI) -> None:
        self.client = TestClient(
            app, base_url=ORIGIN, follow_redirects=False, raise_server_exceptions=False
        )
        self.email = ""

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, headers={"Accept": "text/html"}, **kwargs)

    def csrf(self, path: str = "/app/sign-in") -> str:
        page = self.get(path)
        found = _CSRF.search(page.text)
        assert found, (page.status_code, page.text[:500])
        return found.group(1)

    def post(
        self,
        path: str,
        data: dict[str, Any],
        *,
        csrf: str | None = None,
        page: str | None = None,
        origin: str | None = ORIGIN,
    ) -> Any:
        """Posts `data` with the token read from `page` (default: the page at `path`'s
        parent form, i.e. `page or path`), unless `csrf` is given."""
        token = csrf if csrf is not None else self.csrf(page or path)
        headers = {"Origin": origin} if origin is not None else {}
        return self.client.post(path, data={"csrf_token": token, **data}, headers=headers)

    @property
    def session_cookie(self) -> str | None:
        value: str | None = self.client.cookies.get("fairstead_session")
        return value

    def plant(self, secret: str) -> None:
        """Sets the session cookie as if the server had (someone copied or planted it)."""
        self.client.cookies.clear()
        self.client.cookies.set("fairstead_session", secret, domain="testserver.local", path="/app")

    def sign_up(self, name: str = "Sam") -> Any:
        self.email = f"web-{name.lower()}{next(_names)}@example.org"
        response = self.post(
            "/app/sign-up",
            {"email": self.email, "password": PASSWORD, "display_name": name},
        )
        assert response.status_code == 303, response.text
        return response

    def sign_in(self, email: str, password: str = PASSWORD) -> Any:
        return self.post("/app/sign-in", {"email": email, "password": password})

    def create_household(self, name: str = "Home", currency: str = "EUR") -> str:
        response = self.post(
            "/app/households",
            {"name": name, "currency": currency, "timezone": "Europe/Berlin"},
            page="/app/households",
        )
        assert response.status_code == 303, response.text
        location: str = response.headers["location"]
        return location.rsplit("/", 1)[-1]
