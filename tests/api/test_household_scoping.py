"""Another household's id anywhere in a path is 404, exactly like an id that never existed."""

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine

from domain.activity.models import Event
from domain.households.models import Household, Invitation, Member
from tests.api.conftest import Caller, assert_problem, count, fetch

NOWHERE = "0190a9c2-0000-7000-8000-000000000000"


@dataclass
class World:
    """Sam's household with a managed member; Alex, an admin of a household of their own."""

    household_id: str
    member_id: str
    alex_household_id: str


@pytest.fixture
def world(sam: Caller, alex: Caller) -> World:
    home = sam.household("Sam's")
    robin = sam.member(home["id"], display_name="Robin")
    return World(home["id"], robin["id"], alex.household("Alex's")["id"])


def _snapshot(engine: Engine, world: World) -> tuple[Any, ...]:
    household = fetch(engine, Household, world.household_id)
    member = fetch(engine, Member, world.member_id)
    return (
        household.name,
        household.version,
        member.display_name,
        member.version,
        count(engine, Member),
        count(engine, Event),
        count(engine, Invitation),
    )


SCOPED = [
    ("GET", "/v1/households/{h}", None),
    ("PATCH", "/v1/households/{h}", {"name": "Taken"}),
    ("DELETE", "/v1/households/{h}", None),
    ("GET", "/v1/households/{h}/members", None),
    ("POST", "/v1/households/{h}/members", {"display_name": "Mole"}),
    ("GET", "/v1/households/{h}/members/{m}", None),
    ("PATCH", "/v1/households/{h}/members/{m}", {"display_name": "Taken"}),
    ("DELETE", "/v1/households/{h}/members/{m}", None),
    ("POST", "/v1/households/{h}/invitations", {}),
    ("GET", "/v1/households/{h}/activity", None),
]


@pytest.mark.parametrize(("method", "path", "body"), SCOPED)
def test_another_households_paths_are_404_and_change_nothing(
    alex: Caller, engine: Engine, world: World, method: str, path: str, body: Any
) -> None:
    before = _snapshot(engine, world)
    theirs = alex.request(method, path.format(h=world.household_id, m=world.member_id), json=body)
    never = alex.request(method, path.format(h=NOWHERE, m=world.member_id), json=body)
    assert assert_problem(theirs, 404) == assert_problem(never, 404)
    assert _snapshot(engine, world) == before


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_another_households_member_under_your_own_household_is_404(
    alex: Caller, engine: Engine, world: World, method: str
) -> None:
    before = _snapshot(engine, world)
    body = {"display_name": "Taken"} if method == "PATCH" else None
    url = f"/v1/households/{world.alex_household_id}/members/{world.member_id}"
    theirs = alex.request(method, url, json=body)
    never = alex.request(method, url.replace(world.member_id, NOWHERE), json=body)
    assert assert_problem(theirs, 404) == assert_problem(never, 404)
    assert _snapshot(engine, world) == before


def test_other_households_are_absent_from_lists(alex: Caller, world: World) -> None:
    assert [h["id"] for h in alex.get("/v1/households").json()["data"]] == [world.alex_household_id]
    assert [h["id"] for h in alex.get("/v1/me").json()["households"]] == [world.alex_household_id]
