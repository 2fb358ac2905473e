"""Households: create, list, read, change, delete."""

from sqlalchemy import Engine

from domain.activity.models import Event
from domain.households.models import Household, Invitation, Member
from tests.api.conftest import Caller, assert_problem, count, fetch, join

NEW = {"name": "Home", "currency": "EUR", "timezone": "Europe/Berlin"}


def test_create_household_makes_the_caller_its_first_admin(sam: Caller, engine: Engine) -> None:
    response = sam.post("/v1/households", json=NEW)
    assert response.status_code == 201, response.text
    body = response.json()
    assert {k: body[k] for k in NEW} == NEW
    assert response.headers["location"] == f"/v1/households/{body['id']}"
    assert response.headers["etag"] == '"1"'
    stored = fetch(engine, Household, body["id"])
    assert (stored.name, stored.currency, stored.timezone) == ("Home", "EUR", "Europe/Berlin")

    [me] = sam.get(f"/v1/households/{body['id']}/members").json()["data"]
    assert (me["user_id"], me["role"], me["display_name"]) == (sam.user_id, "admin", "Sam")


def test_create_household_rejects_unknown_currency_and_time_zone(
    sam: Caller, engine: Engine
) -> None:
    for field, value in (
        ("currency", "EUX"),
        ("currency", "eur"),
        ("currency", "EURO"),
        ("timezone", "Mars/Olympus_Mons"),
        ("timezone", ""),
        ("name", ""),
    ):
        response = sam.post("/v1/households", json={**NEW, field: value})
        assert_problem(response, 422, field=field)
    assert count(engine, Household) == 0
    assert count(engine, Member) == 0


def test_list_households_shows_only_the_callers_newest_first(sam: Caller, alex: Caller) -> None:
    first, second = sam.household("First"), sam.household("Second")
    alex.household("Not yours")
    response = sam.get("/v1/households")
    assert response.status_code == 200
    body = response.json()
    assert [h["id"] for h in body["data"]] == [second["id"], first["id"]]
    assert body["next_cursor"] is None


def test_get_household_returns_it_with_an_etag(sam: Caller) -> None:
    home = sam.household()
    response = sam.get(f"/v1/households/{home['id']}")
    assert response.status_code == 200
    assert response.json() == home
    assert response.headers["etag"] == '"1"'


def test_admin_changes_only_the_fields_sent(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    response = sam.patch(f"/v1/households/{home['id']}", json={"name": "Flat"})
    assert response.status_code == 200, response.text
    assert response.json() == {**home, "name": "Flat"}
    assert response.headers["etag"] == '"2"'
    stored = fetch(engine, Household, home["id"])
    assert (stored.name, stored.currency, stored.version) == ("Flat", "EUR", 2)


def test_patch_household_rejects_null_and_unknown_fields(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    assert_problem(sam.patch(f"/v1/households/{home['id']}", json={"name": None}), 422)
    assert_problem(sam.patch(f"/v1/households/{home['id']}", json={"id": "x"}), 422, field="id")
    assert_problem(
        sam.patch(f"/v1/households/{home['id']}", json={"currency": "XYZ"}),
        422,
        field="currency",
    )
    stored = fetch(engine, Household, home["id"])
    assert (stored.name, stored.currency, stored.version) == ("Home", "EUR", 1)


def test_non_admin_member_cannot_change_or_delete_the_household(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = sam.household()
    join(sam, alex, home["id"])
    assert alex.get(f"/v1/households/{home['id']}").status_code == 200
    assert_problem(alex.patch(f"/v1/households/{home['id']}", json={"name": "Mine"}), 403)
    assert_problem(alex.delete(f"/v1/households/{home['id']}"), 403)
    stored = fetch(engine, Household, home["id"])
    assert (stored.name, stored.version) == ("Home", 1)


def test_delete_household_removes_it_and_everything_in_it(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home, other = sam.household(), alex.household()
    sam.member(home["id"])
    sam.post(f"/v1/households/{home['id']}/invitations", json={})
    response = sam.delete(f"/v1/households/{home['id']}")
    assert response.status_code == 204
    assert response.content == b""
    assert_problem(sam.get(f"/v1/households/{home['id']}"), 404)
    assert sam.get("/v1/households").json()["data"] == []
    assert fetch(engine, Household, home["id"]) is None
    for model in (Member, Event, Invitation):
        assert count(engine, model, model.household_id == home["id"]) == 0
    # Someone else's household is untouched.
    assert count(engine, Member, Member.household_id == other["id"]) == 1
    assert count(engine, Event, Event.household_id == other["id"]) == 2
