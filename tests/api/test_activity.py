"""The activity feed: every change by anyone, newest first, paginated."""

from typing import Any

from sqlalchemy import Engine

from domain.activity.models import Event
from tests.api.conftest import Caller, assert_problem, count


def _feed(caller: Caller, household_id: str, **params: Any) -> dict[str, Any]:
    response = caller.get(f"/v1/households/{household_id}/activity", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _member_id(caller: Caller, household_id: str) -> str:
    rows = caller.get(f"/v1/households/{household_id}/members").json()["data"]
    member_id: str = next(m["id"] for m in rows if m["user_id"] == caller.user_id)
    return member_id


def test_every_create_update_and_delete_appears_newest_first(sam: Caller, alex: Caller) -> None:
    home = sam.household()
    hid = home["id"]
    sam_id = _member_id(sam, hid)
    robin = sam.member(hid, display_name="Robin")
    sam.patch(f"/v1/households/{hid}/members/{robin['id']}", json={"display_name": "Rob"})
    sam.patch(f"/v1/households/{hid}", json={"name": "Flat"})
    invitation = sam.post(f"/v1/households/{hid}/invitations", json={}).json()
    alex_member = alex.post(f"/v1/invitations/{invitation['code']}/accept", json={}).json()
    sam.delete(f"/v1/households/{hid}/members/{robin['id']}")

    events = _feed(sam, hid)["data"]
    expected = [
        ("member.deleted", robin["id"], sam_id),
        ("member.created", alex_member["id"], alex_member["id"]),
        ("invitation.created", invitation["id"], sam_id),
        ("household.updated", hid, sam_id),
        ("member.updated", robin["id"], sam_id),
        ("member.created", robin["id"], sam_id),
        ("member.created", sam_id, sam_id),
        ("household.created", hid, sam_id),
    ]
    assert [(e["type"], e["subject_id"], e["actor_member_id"]) for e in events] == expected
    assert events[3]["data"] == {"fields": ["name"]}
    assert events[4]["data"] == {"fields": ["display_name"]}
    assert events[0]["data"] == {"display_name": "Rob"}
    # Anyone in the household sees the same feed.
    assert _feed(alex, hid)["data"] == events


def test_claiming_a_managed_member_is_recorded(sam: Caller, alex: Caller) -> None:
    home = sam.household()
    robin = sam.member(home["id"])
    code = sam.post(
        f"/v1/households/{home['id']}/invitations", json={"member_id": robin["id"]}
    ).json()["code"]
    alex.post(f"/v1/invitations/{code}/accept", json={})
    newest = _feed(sam, home["id"])["data"][0]
    assert (newest["type"], newest["subject_id"], newest["actor_member_id"]) == (
        "member.claimed",
        robin["id"],
        robin["id"],
    )


def test_a_refused_change_leaves_no_event(sam: Caller, alex: Caller, engine: Engine) -> None:
    home = sam.household()
    me = _member_id(sam, home["id"])
    before = count(engine, Event)
    assert_problem(sam.delete(f"/v1/households/{home['id']}/members/{me}"), 409)
    assert_problem(
        sam.patch(f"/v1/households/{home['id']}/members/{me}", json={"role": "member"}), 409
    )
    assert_problem(sam.patch(f"/v1/households/{home['id']}", json={"currency": "XXX1"}), 422)
    assert count(engine, Event) == before == 2


def test_activity_pages_walk_the_whole_feed_once(sam: Caller) -> None:
    home = sam.household()
    for i in range(5):
        sam.member(home["id"], display_name=f"Kid {i}")
    everything = _feed(sam, home["id"])["data"]
    assert len(everything) == 7

    seen, cursor = [], None
    while True:
        page = _feed(sam, home["id"], limit=3, **({"cursor": cursor} if cursor else {}))
        assert len(page["data"]) <= 3
        seen += page["data"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == everything


def test_each_household_sees_only_its_own_activity(sam: Caller, alex: Caller) -> None:
    mine, theirs = sam.household("Mine"), alex.household("Theirs")
    alex.member(theirs["id"], display_name="Secret")
    assert {e["subject_id"] for e in _feed(sam, mine["id"])["data"]} <= {
        mine["id"],
        _member_id(sam, mine["id"]),
    }
    assert len(_feed(alex, theirs["id"])["data"]) == 3
