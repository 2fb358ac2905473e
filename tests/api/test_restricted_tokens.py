"""A household-restricted token stays inside its household, and secrets never rest in the
idempotency table."""

from sqlalchemy import Engine

from domain.idempotency.models import IdempotencyRecord
from tests.api.conftest import PASSWORD, Caller, assert_problem, count


def restricted(caller: Caller, household_id: str) -> Caller:
    response = caller.client.post(
        "/v1/tokens",
        json={
            "email": caller.email,
            "password": PASSWORD,
            "name": "kiosk",
            "household_id": household_id,
        },
    )
    assert response.status_code == 201, response.text
    return Caller(caller.client, response.json()["token"], caller.user_id, caller.email)


def test_a_restricted_token_cannot_create_another_household(sam: Caller) -> None:
    home = sam.household()
    kiosk = restricted(sam, home["id"])
    assert_problem(
        kiosk.post(
            "/v1/households",
            json={"name": "Elsewhere", "currency": "EUR", "timezone": "Europe/Berlin"},
        ),
        403,
    )
    assert [h["id"] for h in sam.get("/v1/households").json()["data"]] == [home["id"]]


def test_a_restricted_token_cannot_join_another_household(sam: Caller, alex: Caller) -> None:
    sams_home = sam.household()
    alexs_home = alex.household()
    kiosk = restricted(sam, sams_home["id"])
    code = alex.post(f"/v1/households/{alexs_home['id']}/invitations", json={}).json()["code"]
    assert_problem(kiosk.post(f"/v1/invitations/{code}/accept", json={}), 403)
    members = alex.get(f"/v1/households/{alexs_home['id']}/members").json()["data"]
    assert len(members) == 1


def test_an_invitation_code_is_never_kept_for_idempotent_replay(
    sam: Caller, engine: Engine
) -> None:
    home = sam.household()
    first = sam.post(
        f"/v1/households/{home['id']}/invitations", json={}, headers={"Idempotency-Key": "invite-1"}
    )
    assert first.status_code == 201
    assert first.headers["cache-control"] == "no-store"
    assert count(engine, IdempotencyRecord) == 0


def test_a_webhook_secret_is_never_kept_for_idempotent_replay(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    created = sam.post(
        f"/v1/households/{home['id']}/webhooks",
        json={"url": "https://93.184.215.14/hook", "events": ["*"]},
        headers={"Idempotency-Key": "hook-1"},
    )
    assert created.status_code == 201, created.text
    assert created.json()["secret"].startswith("whsec_")
    assert created.headers["cache-control"] == "no-store"
    assert count(engine, IdempotencyRecord) == 0
