"""ETag / If-Match: a stale If-Match gets 412 and changes nothing."""

from sqlalchemy import Engine

from domain.accounts.models import User
from domain.activity.models import Event
from domain.households.models import Household, Member
from tests.api.conftest import Caller, assert_problem, count, fetch


def test_household_patch_with_a_stale_if_match_is_412_and_changes_nothing(
    sam: Caller, engine: Engine
) -> None:
    url = f"/v1/households/{sam.household()['id']}"
    etag = sam.get(url).headers["etag"]
    assert etag == '"1"'
    assert sam.patch(url, json={"name": "Flat"}, headers={"If-Match": etag}).status_code == 200
    events = count(engine, Event)

    problem = assert_problem(
        sam.patch(url, json={"name": "Stale"}, headers={"If-Match": etag}), 412
    )
    assert problem["type"] == "urn:fairstead:problem:precondition-failed"
    stored = fetch(engine, Household, url.rsplit("/", 1)[1])
    assert (stored.name, stored.version) == ("Flat", 2)
    assert count(engine, Event) == events


def test_household_patch_with_the_current_etag_succeeds_with_a_new_one(sam: Caller) -> None:
    url = f"/v1/households/{sam.household()['id']}"
    etag = sam.get(url).headers["etag"]
    response = sam.patch(url, json={"name": "Flat"}, headers={"If-Match": etag})
    assert response.status_code == 200
    assert response.headers["etag"] not in (etag, None)
    assert sam.get(url).headers["etag"] == response.headers["etag"]


def test_if_match_accepts_weak_tags_lists_and_star(sam: Caller) -> None:
    url = f"/v1/households/{sam.household()['id']}"
    for if_match, version in (('W/"1"', 2), ('"7", "2"', 3), ("*", 4)):
        response = sam.patch(url, json={"name": f"v{version}"}, headers={"If-Match": if_match})
        assert response.status_code == 200, if_match
        assert response.headers["etag"] == f'"{version}"'


def test_household_delete_with_a_stale_if_match_is_412(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    url = f"/v1/households/{home['id']}"
    assert_problem(sam.delete(url, headers={"If-Match": '"2"'}), 412)
    assert fetch(engine, Household, home["id"]) is not None
    assert sam.delete(url, headers={"If-Match": '"1"'}).status_code == 204


def test_member_patch_and_delete_honour_if_match(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    robin = sam.member(home["id"], display_name="Robin")
    url = f"/v1/households/{home['id']}/members/{robin['id']}"
    etag = sam.get(url).headers["etag"]
    changed = sam.patch(url, json={"display_name": "Rob"}, headers={"If-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag

    assert_problem(sam.patch(url, json={"display_name": "Bob"}, headers={"If-Match": etag}), 412)
    assert_problem(sam.delete(url, headers={"If-Match": etag}), 412)
    stored = fetch(engine, Member, robin["id"])
    assert (stored.display_name, stored.version) == ("Rob", 2)
    assert sam.delete(url, headers={"If-Match": changed.headers["etag"]}).status_code == 204


def test_me_patch_honours_if_match(sam: Caller, engine: Engine) -> None:
    etag = sam.get("/v1/me").headers["etag"]
    changed = sam.patch("/v1/me", json={"display_name": "Samantha"}, headers={"If-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert sam.get("/v1/me").headers["etag"] == changed.headers["etag"]

    assert_problem(
        sam.patch("/v1/me", json={"display_name": "Old"}, headers={"If-Match": etag}), 412
    )
    assert fetch(engine, User, sam.user_id).display_name == "Samantha"
