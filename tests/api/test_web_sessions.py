"""The household page's sessions and forms: every POST needs this session's CSRF token and
a same-origin Origin (or Referer); signing in starts a new session (a planted one is worth
nothing); signing out ends it; failed sign-ins are throttled like POST /v1/tokens."""

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from domain.accounts.models import WebSession
from domain.households.models import Household
from tests.api.conftest import PASSWORD, assert_problem, count
from tests.api.limits_builders import Clock, limited_app
from tests.api.web_builders import WebBrowser, api_caller


def test_a_browser_asking_for_the_root_is_sent_to_the_app(app: FastAPI) -> None:
    browser = WebBrowser(app)
    assert browser.get("/").headers["location"] == "/app/"
    assert browser.client.get("/", headers={"Accept": "application/json"}).status_code == 404


def test_the_app_without_a_session_asks_to_sign_in(app: FastAPI) -> None:
    response = WebBrowser(app).get("/app/")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/app/sign-in")


def test_the_app_has_its_own_policy_and_a_secure_session_cookie(app: FastAPI) -> None:
    response = WebBrowser(app).get("/app/sign-in")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["referrer-policy"] == "same-origin"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/app" in cookie
    over_https = WebBrowser(app)
    over_https.client.base_url = over_https.client.base_url.copy_with(scheme="https")
    assert "secure" in over_https.get("/app/sign-in").headers["set-cookie"].lower()


def test_sign_up_signs_in_and_creates_a_household(app: FastAPI, engine: Engine) -> None:
    browser = WebBrowser(app)
    browser.sign_up("Sam")
    household_id = browser.create_household("Elm Street")
    home = browser.get(f"/app/households/{household_id}")
    assert home.status_code == 200
    assert "<h1>Elm Street</h1>" in home.text
    assert count(engine, Household, Household.id == household_id) == 1


@pytest.mark.parametrize(
    ("token", "origin"),
    [
        (None, "http://testserver"),  # no token at all
        ("0" * 64, "http://testserver"),  # a wrong token
        ("own", "https://evil.example"),  # the right token, sent from another site
        ("own", None),  # neither Origin nor Referer
        ("own", "null"),
    ],
)
def test_a_forged_form_is_refused_and_writes_nothing(
    app: FastAPI, engine: Engine, token: str | None, origin: str | None
) -> None:
    browser = WebBrowser(app)
    browser.sign_up("Sam")
    own = browser.csrf("/app/households")
    data = {"name": "Forged", "currency": "EUR", "timezone": "UTC"}
    if token is not None:
        data["csrf_token"] = own if token == "own" else token
    headers = {"Origin": origin} if origin is not None else {}

    response = browser.client.post("/app/households", data=data, headers=headers)

    assert response.status_code == 403, response.text
    assert count(engine, Household, Household.name == "Forged") == 0


def test_a_referer_from_this_site_stands_in_for_a_missing_origin(
    app: FastAPI, engine: Engine
) -> None:
    browser = WebBrowser(app)
    browser.sign_up("Sam")
    response = browser.client.post(
        "/app/households",
        data={
            "csrf_token": browser.csrf("/app/households"),
            "name": "Ok",
            "currency": "EUR",
            "timezone": "UTC",
        },
        headers={"Referer": "http://testserver/app/households"},
    )
    assert response.status_code == 303, response.text
    assert count(engine, Household, Household.name == "Ok") == 1


def test_another_sessions_token_is_refused(app: FastAPI, engine: Engine) -> None:
    sam, alex = WebBrowser(app), WebBrowser(app)
    sam.sign_up("Sam")
    alex.sign_up("Alex")
    response = sam.post(
        "/app/households",
        {"name": "Forged", "currency": "EUR", "timezone": "UTC"},
        csrf=alex.csrf("/app/households"),
    )
    assert response.status_code == 403
    assert count(engine, Household, Household.name == "Forged") == 0


def test_a_session_planted_before_sign_in_is_worthless_after_it(app: FastAPI) -> None:
    owner = WebBrowser(app)
    owner.sign_up("Sam")
    owner.post("/app/sign-out", {}, page="/app/households")

    # The attacker's browser gets a pre-login session and plants its id in the victim's.
    attacker = WebBrowser(app)
    attacker.get("/app/sign-in")
    planted = attacker.session_cookie
    assert planted
    victim = WebBrowser(app)
    victim.plant(planted)

    response = victim.sign_in(owner.email)

    assert response.status_code == 303
    assert victim.session_cookie not in (None, planted)
    # The planted id was deleted: the attacker holding it is not signed in as anyone.
    assert attacker.get("/app/").headers["location"].startswith("/app/sign-in")
    assert victim.get("/app/").status_code in (200, 303)
    assert not victim.get("/app/").headers.get("location", "").startswith("/app/sign-in")


def test_signing_in_again_replaces_a_signed_in_session(app: FastAPI, engine: Engine) -> None:
    browser = WebBrowser(app)
    browser.sign_up("Sam")
    first = browser.session_cookie
    browser.post("/app/sign-out", {}, page="/app/households")
    browser.sign_in(browser.email)
    second = browser.session_cookie
    # Signed in already, the form is posted with the signed-in session's token.
    again = browser.post(
        "/app/sign-in", {"email": browser.email, "password": PASSWORD}, page="/app/households"
    )
    assert again.status_code == 303
    assert len({first, second, browser.session_cookie}) == 3
    stale = WebBrowser(app)
    stale.plant(second or "")
    assert stale.get("/app/").headers["location"].startswith("/app/sign-in")


def test_a_wrong_password_is_401_and_signs_nobody_in(app: FastAPI) -> None:
    owner = WebBrowser(app)
    owner.sign_up("Sam")
    browser = WebBrowser(app)
    response = browser.sign_in(owner.email, "not the password")
    assert response.status_code == 401
    assert "wrong email or password" in response.text
    assert browser.get("/app/").headers["location"].startswith("/app/sign-in")


def test_sign_out_ends_the_session_on_the_server(app: FastAPI, engine: Engine) -> None:
    browser = WebBrowser(app)
    browser.sign_up("Sam")
    secret = browser.session_cookie
    assert count(engine, WebSession) == 1

    response = browser.post("/app/sign-out", {}, page="/app/households")

    assert response.status_code == 303
    assert count(engine, WebSession) == 0
    replayed = WebBrowser(app)  # the cookie, kept by someone who copied it
    replayed.plant(secret or "")
    assert replayed.get("/app/").headers["location"].startswith("/app/sign-in")


def test_sign_out_without_the_token_is_refused(app: FastAPI) -> None:
    browser = WebBrowser(app)
    browser.sign_up("Sam")
    response = browser.client.post(
        "/app/sign-out", data={}, headers={"Origin": "http://testserver"}
    )
    assert response.status_code == 403
    assert browser.get("/app/").status_code == 200


def test_sessions_are_stored_hashed(app: FastAPI, engine: Engine) -> None:
    from sqlalchemy.orm import Session

    browser = WebBrowser(app)
    browser.sign_up("Sam")
    with Session(engine) as session:
        stored = session.query(WebSession).one()
    assert browser.session_cookie and browser.session_cookie not in stored.secret_hash


def test_sign_up_refuses_bad_input_beside_the_fields(app: FastAPI) -> None:
    browser = WebBrowser(app)
    response = browser.post(
        "/app/sign-up", {"email": "not-an-email", "password": "x", "display_name": ""}
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text
    assert browser.get("/app/").headers["location"].startswith("/app/sign-in")


def test_sign_up_is_refused_when_closed(app: FastAPI) -> None:
    app.state.settings = app.state.settings.model_copy(update={"open_signup": False})
    browser = WebBrowser(app)
    assert browser.get("/app/sign-up").status_code == 403
    response = browser.post(
        "/app/sign-up",
        {"email": "a@example.org", "password": PASSWORD, "display_name": "A"},
        page="/app/sign-in",
    )
    assert response.status_code == 403


def test_failed_sign_ins_are_throttled_like_the_token_endpoint(
    database_url: str, engine: Engine
) -> None:
    app = limited_app(
        "database",
        database_url,
        engine,
        Clock(),
        login_failures_per_account=3,
        login_failures_per_account_total=100,
        login_failures_per_ip=100,
    )
    owner = WebBrowser(app)
    owner.sign_up("Sam")
    browser = WebBrowser(app)
    for _ in range(3):
        assert browser.sign_in(owner.email, "wrong").status_code == 401
    refused = browser.sign_in(owner.email)  # the right password, too late
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    # The API's own login is throttled by the same counters.
    token = browser.client.post(
        "/v1/tokens", json={"email": owner.email, "password": PASSWORD, "name": "t"}
    )
    assert token.status_code == 429


def test_the_root_stays_a_problem_for_api_clients(app: FastAPI) -> None:
    response = WebBrowser(app).client.get("/", headers={"Accept": "application/json"})
    assert_problem(response, 404)


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/app/", "/app/../v1/me", "/v1/me"]
)
def test_sign_in_never_sends_the_browser_off_the_app(app: FastAPI, target: str) -> None:
    owner = WebBrowser(app)
    owner.sign_up("Sam")
    browser = WebBrowser(app)
    response = browser.post(
        "/app/sign-in",
        {"email": owner.email, "password": PASSWORD, "next": target},
        page="/app/sign-in",
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/app/"


def test_a_new_password_ends_every_browser_session(app: FastAPI, engine: Engine) -> None:
    browser = WebBrowser(app)
    browser.sign_up("Sam")
    caller = api_caller(browser)
    changed = caller.patch(
        "/v1/me", json={"password": "another long password", "current_password": PASSWORD}
    )
    assert changed.status_code == 200, changed.text
    assert count(engine, WebSession) == 0
    assert browser.get("/app/").headers["location"].startswith("/app/sign-in")


def test_deleting_the_account_ends_its_sessions(app: FastAPI, engine: Engine) -> None:
    browser = WebBrowser(app)
    browser.sign_up("Sam")
    caller = api_caller(browser)
    deleted = caller.request("DELETE", "/v1/me", json={"current_password": PASSWORD})
    assert deleted.status_code == 204, deleted.text
    assert count(engine, WebSession) == 0


def test_an_invitation_link_asks_to_sign_in_first_and_comes_back(app: FastAPI) -> None:
    response = WebBrowser(app).get("/app/join/some-code")
    assert response.status_code == 303
    assert response.headers["location"] == "/app/sign-in?next=/app/join/some-code"


def test_an_unknown_or_used_invitation_is_refused_and_joins_nothing(
    app: FastAPI, engine: Engine
) -> None:
    from domain.households.models import Member

    owner, guest = WebBrowser(app), WebBrowser(app)
    owner.sign_up("Sam")
    household_id = owner.create_household()
    guest.sign_up("Alex")
    unknown = guest.post("/app/join/not-a-code", {})
    assert unknown.status_code == 404
    assert 'role="alert"' in unknown.text
    code = api_caller(owner).post(f"/v1/households/{household_id}/invitations", json={})
    assert guest.post(f"/app/join/{code.json()['code']}", {}).status_code == 303
    third = WebBrowser(app)
    third.sign_up("Robin")
    again = third.post(f"/app/join/{code.json()['code']}", {})
    assert again.status_code in (404, 409, 410)
    assert count(engine, Member, Member.household_id == household_id) == 2


def test_signing_up_twice_with_one_email_is_a_conflict_beside_the_email(app: FastAPI) -> None:
    first = WebBrowser(app)
    first.sign_up("Sam")
    second = WebBrowser(app)
    response = second.post(
        "/app/sign-up", {"email": first.email, "password": PASSWORD, "display_name": "Sam"}
    )
    assert response.status_code == 409
    assert 'id="sign-up-email-error"' in response.text


def test_a_malformed_address_is_a_page_not_a_problem(app: FastAPI) -> None:
    browser = WebBrowser(app)
    browser.sign_up("Sam")
    response = browser.get("/app/households/" + "x" * 40)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
