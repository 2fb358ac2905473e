"""Account rights: exporting everything held about oneself, and deleting one's account
without unbalancing anybody's books."""

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import SQLModel

from domain.accounts.export import MEMBER_COLUMNS, NOT_EXPORTED
from domain.accounts.models import ApiToken, User
from domain.activity.models import Event
from domain.households.models import Member
from tests.api.conftest import PASSWORD, Caller, assert_problem, count, fetch


def _couple(sam: Caller, alex: Caller) -> tuple[str, str, str]:
    """A household with Sam (admin) and Alex (member, by invitation); their member ids."""
    home = sam.household("Elm Street")["id"]
    code = sam.post(f"/v1/households/{home}/invitations", json={}).json()["code"]
    alex_member = alex.post(f"/v1/invitations/{code}/accept").json()["id"]
    sam_member = sam.get("/v1/me").json()["households"][0]["member_id"]
    return home, sam_member, alex_member


def _expense(caller: Caller, home: str, payer: str, *participants: str) -> dict[str, Any]:
    response = caller.post(
        f"/v1/households/{home}/expenses",
        json={
            "description": "Groceries",
            "amount": 9000,
            "currency": "EUR",
            "date": "2026-03-02",
            "paid_by": payer,
            "split": {"method": "equal", "participants": [{"member_id": m} for m in participants]},
        },
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _delete(caller: Caller, password: str = PASSWORD) -> Any:
    return caller.request("DELETE", "/v1/me", json={"current_password": password})


def _balances(caller: Caller, home: str) -> dict[str, int]:
    rows = caller.get(f"/v1/households/{home}/balances").json()["data"]
    return {row["member_id"]: row["net"] for row in rows}


def test_export_holds_account_tokens_memberships_and_what_they_recorded(
    sam: Caller, alex: Caller
) -> None:
    home, sam_member, alex_member = _couple(sam, alex)
    expense = _expense(alex, home, alex_member, sam_member, alex_member)
    income = alex.post(
        f"/v1/households/{home}/members/{alex_member}/incomes",
        json={"amount": 225000, "currency": "EUR", "effective_from": "2026-01-01"},
    )
    assert income.status_code == 201, income.text
    response = alex.get("/v1/me/export")
    assert response.status_code == 200, response.text
    export = response.json()
    assert export["account"]["email"] == alex.email and export["account"]["id"] == alex.user_id
    assert [t["name"] for t in export["tokens"]] == ["test"]
    assert all("hash" not in key for t in export["tokens"] for key in t)
    assert alex.token not in response.text and "argon2" not in response.text
    (membership,) = export["memberships"]
    assert membership["household"]["name"] == "Elm Street"
    assert membership["member"]["id"] == alex_member
    records = membership["records"]
    assert [r["expense_id"] for r in records["expense_payers"]] == [expense["id"]]
    assert [r["amount"] for r in records["expense_shares"]] == [4500]
    assert [r["amount"] for r in records["member_incomes"]] == [225000]
    assert {r["type"] for r in records["events"]} >= {"member.created", "expense.created"}
    # Sam's share of the same expense is Sam's, not Alex's.
    assert all(r["member_id"] == alex_member for r in records["expense_shares"])


def test_export_leaves_out_secret_ballots_and_keeps_open_ones(sam: Caller) -> None:
    home = sam.household()["id"]
    me = sam.get("/v1/me").json()["households"][0]["member_id"]
    ids = []
    for ballot in ("open", "secret"):
        decision = sam.post(
            f"/v1/households/{home}/decisions",
            json={"title": ballot, "method": "majority", "options": ["A", "B"], "ballot": ballot},
        ).json()
        vote = sam.put(
            f"/v1/households/{home}/decisions/{decision['id']}/votes/{me}",
            json={"option_id": decision["options"][1]["id"]},
        )
        assert vote.status_code == 200, vote.text
        ids.append(decision)
    voters = sam.get("/v1/me/export").json()["memberships"][0]["records"]["decision_voters"]
    ballots = {v["decision_id"]: v["ballot"] for v in voters}
    assert ballots[ids[0]["id"]] == {"option_id": ids[0]["options"][1]["id"]}
    assert ballots[ids[1]["id"]] is None


def test_export_records_an_event_in_each_household(sam: Caller, engine: Engine) -> None:
    first, second = sam.household("One")["id"], sam.household("Two")["id"]
    assert sam.get("/v1/me/export").status_code == 200
    for home in (first, second):
        assert (
            count(engine, Event, Event.household_id == home, Event.type == "member.data_exported")
            == 1
        )


def test_export_needs_an_unrestricted_reading_token(client: TestClient, sam: Caller) -> None:
    home = sam.household()["id"]
    token = client.post(
        "/v1/tokens",
        json={"email": sam.email, "password": PASSWORD, "name": "tag", "household_id": home},
    ).json()["token"]
    response = client.get("/v1/me/export", headers={"Authorization": f"Bearer {token}"})
    assert "restricted" in assert_problem(response, 403)["detail"]
    automation = client.post(
        "/v1/tokens",
        json={"email": sam.email, "password": PASSWORD, "name": "nfc", "scopes": ["automation"]},
    ).json()["token"]
    response = client.get("/v1/me/export", headers={"Authorization": f"Bearer {automation}"})
    assert_problem(response, 403)
    assert_problem(client.get("/v1/me/export"), 401)


def test_every_member_column_is_exported_or_excluded_with_a_reason() -> None:
    import domain.models  # noqa: F401  (every table into the metadata)

    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if "member_id" not in column.name and column.name != "member_map":
                continue
            listed = column.name in MEMBER_COLUMNS.get(table.name, ())
            assert listed or (table.name, column.name) in NOT_EXPORTED, (table.name, column.name)


def test_deleting_keeps_the_books_balanced_under_a_pseudonym(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home, sam_member, alex_member = _couple(sam, alex)
    _expense(alex, home, alex_member, sam_member, alex_member)
    before = _balances(sam, home)
    response = _delete(alex)
    assert response.status_code == 204, response.text
    assert _balances(sam, home) == before and sum(before.values()) == 0
    member = fetch(engine, Member, alex_member)
    assert member.user_id is None and member.display_name.startswith("Former member ")
    assert "Alex" not in member.display_name and member.role == "member"
    assert count(engine, User, User.id == alex.user_id) == 0
    assert count(engine, ApiToken, ApiToken.user_id == alex.user_id) == 0
    assert count(engine, Event, Event.actor_user_id == alex.user_id) == 0
    assert_problem(alex.get("/v1/me"), 401)
    deleted = sam.get(f"/v1/households/{home}/activity").json()["data"][0]
    assert (deleted["type"], deleted["subject_id"]) == ("member.account_deleted", alex_member)
    assert deleted["data"] == {"display_name": member.display_name}
    # The email is free again.
    again = sam.client.post(
        "/v1/users", json={"email": alex.email, "password": PASSWORD, "display_name": "Alex"}
    )
    assert again.status_code == 201, again.text


def test_a_sole_admin_must_hand_over_first(sam: Caller, alex: Caller, engine: Engine) -> None:
    home, _, alex_member = _couple(sam, alex)
    response = _delete(sam)
    problem = assert_problem(response, 409)
    assert "only admin" in problem["detail"] and "Elm Street" in problem["detail"]
    assert count(engine, User, User.id == sam.user_id) == 1
    promoted = sam.patch(f"/v1/households/{home}/members/{alex_member}", json={"role": "admin"})
    assert promoted.status_code == 200, promoted.text
    assert _delete(sam).status_code == 204


def test_a_managed_member_does_not_count_as_someone_to_hand_over_to(sam: Caller) -> None:
    home = sam.household()["id"]
    kid = sam.member(home, display_name="Kim")
    sam.patch(f"/v1/households/{home}/members/{kid['id']}", json={"role": "admin"})
    assert_problem(_delete(sam), 409)


def test_a_wrong_password_is_403_and_changes_nothing(sam: Caller, engine: Engine) -> None:
    home = sam.household()["id"]
    problem = assert_problem(_delete(sam, "not my password"), 403)
    assert "current password" in problem["detail"]
    assert count(engine, User, User.id == sam.user_id) == 1
    assert sam.get(f"/v1/households/{home}").status_code == 200


def test_bad_bodies_are_422_and_change_nothing(sam: Caller, engine: Engine) -> None:
    for body in (
        None,
        {},
        {"current_password": ""},
        {"current_password": 12345},
        {"current_password": PASSWORD, "user_id": "x"},
        {"current_password": "x" * 257},
        ["current_password"],
    ):
        response = sam.request("DELETE", "/v1/me", json=body)
        assert_problem(response, 422)
    response = sam.request("DELETE", "/v1/me", json={"current_password": "a\u0000b"})
    assert_problem(response, 422)
    assert count(engine, User, User.id == sam.user_id) == 1


def test_deleting_needs_an_unrestricted_writing_token(client: TestClient, sam: Caller) -> None:
    home = sam.household()["id"]
    for fields in ({"household_id": home}, {"scopes": ["read"]}):
        token = client.post(
            "/v1/tokens", json={"email": sam.email, "password": PASSWORD, "name": "t", **fields}
        ).json()["token"]
        response = client.request(
            "DELETE",
            "/v1/me",
            json={"current_password": PASSWORD},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert_problem(response, 403)
    assert sam.get("/v1/me").status_code == 200


def _token(client: TestClient, caller: Caller, **fields: Any) -> dict[str, str]:
    response = client.post(
        "/v1/tokens", json={"email": caller.email, "password": PASSWORD, "name": "t", **fields}
    )
    assert response.status_code == 201, response.text
    return {"id": response.json()["id"], "auth": f"Bearer {response.json()['token']}"}


def test_account_level_operations_need_an_unrestricted_token(
    client: TestClient, sam: Caller, engine: Engine
) -> None:
    home = sam.household()["id"]
    restricted = _token(client, sam, household_id=home)
    other = _token(client, sam)
    headers = {"Authorization": restricted["auth"]}
    change = {"password": "a brand new passphrase", "current_password": PASSWORD}
    assert_problem(client.patch("/v1/me", json=change, headers=headers), 403)
    assert_problem(client.patch("/v1/me", json={"display_name": "X"}, headers=headers), 403)
    assert_problem(client.get("/v1/tokens", headers=headers), 403)
    assert_problem(client.delete(f"/v1/tokens/{other['id']}", headers=headers), 403)
    assert fetch(engine, ApiToken, other["id"]).revoked_at is None
    assert fetch(engine, User, sam.user_id).display_name == "Sam"
    # It may still end itself (log out), and it still reads its household.
    assert client.get(f"/v1/households/{home}", headers=headers).status_code == 200
    assert client.delete(f"/v1/tokens/{restricted['id']}", headers=headers).status_code == 204
    assert sam.get("/v1/tokens").status_code == 200
