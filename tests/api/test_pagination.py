"""Cursor pagination: `?limit=` (default 50, 1..200) and an opaque `?cursor=`, newest first."""

import base64
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from domain.db import unit_of_work
from domain.households.models import Member
from tests.api.conftest import Caller, assert_problem


def _add_managed_members(engine: Engine, household_id: str, n: int) -> None:
    """Straight into the database: these tests are about reading, and a POST each is slow."""
    with unit_of_work(engine) as session:
        session.add_all(
            Member(household_id=household_id, display_name=f"Kid {i}") for i in range(n)
        )


def _walk(caller: Caller, url: str, limit: int) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        response = caller.get(url, params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        assert 1 <= len(body["data"]) <= limit or (not seen and not body["data"])
        seen += body["data"]
        cursor = body["next_cursor"]
        if cursor is None:
            return seen
        assert len(body["data"]) == limit


def test_default_limit_is_50(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    _add_managed_members(engine, home["id"], 50)
    url = f"/v1/households/{home['id']}/members"
    first = sam.get(url).json()
    assert len(first["data"]) == 50
    assert first["next_cursor"] is not None
    rest = sam.get(url, params={"cursor": first["next_cursor"]}).json()
    assert [m["user_id"] for m in rest["data"]] == [sam.user_id]
    assert rest["next_cursor"] is None


def test_a_full_last_page_has_no_next_cursor(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    _add_managed_members(engine, home["id"], 3)
    body = sam.get(f"/v1/households/{home['id']}/members", params={"limit": 4}).json()
    assert len(body["data"]) == 4
    assert body["next_cursor"] is None


@pytest.mark.parametrize("limit", ["0", "201", "-1", "1.5", "ten", ""])
def test_limit_outside_1_to_200_is_422(sam: Caller, limit: str) -> None:
    home = sam.household()
    for url in ("/v1/households", f"/v1/households/{home['id']}/activity"):
        assert_problem(sam.get(url, params={"limit": limit}), 422, field="limit")


def test_limit_200_is_allowed(sam: Caller) -> None:
    assert sam.get("/v1/households", params={"limit": 200}).status_code == 200


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!",
        "%%%",
        "a",
        "x" * 129,
        _b64("\x00\x01"),
        _b64("not an id"),
        _b64("9" * 64),
        _b64("ffffffff-ffff-ffff-ffff-ffffffffffff' OR 1=1 --"),
    ],
)
def test_a_cursor_this_api_did_not_give_out_is_422(sam: Caller, cursor: str) -> None:
    home = sam.household()
    for url in (
        "/v1/households",
        f"/v1/households/{home['id']}/members",
        f"/v1/households/{home['id']}/activity",
    ):
        assert_problem(sam.get(url, params={"cursor": cursor}), 422, field="cursor")


def test_cursor_pages_visit_every_member_once_newest_first(sam: Caller, engine: Engine) -> None:
    """For any size and limit, walking the pages yields each item exactly once, in the same
    newest-first order as one big page."""
    counter = iter(range(10**6))

    @given(size=st.integers(0, 12), limit=st.integers(1, 14))
    @settings(max_examples=25, deadline=None, database=None)
    def walk(size: int, limit: int) -> None:
        home = sam.household(f"Home {next(counter)}")
        _add_managed_members(engine, home["id"], size)
        url = f"/v1/households/{home['id']}/members"
        everything = sam.get(url, params={"limit": 200}).json()["data"]
        assert len(everything) == size + 1
        ids = [m["id"] for m in everything]
        assert ids == sorted(ids, reverse=True)
        assert _walk(sam, url, limit) == everything

    walk()


def test_household_list_pages_walk_every_household_once(sam: Caller, alex: Caller) -> None:
    created = [sam.household(f"Home {i}")["id"] for i in range(5)]
    alex.household("Not Sam's")
    walked = [h["id"] for h in _walk(sam, "/v1/households", 2)]
    assert walked == created[::-1]
