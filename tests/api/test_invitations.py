"""Invitations: single-use expiring codes, joining as a new member or as a managed one."""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from domain.households.models import Invitation, Member
from tests.api.conftest import Caller, assert_problem, count, fetch


def _invite(admin: Caller, household_id: str, **fields: Any) -> dict[str, Any]:
    response = admin.post(f"/v1/households/{household_id}/invitations", json=fields)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _accept(caller: Caller, code: str, **fields: Any) -> Any:
    return caller.post(f"/v1/invitations/{code}/accept", json=fields)


def _members(engine: Engine, household_id: str) -> int:
    return count(engine, Member, Member.household_id == household_id)


def test_invitation_code_expires_in_72_hours_and_is_stored_only_hashed(
    sam: Caller, engine: Engine
) -> None:
    home = sam.household()
    before = datetime.now(UTC)
    invitation = _invite(sam, home["id"])
    assert len(invitation["code"]) == 12
    assert (invitation["role"], invitation["member_id"]) == ("member", None)
    expires = datetime.fromisoformat(invitation["expires_at"])
    assert before + timedelta(hours=72) <= expires <= datetime.now(UTC) + timedelta(hours=72)
    stored = fetch(engine, Invitation, invitation["id"])
    assert invitation["code"] not in repr(vars(stored))


def test_accepting_a_code_joins_as_a_new_member(sam: Caller, alex: Caller, engine: Engine) -> None:
    home = sam.household()
    code = _invite(sam, home["id"], role="admin")["code"]
    response = _accept(alex, code)
    assert response.status_code == 200, response.text
    member = response.json()
    assert (member["user_id"], member["role"], member["display_name"]) == (
        alex.user_id,
        "admin",
        "Alex",
    )
    assert alex.get(f"/v1/households/{home['id']}").status_code == 200
    assert _members(engine, home["id"]) == 2
    stored = fetch(engine, Invitation, _invitation_id(engine, home["id"]))
    assert stored.accepted_by_member_id == member["id"] and stored.accepted_at is not None


def test_accepting_without_a_body_joins_as_a_new_member(sam: Caller, alex: Caller) -> None:
    home = sam.household()
    code = _invite(sam, home["id"])["code"]
    response = alex.post(f"/v1/invitations/{code}/accept")
    assert response.status_code == 200, response.text
    assert (response.json()["user_id"], response.json()["role"]) == (alex.user_id, "member")


def test_accepting_with_a_body_that_is_not_an_object_is_422(sam: Caller, alex: Caller) -> None:
    home = sam.household()
    code = _invite(sam, home["id"])["code"]
    response = alex.post(f"/v1/invitations/{code}/accept", json=["member_id"])
    assert_problem(response, 422)
    assert alex.get(f"/v1/households/{home['id']}").status_code == 404


def _invitation_id(engine: Engine, household_id: str) -> str:
    with Session(engine) as session:
        return session.query(Invitation).filter_by(household_id=household_id).one().id


def test_a_code_is_case_insensitive(sam: Caller, alex: Caller) -> None:
    home = sam.household()
    code = _invite(sam, home["id"])["code"]
    assert _accept(alex, code.lower()).status_code == 200


def test_accepting_an_invitation_for_a_managed_member_claims_it(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = sam.household()
    robin = sam.member(home["id"], display_name="Robin")
    invitation = _invite(sam, home["id"], member_id=robin["id"])
    assert invitation["member_id"] == robin["id"]
    response = _accept(alex, invitation["code"])
    assert response.status_code == 200, response.text
    assert response.json()["id"] == robin["id"]
    assert response.json()["user_id"] == alex.user_id
    assert _members(engine, home["id"]) == 2
    stored = fetch(engine, Member, robin["id"])
    assert (stored.user_id, stored.display_name, stored.version) == (alex.user_id, "Robin", 2)


def test_accept_may_name_the_managed_member_to_claim(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = sam.household()
    robin = sam.member(home["id"], display_name="Robin")
    response = _accept(alex, _invite(sam, home["id"])["code"], member_id=robin["id"])
    assert response.status_code == 200, response.text
    assert fetch(engine, Member, robin["id"]).user_id == alex.user_id
    assert _members(engine, home["id"]) == 2


def test_claiming_a_managed_admin_gives_the_invitations_role_not_the_members(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = sam.household()
    boss = sam.member(home["id"], display_name="Boss", role="admin")
    response = _accept(alex, _invite(sam, home["id"], role="member")["code"], member_id=boss["id"])
    assert response.status_code == 200, response.text
    assert response.json()["role"] == "member"
    assert fetch(engine, Member, boss["id"]).role == "member"
    escalate = alex.post(f"/v1/households/{home['id']}/invitations", json={"role": "admin"})
    assert_problem(escalate, 403)


def test_an_admin_invitation_for_a_managed_member_makes_it_admin(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = sam.household()
    robin = sam.member(home["id"], display_name="Robin")
    code = _invite(sam, home["id"], role="admin", member_id=robin["id"])["code"]
    assert _accept(alex, code).json()["role"] == "admin"


def test_an_invitation_for_one_member_cannot_claim_another(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = sam.household()
    robin, kim = sam.member(home["id"]), sam.member(home["id"])
    code = _invite(sam, home["id"], member_id=robin["id"])["code"]
    assert_problem(_accept(alex, code, member_id=kim["id"]), 422, field="member_id")
    assert fetch(engine, Member, kim["id"]).user_id is None
    assert _accept(alex, code).status_code == 200


def test_a_code_works_only_once(sam: Caller, alex: Caller, new_user: Any, engine: Engine) -> None:
    home = sam.household()
    code = _invite(sam, home["id"])["code"]
    assert _accept(alex, code).status_code == 200
    kim = new_user("Kim")
    assert_problem(_accept(kim, code), 410)
    assert_problem(kim.get(f"/v1/households/{home['id']}"), 404)
    assert _members(engine, home["id"]) == 2


def test_an_expired_code_is_410(sam: Caller, alex: Caller, engine: Engine) -> None:
    home = sam.household()
    invitation = _invite(sam, home["id"], expires_in_hours=1)
    with Session(engine) as session, session.begin():
        session.execute(
            update(Invitation)
            .where(Invitation.id == invitation["id"])
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    problem = assert_problem(_accept(alex, invitation["code"]), 410)
    assert "expired" in problem["detail"]
    assert _members(engine, home["id"]) == 1
    assert fetch(engine, Invitation, invitation["id"]).accepted_at is None


def test_accepting_when_already_a_member_is_409_and_leaves_the_code_usable(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = sam.household()
    code = _invite(sam, home["id"])["code"]
    assert_problem(_accept(sam, code), 409)
    assert _members(engine, home["id"]) == 1
    assert _accept(alex, code).status_code == 200


def test_another_households_member_cannot_be_invited_or_claimed(
    sam: Caller, alex: Caller, new_user: Any, engine: Engine
) -> None:
    home, theirs = sam.household(), alex.household()
    their_kid = alex.member(theirs["id"])
    response = sam.post(
        f"/v1/households/{home['id']}/invitations", json={"member_id": their_kid["id"]}
    )
    assert_problem(response, 404)
    assert count(engine, Invitation) == 0

    kim = new_user("Kim")
    code = _invite(sam, home["id"])["code"]
    assert_problem(_accept(kim, code, member_id=their_kid["id"]), 404)
    assert fetch(engine, Member, their_kid["id"]).user_id is None
    assert fetch(engine, Invitation, _invitation_id(engine, home["id"])).accepted_at is None


def test_a_member_with_an_account_cannot_be_invited_again(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    me = sam.get(f"/v1/households/{home['id']}/members").json()["data"][0]
    response = sam.post(f"/v1/households/{home['id']}/invitations", json={"member_id": me["id"]})
    assert_problem(response, 409)
    assert count(engine, Invitation) == 0


def test_an_unknown_code_is_404(alex: Caller) -> None:
    assert_problem(_accept(alex, "ABCDEFGHJKMN"), 404)


def test_only_admins_invite(sam: Caller, alex: Caller, engine: Engine) -> None:
    home = sam.household()
    assert _accept(alex, _invite(sam, home["id"])["code"]).status_code == 200
    assert_problem(alex.post(f"/v1/households/{home['id']}/invitations", json={}), 403)
    assert count(engine, Invitation) == 1


def test_invitation_input_is_validated(sam: Caller, alex: Caller, engine: Engine) -> None:
    home = sam.household()
    url = f"/v1/households/{home['id']}/invitations"
    assert_problem(sam.post(url, json={"role": "owner"}), 422, field="role")
    assert_problem(sam.post(url, json={"expires_in_hours": 0}), 422, field="expires_in_hours")
    assert_problem(sam.post(url, json={"expires_in_hours": 1.5}), 422, field="expires_in_hours")
    assert_problem(sam.post(url, json={"household_id": "x"}), 422, field="household_id")
    assert count(engine, Invitation) == 0
    code = _invite(sam, home["id"])["code"]
    assert_problem(_accept(alex, code, role="admin"), 422, field="role")
    assert _members(engine, home["id"]) == 1
