from tests.api.conftest import Caller


def test_signup_token_household_member_walkthrough(sam: Caller) -> None:
    household = sam.household()
    kid = sam.member(household["id"], display_name="Robin")
    members = sam.get(f"/v1/households/{household['id']}/members").json()
    assert {m["display_name"] for m in members["data"]} == {"Sam", "Robin"}
    assert kid["user_id"] is None
