"""A browser for the household page without a browser: a TestClient with its own cookie
jar, that reads each form's CSRF token from the page it fetched and posts as a browser
would (with an Origin header, following no redirect unless asked)."""

import itertools
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD, Caller

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


def api_caller(browser: WebBrowser, user_id: str = "") -> Caller:
    """The same account through the API: a token from POST /v1/tokens."""
    response = browser.client.post(
        "/v1/tokens", json={"email": browser.email, "password": PASSWORD, "name": "api"}
    )
    assert response.status_code == 201, response.text
    me = browser.client.get(
        "/v1/me", headers={"Authorization": f"Bearer {response.json()['token']}"}
    )
    return Caller(browser.client, response.json()["token"], me.json()["id"], browser.email)


@dataclass
class World:
    """Sam and Alex, each in their own browser and through the API, in one household:
    Sam paid 30.00 split equally, a chore is due today, a ranked-choice decision is open
    and this month's proposals have been made."""

    household_id: str
    sam: WebBrowser
    alex: WebBrowser
    sam_api: Caller
    alex_api: Caller
    sam_member: str
    alex_member: str

    @property
    def home(self) -> str:
        return f"/app/households/{self.household_id}"

    def api(self, path: str) -> str:
        return f"/v1/households/{self.household_id}/{path}"


def member_of(caller: Caller, household_id: str) -> str:
    rows = caller.get(f"/v1/households/{household_id}/members").json()["data"]
    member_id: str = next(m["id"] for m in rows if m["user_id"] == caller.user_id)
    return member_id


def world(app: FastAPI) -> World:
    sam, alex = WebBrowser(app), WebBrowser(app)
    sam.sign_up("Sam")
    alex.sign_up("Alex")
    household_id = sam.create_household("Elm Street")
    sam_api, alex_api = api_caller(sam), api_caller(alex)
    invitation = sam_api.post(f"/v1/households/{household_id}/invitations", json={})
    assert invitation.status_code == 201, invitation.text
    joined = alex.post(f"/app/join/{invitation.json()['code']}", {})
    assert joined.status_code == 303, joined.text
    home = World(
        household_id, sam, alex, sam_api, alex_api,
        member_of(sam_api, household_id), member_of(alex_api, household_id),
    )  # fmt: skip
    today = date.today().isoformat()
    expense = sam_api.post(
        home.api("expenses"),
        json={
            "description": "Groceries", "amount": 3000, "currency": "EUR",
            "paid_by": home.sam_member, "date": today,
            "split": {"method": "equal", "participants": [
                {"member_id": home.sam_member}, {"member_id": home.alex_member}]},
        },
    )  # fmt: skip
    assert expense.status_code == 201, expense.text
    chore = sam_api.post(
        home.api("chores"),
        json={"name": "Dishes", "estimated_minutes": 20, "effort": 2, "load": "execution",
              "recurrence": "FREQ=DAILY", "starts_on": today},
    )  # fmt: skip
    assert chore.status_code == 201, chore.text
    decision = sam_api.post(
        home.api("decisions"),
        json={"title": "Holiday", "method": "ranked_choice", "ballot": "open",
              "options": ["Sea", "Mountains", "City"]},
    )  # fmt: skip
    assert decision.status_code == 201, decision.text
    first = date.today().replace(day=1).isoformat()
    proposals = sam_api.post(home.api("fairness/proposals"), json={"from": first, "to": today})
    assert proposals.status_code == 201, proposals.text
    return home
