"""Sign-up, tokens (scopes, household restriction, expiry, revocation) and /v1/me."""

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from api.app import create_app
from domain.accounts.models import ApiToken, User
from domain.households.models import Household
from domain.settings import Settings
from tests.api.conftest import PASSWORD, Caller, assert_problem, count, fetch


def _token(client: TestClient, email: str, password: str = PASSWORD, **fields: object) -> object:
    return client.post(
        "/v1/tokens", json={"email": email, "password": password, "name": "cli", **fields}
    )


def test_sign_up_returns_the_user_and_stores_an_argon2_hash(
    client: TestClient, engine: Engine
) -> None:
    response = client.post(
        "/v1/users",
        json={"email": "Robin@Example.org", "password": PASSWORD, "display_name": "Robin"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"id", "email", "display_name", "created_at"}
    assert body["email"] == "robin@example.org"
    user = fetch(engine, User, body["id"])
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_sign_up_is_refused_when_closed_by_settings(database_url: str, engine: Engine) -> None:
    app = create_app(Settings(database_url=database_url, open_signup=False), engine=engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post(
            "/v1/users", json={"email": "a@example.org", "password": PASSWORD, "display_name": "A"}
        )
    assert_problem(response, 403)
    assert count(engine, User) == 0


def test_sign_up_with_a_taken_email_is_409_whatever_its_case(
    client: TestClient, sam: Caller, engine: Engine
) -> None:
    response = client.post(
        "/v1/users",
        json={"email": sam.email.upper(), "password": PASSWORD, "display_name": "Other"},
    )
    assert_problem(response, 409)
    assert count(engine, User) == 1


def test_token_is_shown_once_and_stored_only_as_its_hash(
    client: TestClient, sam: Caller, engine: Engine
) -> None:
    response = _token(client, sam.email)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["token"].startswith("fst_")
    assert body["scopes"] == ["admin", "read", "write"]
    assert body["household_id"] is None and body["expires_at"] is None
    stored = fetch(engine, ApiToken, body["id"])
    assert stored.token_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in repr(vars(stored))

    listed = sam.get("/v1/tokens")
    assert listed.status_code == 200
    assert {t["id"] for t in listed.json()} == {stored.id, _token_id(engine, sam)}
    assert all("token" not in t for t in listed.json())


def _token_id(engine: Engine, caller: Caller) -> str:
    secret_hash = hashlib.sha256(caller.token.encode()).hexdigest()
    with Session(engine) as session:
        token = session.query(ApiToken).filter_by(token_hash=secret_hash).one()
        return token.id


def test_wrong_password_or_unknown_email_gets_401_and_no_token(
    client: TestClient, sam: Caller, engine: Engine
) -> None:
    assert_problem(_token(client, sam.email, "not the password"), 401)
    assert_problem(_token(client, "nobody@example.org"), 401)
    assert count(engine, ApiToken) == 1


def test_token_expires_in_the_given_days(client: TestClient, sam: Caller) -> None:
    before = datetime.now(UTC)
    body = _token(client, sam.email, expires_in_days=7).json()
    expires = datetime.fromisoformat(body["expires_at"])
    assert before + timedelta(days=7) <= expires <= datetime.now(UTC) + timedelta(days=7)


def test_expired_token_gets_401(client: TestClient, sam: Caller, engine: Engine) -> None:
    body = _token(client, sam.email, expires_in_days=1).json()
    headers = {"Authorization": f"Bearer {body['token']}"}
    assert client.get("/v1/me", headers=headers).status_code == 200
    with Session(engine) as session, session.begin():
        session.execute(
            update(ApiToken)
            .where(ApiToken.id == body["id"])
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    problem = assert_problem(client.get("/v1/me", headers=headers), 401)
    assert "expired" in problem["detail"]


def test_revoked_token_gets_401_and_leaves_the_list(
    client: TestClient, sam: Caller, engine: Engine
) -> None:
    other = _token(client, sam.email).json()
    assert sam.delete(f"/v1/tokens/{other['id']}").status_code == 204
    response = client.get("/v1/me", headers={"Authorization": f"Bearer {other['token']}"})
    assert_problem(response, 401)
    assert fetch(engine, ApiToken, other["id"]).revoked_at is not None
    assert other["id"] not in {t["id"] for t in sam.get("/v1/tokens").json()}
    assert_problem(sam.delete(f"/v1/tokens/{other['id']}"), 404)


def test_a_user_cannot_revoke_another_users_token(sam: Caller, alex: Caller) -> None:
    assert_problem(alex.delete(f"/v1/tokens/{_own_token_id(sam)}"), 404)
    assert sam.get("/v1/me").status_code == 200


def _own_token_id(caller: Caller) -> str:
    tokens = caller.get("/v1/tokens").json()
    assert len(tokens) == 1
    token_id: str = tokens[0]["id"]
    return token_id


def test_missing_or_malformed_credentials_get_401(client: TestClient, sam: Caller) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer fst_not-a-real-token"},
        {"Authorization": f"Basic {sam.token}"},
        {"Authorization": sam.token},
    ):
        response = client.get("/v1/households", headers=headers)
        assert_problem(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer"), headers


def test_read_token_can_read_but_not_create(
    client: TestClient, sam: Caller, engine: Engine
) -> None:
    reader = _token(client, sam.email, scopes=["read"]).json()
    headers = {"Authorization": f"Bearer {reader['token']}"}
    assert client.get("/v1/households", headers=headers).status_code == 200
    response = client.post(
        "/v1/households",
        json={"name": "Home", "currency": "EUR", "timezone": "Europe/Berlin"},
        headers=headers,
    )
    problem = assert_problem(response, 403)
    assert "write" in problem["detail"]
    assert count(engine, Household) == 0


def test_automation_token_cannot_list_households(client: TestClient, sam: Caller) -> None:
    sam.household()
    automation = _token(client, sam.email, scopes=["automation"]).json()
    response = client.get(
        "/v1/households", headers={"Authorization": f"Bearer {automation['token']}"}
    )
    assert_problem(response, 403)


def test_household_restricted_token_sees_only_its_household(
    client: TestClient, sam: Caller
) -> None:
    home, cabin = sam.household("Home"), sam.household("Cabin")
    restricted = _token(client, sam.email, household_id=home["id"]).json()
    assert restricted["household_id"] == home["id"]
    headers = {"Authorization": f"Bearer {restricted['token']}"}

    listed = client.get("/v1/households", headers=headers).json()
    assert [h["id"] for h in listed["data"]] == [home["id"]]
    assert client.get(f"/v1/households/{home['id']}", headers=headers).status_code == 200
    assert_problem(client.get(f"/v1/households/{cabin['id']}", headers=headers), 404)
    assert_problem(client.get(f"/v1/households/{cabin['id']}/members", headers=headers), 404)
    me = client.get("/v1/me", headers=headers).json()
    assert [h["id"] for h in me["households"]] == [home["id"]]
    # The unrestricted token still sees both.
    assert len(sam.get("/v1/households").json()["data"]) == 2


def test_token_cannot_be_restricted_to_someone_elses_household(
    client: TestClient, sam: Caller, alex: Caller, engine: Engine
) -> None:
    theirs = alex.household()
    assert_problem(_token(client, sam.email, household_id=theirs["id"]), 404)
    assert count(engine, ApiToken, ApiToken.user_id == sam.user_id) == 1


def test_token_request_rejects_unknown_scopes_and_fields(client: TestClient, sam: Caller) -> None:
    assert_problem(_token(client, sam.email, scopes=["root"]), 422, field="scopes")
    assert_problem(_token(client, sam.email, user_id="x"), 422, field="user_id")
    assert_problem(_token(client, sam.email, expires_in_days=1.5), 422, field="expires_in_days")


def test_me_shows_the_caller_and_their_households(sam: Caller) -> None:
    home = sam.household()
    response = sam.get("/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == sam.user_id and body["email"] == sam.email
    [membership] = body["households"]
    assert membership["id"] == home["id"] and membership["role"] == "admin"
    assert "password_hash" not in body


def test_password_change_revokes_every_token(
    client: TestClient, new_user: Callable[..., Caller], engine: Engine
) -> None:
    sam = new_user("Sam")
    second = _token(client, sam.email).json()
    response = sam.patch(
        "/v1/me", json={"password": "a brand new secret", "current_password": PASSWORD}
    )
    assert response.status_code == 200, response.text

    assert_problem(sam.get("/v1/me"), 401)
    assert_problem(
        client.get("/v1/me", headers={"Authorization": f"Bearer {second['token']}"}), 401
    )
    assert count(engine, ApiToken, ApiToken.revoked_at.is_(None)) == 0  # type: ignore[union-attr]
    assert_problem(_token(client, sam.email), 401)
    assert _token(client, sam.email, "a brand new secret").status_code == 201


def test_password_change_needs_the_current_password(
    client: TestClient, sam: Caller, engine: Engine
) -> None:
    before = fetch(engine, User, sam.user_id).password_hash
    missing = sam.patch("/v1/me", json={"password": "a brand new secret"})
    assert_problem(missing, 403)
    wrong = sam.patch(
        "/v1/me", json={"password": "a brand new secret", "current_password": "guess"}
    )
    assert_problem(wrong, 403)
    assert fetch(engine, User, sam.user_id).password_hash == before
    assert sam.get("/v1/me").status_code == 200
    assert _token(client, sam.email).status_code == 201


def test_display_name_change_keeps_tokens(sam: Caller, engine: Engine) -> None:
    response = sam.patch("/v1/me", json={"display_name": "Samantha"})
    assert response.status_code == 200
    assert response.json()["display_name"] == "Samantha"
    assert fetch(engine, User, sam.user_id).display_name == "Samantha"
    assert sam.get("/v1/me").status_code == 200


def test_read_token_cannot_change_the_account(
    client: TestClient, sam: Caller, engine: Engine
) -> None:
    reader = _token(client, sam.email, scopes=["read"]).json()
    response = client.patch(
        "/v1/me",
        json={"display_name": "Hacked"},
        headers={"Authorization": f"Bearer {reader['token']}"},
    )
    assert_problem(response, 403)
    assert fetch(engine, User, sam.user_id).display_name == "Sam"


def test_automation_token_cannot_read_the_account_or_its_tokens(
    client: TestClient, sam: Caller
) -> None:
    automation = _token(client, sam.email, scopes=["automation"]).json()
    headers = {"Authorization": f"Bearer {automation['token']}"}
    assert_problem(client.get("/v1/me", headers=headers), 403)
    assert_problem(client.get("/v1/tokens", headers=headers), 403)


def test_only_an_admin_token_revokes_tokens(
    client: TestClient, sam: Caller, engine: Engine
) -> None:
    target = _own_token_id(sam)
    for scopes in (["automation"], ["read", "write"]):
        weak = _token(client, sam.email, scopes=scopes).json()
        response = client.delete(
            f"/v1/tokens/{target}", headers={"Authorization": f"Bearer {weak['token']}"}
        )
        assert_problem(response, 403)
    assert fetch(engine, ApiToken, target).revoked_at is None
    assert sam.get("/v1/me").status_code == 200
