"""Members: managed members, private income, roles, and the last-admin rule."""

from typing import Any

from sqlalchemy import Engine

from domain.households.models import Member
from tests.api.conftest import Caller, assert_problem, count, fetch, join

INCOME = {"amount": 250_000, "currency": "EUR"}


def _setup(sam: Caller, alex: Caller) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """Sam (admin) and Alex (member) in one household."""
    home = sam.household()
    alex_member = join(sam, alex, home["id"])
    sam_member = _own_member(sam, home["id"])
    return home["id"], sam_member, alex_member


def _own_member(caller: Caller, household_id: str) -> dict[str, Any]:
    rows = caller.get(f"/v1/households/{household_id}/members").json()["data"]
    member: dict[str, Any] = next(m for m in rows if m["user_id"] == caller.user_id)
    return member


def test_admin_adds_a_managed_member_without_an_account(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    response = sam.post(
        f"/v1/households/{home['id']}/members",
        json={"display_name": "Robin", "weekly_available_minutes": 300},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["user_id"] is None
    assert (body["role"], body["active"], body["income_visibility"]) == ("member", True, "private")
    assert body["weekly_available_minutes"] == 300
    assert response.headers["location"] == f"/v1/households/{home['id']}/members/{body['id']}"
    stored = fetch(engine, Member, body["id"])
    assert (stored.household_id, stored.display_name, stored.user_id) == (home["id"], "Robin", None)
    assert sam.get(f"/v1/households/{home['id']}/members/{body['id']}").json() == body


def test_non_admin_cannot_add_members(sam: Caller, alex: Caller, engine: Engine) -> None:
    household_id, _, _ = _setup(sam, alex)
    response = alex.post(f"/v1/households/{household_id}/members", json={"display_name": "X"})
    assert_problem(response, 403)
    assert count(engine, Member, Member.household_id == household_id) == 2


def test_private_income_is_shown_only_to_its_own_member(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    household_id, _, alex_member = _setup(sam, alex)
    url = f"/v1/households/{household_id}/members/{alex_member['id']}"
    response = alex.patch(url, json={"monthly_income": INCOME})
    assert response.status_code == 200, response.text
    assert response.json()["monthly_income"] == INCOME
    assert alex.get(url).json()["monthly_income"] == INCOME

    assert sam.get(url).json()["monthly_income"] is None
    listed = sam.get(f"/v1/households/{household_id}/members").json()["data"]
    assert next(m for m in listed if m["id"] == alex_member["id"])["monthly_income"] is None
    # Hidden, not lost: the engine still has it.
    stored = fetch(engine, Member, alex_member["id"])
    assert (stored.monthly_income_amount, stored.monthly_income_currency) == (250_000, "EUR")


def test_household_visible_income_is_shown_to_everyone(sam: Caller, alex: Caller) -> None:
    household_id, sam_member, _ = _setup(sam, alex)
    url = f"/v1/households/{household_id}/members/{sam_member['id']}"
    sam.patch(url, json={"monthly_income": INCOME, "income_visibility": "household"})
    assert alex.get(url).json()["monthly_income"] == INCOME


def test_a_managed_members_private_income_is_hidden_even_from_the_admin(
    sam: Caller, engine: Engine
) -> None:
    home = sam.household()
    robin = sam.member(home["id"], monthly_income=INCOME)
    assert robin["monthly_income"] is None
    assert fetch(engine, Member, robin["id"]).monthly_income_amount == 250_000


def test_income_can_be_cleared_with_null(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    me = _own_member(sam, home["id"])
    url = f"/v1/households/{home['id']}/members/{me['id']}"
    sam.patch(url, json={"monthly_income": INCOME})
    response = sam.patch(url, json={"monthly_income": None})
    assert response.status_code == 200
    assert response.json()["monthly_income"] is None
    stored = fetch(engine, Member, me["id"])
    assert (stored.monthly_income_amount, stored.monthly_income_currency) == (None, None)


def test_the_last_admin_cannot_leave_be_demoted_or_deactivated(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    household_id, sam_member, _ = _setup(sam, alex)
    url = f"/v1/households/{household_id}/members/{sam_member['id']}"
    assert_problem(sam.delete(url), 409)
    assert_problem(sam.patch(url, json={"role": "member"}), 409)
    assert_problem(sam.patch(url, json={"active": False}), 409)
    stored = fetch(engine, Member, sam_member["id"])
    assert (stored.role, stored.active, stored.version) == ("admin", True, 1)


def test_a_managed_admin_does_not_count_as_another_admin(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    sam.member(home["id"], role="admin")
    me = _own_member(sam, home["id"])
    assert_problem(sam.delete(f"/v1/households/{home['id']}/members/{me['id']}"), 409)
    assert fetch(engine, Member, me["id"]) is not None


def test_an_admin_may_leave_once_someone_else_is_admin(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    household_id, sam_member, alex_member = _setup(sam, alex)
    promote = sam.patch(
        f"/v1/households/{household_id}/members/{alex_member['id']}", json={"role": "admin"}
    )
    assert promote.status_code == 200 and promote.json()["role"] == "admin"
    leave = sam.delete(f"/v1/households/{household_id}/members/{sam_member['id']}")
    assert leave.status_code == 204
    assert fetch(engine, Member, sam_member["id"]) is None
    assert_problem(sam.get(f"/v1/households/{household_id}"), 404)


def test_non_admin_cannot_change_or_remove_another_member(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    household_id, sam_member, _ = _setup(sam, alex)
    url = f"/v1/households/{household_id}/members/{sam_member['id']}"
    assert_problem(alex.patch(url, json={"display_name": "Renamed"}), 403)
    assert_problem(alex.delete(url), 403)
    stored = fetch(engine, Member, sam_member["id"])
    assert (stored.display_name, stored.version) == ("Sam", 1)


def test_a_non_admin_removing_an_admin_with_a_balance_is_403_not_409(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    """The 409 would name the admin's balance to someone not allowed to remove them."""
    household_id, sam_member, alex_member = _setup(sam, alex)
    spent = sam.post(
        f"/v1/households/{household_id}/expenses",
        json={
            "description": "Rent",
            "amount": 100_000,
            "currency": "EUR",
            "date": "2026-03-01",
            "paid_by": sam_member["id"],
            "split": {
                "method": "equal",
                "participants": [{"member_id": sam_member["id"]}, {"member_id": alex_member["id"]}],
            },
        },
    )
    assert spent.status_code == 201, spent.text
    response = alex.delete(f"/v1/households/{household_id}/members/{sam_member['id']}")
    problem = assert_problem(response, 403)
    assert "500" not in problem["detail"] and "balance" not in problem["detail"]
    assert fetch(engine, Member, sam_member["id"]) is not None


def test_non_admin_changes_their_own_details_but_not_their_role(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    household_id, _, alex_member = _setup(sam, alex)
    url = f"/v1/households/{household_id}/members/{alex_member['id']}"
    assert_problem(alex.patch(url, json={"role": "admin"}), 403)
    assert_problem(alex.patch(url, json={"display_name": "Al", "role": "admin"}), 403)
    assert fetch(engine, Member, alex_member["id"]).role == "member"
    response = alex.patch(url, json={"display_name": "Al", "weekly_available_minutes": 120})
    assert response.status_code == 200
    stored = fetch(engine, Member, alex_member["id"])
    assert (stored.display_name, stored.weekly_available_minutes, stored.role) == (
        "Al",
        120,
        "member",
    )


def test_non_admin_may_leave(sam: Caller, alex: Caller, engine: Engine) -> None:
    household_id, _, alex_member = _setup(sam, alex)
    response = alex.delete(f"/v1/households/{household_id}/members/{alex_member['id']}")
    assert response.status_code == 204
    assert fetch(engine, Member, alex_member["id"]) is None
    assert_problem(alex.get(f"/v1/households/{household_id}"), 404)


def test_admin_removes_a_managed_member(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    robin = sam.member(home["id"])
    url = f"/v1/households/{home['id']}/members/{robin['id']}"
    assert sam.delete(url).status_code == 204
    assert fetch(engine, Member, robin["id"]) is None
    assert_problem(sam.get(url), 404)


def test_member_fields_are_validated(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    url = f"/v1/households/{home['id']}/members"
    for body, field in (
        ({"display_name": "X", "role": "owner"}, "role"),
        ({"display_name": "X", "weekly_available_minutes": 7 * 24 * 60 + 1}, "weekly"),
        ({"display_name": "X", "weekly_available_minutes": -1}, "weekly"),
        ({"display_name": "X", "income_visibility": "public"}, "income_visibility"),
        ({"display_name": "X", "monthly_income": {"amount": 1, "currency": "ZZZ"}}, "currency"),
        ({"display_name": "X", "user_id": "someone"}, "user_id"),
        ({"display_name": "X", "active": False, "id": "x"}, "id"),
        ({}, "display_name"),
    ):
        assert_problem(sam.post(url, json=body), 422, field=field)
    assert count(engine, Member, Member.household_id == home["id"]) == 1


def test_unknown_member_is_404(sam: Caller) -> None:
    home = sam.household()
    url = f"/v1/households/{home['id']}/members/0190a9c2-0000-7000-8000-000000000000"
    assert_problem(sam.get(url), 404)
    assert_problem(sam.patch(url, json={"display_name": "X"}), 404)
    assert_problem(sam.delete(url), 404)


def test_members_are_listed_newest_first(sam: Caller) -> None:
    home = sam.household()
    added = [sam.member(home["id"], display_name=f"Kid {i}")["id"] for i in range(3)]
    listed = sam.get(f"/v1/households/{home['id']}/members").json()
    assert [m["id"] for m in listed["data"]][:3] == added[::-1]
    assert listed["data"][3]["user_id"] == sam.user_id
    assert listed["next_cursor"] is None
