"""Proposing, listing and reading decisions; every bad proposal is refused with nothing stored."""

from typing import Any

import pytest
from sqlalchemy import Engine

from domain.activity.models import Event
from domain.decisions.models import Decision
from tests.api.conftest import Caller, assert_problem, count, fetch
from tests.api.decisions_builders import events, home_of, later, propose


def test_a_proposal_returns_its_options_with_ids_in_order_and_is_recorded(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of(sam, alex)
    closes_at = later(days=3)
    response = sam.post(
        home.url(),
        json={
            "title": "Summer holiday",
            "description": "Two weeks in August",
            "method": "ranked_choice",
            "options": [" Sea ", "Mountains", "City"],
            "closes_at": closes_at,
            "quorum": 2,
            "ballot": "secret",
            "category": "holidays",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert [o["label"] for o in body["options"]] == ["Sea", "Mountains", "City"]
    assert len({o["id"] for o in body["options"]}) == 3
    assert {k: body[k] for k in ("title", "method", "ballot", "quorum", "category", "status")} == {
        "title": "Summer holiday",
        "method": "ranked_choice",
        "ballot": "secret",
        "quorum": 2,
        "category": "holidays",
        "status": "open",
    }
    assert body["proposed_by_member_id"] == home.sam
    assert (body["voters"], body["votes"], body["result"], body["closed_at"]) == (
        [],
        None,
        None,
        None,
    )
    assert response.headers["Location"] == home.url(body["id"])
    assert response.headers["ETag"] == '"1"'
    stored = fetch(engine, Decision, body["id"])
    assert stored.household_id == home.id and stored.quorum_count == 2
    feed = sam.get(home.activity).json()["data"]
    assert (feed[0]["type"], feed[0]["subject_id"], feed[0]["actor_member_id"]) == (
        "decision.created",
        body["id"],
        home.sam,
    )
    assert feed[0]["data"] == {
        "title": "Summer holiday",
        "method": "ranked_choice",
        "ballot": "secret",
    }


def test_a_consensus_proposal_has_no_options_and_the_default_quorum(
    sam: Caller, alex: Caller
) -> None:
    home = home_of(sam, alex)
    body = propose(sam, home, method="consensus", options=[], title="Get a dog")
    assert (body["options"], body["quorum"], body["closes_at"]) == ([], None, None)


def test_a_fractional_quorum_is_kept_exactly(sam: Caller, alex: Caller, engine: Engine) -> None:
    home = home_of(sam, alex)
    body = propose(sam, home, quorum=0.1)
    assert body["quorum"] == 0.1
    stored = fetch(engine, Decision, body["id"])
    assert (stored.quorum_fraction, stored.quorum_count) == ("1/10", None)
    assert propose(sam, home, quorum=1.0)["quorum"] == 1.0


BAD_PROPOSALS: list[tuple[str, dict[str, Any], str]] = [
    ("one option", {"options": ["Sea"]}, "options"),
    ("no options", {"options": []}, "options"),
    ("a label twice", {"options": ["Sea", "sea "]}, "options.1"),
    ("a blank label", {"options": ["Sea", "  "]}, "options.1"),
    ("options for consensus", {"method": "consensus", "options": ["Yes", "No"]}, "options"),
    ("a deadline in the past", {"closes_at": later(minutes=-5)}, "closes_at"),
    ("a deadline without an offset", {"closes_at": "2099-01-01T12:00:00"}, "closes_at"),
    ("quorum 0", {"quorum": 0}, "quorum"),
    ("quorum 1.5", {"quorum": 1.5}, "quorum"),
    ("quorum 0.0", {"quorum": 0.0}, "quorum"),
    ("quorum above the members", {"quorum": 4}, "quorum"),
    ("a float for a count", {"quorum": 2.0}, "quorum"),
    ("a string quorum", {"quorum": "2"}, "quorum"),
    ("a boolean quorum", {"quorum": True}, "quorum"),
    ("an unknown method", {"method": "dictator"}, "method"),
    ("an unknown ballot kind", {"ballot": "public"}, "ballot"),
    ("no ballot kind", {"ballot": None}, "ballot"),
    ("an empty title", {"title": ""}, "title"),
    ("an unknown field", {"id": "0190c6e2-0000-7000-8000-000000000000"}, "id"),
    ("mass-assigned status", {"status": "closed"}, "status"),
]


@pytest.mark.parametrize(
    ("fields", "field"), [(f, n) for _, f, n in BAD_PROPOSALS], ids=[c for c, _, _ in BAD_PROPOSALS]
)
def test_a_bad_proposal_is_refused_naming_the_field_and_nothing_is_stored(
    sam: Caller, alex: Caller, engine: Engine, fields: dict[str, Any], field: str
) -> None:
    home = home_of(sam, alex)
    body = {"title": "Holiday", "method": "majority", "options": ["Sea", "Mountains"]}
    body |= {"ballot": "open", **fields}
    body = {k: v for k, v in body.items() if v is not None}
    assert_problem(sam.post(home.url(), json=body), 422, field=field)
    assert count(engine, Decision) == 0
    assert events(engine, "decision.created") == 0


def test_decisions_are_listed_newest_first_filtered_by_status_and_paged(
    sam: Caller, alex: Caller
) -> None:
    home = home_of(sam, alex)
    first = propose(sam, home, title="First")
    second = propose(alex, home, title="Second")
    third = propose(sam, home, title="Third")
    assert alex.post(home.url(second["id"], "close")).status_code == 200

    listed = sam.get(home.url()).json()
    assert [d["title"] for d in listed["data"]] == ["Third", "Second", "First"]
    assert listed["next_cursor"] is None
    only_open = sam.get(home.url(), params={"status": "open"}).json()["data"]
    assert [d["id"] for d in only_open] == [third["id"], first["id"]]
    only_closed = alex.get(home.url(), params={"status": "closed"}).json()["data"]
    assert [(d["id"], d["result"]["status"]) for d in only_closed] == [(second["id"], "no_quorum")]

    page_one = sam.get(home.url(), params={"limit": 2}).json()
    page_two = sam.get(home.url(), params={"limit": 2, "cursor": page_one["next_cursor"]}).json()
    assert [d["id"] for d in page_one["data"] + page_two["data"]] == [
        third["id"],
        second["id"],
        first["id"],
    ]
    assert page_two["next_cursor"] is None
    assert_problem(sam.get(home.url(), params={"status": "pending"}), 422, field="status")


def test_a_decision_is_read_with_its_etag(sam: Caller, alex: Caller) -> None:
    home = home_of(sam, alex)
    created = propose(sam, home)
    response = alex.get(home.url(created["id"]))
    assert response.status_code == 200
    assert response.json() == created
    assert response.headers["ETag"] == '"1"'


def test_another_households_decisions_are_not_found(
    sam: Caller, alex: Caller, new_user: Any, engine: Engine
) -> None:
    home = home_of(sam, alex)
    decision = propose(sam, home)
    stranger = new_user("Robin")
    stranger.household()
    assert_problem(stranger.get(home.url()), 404)
    assert_problem(stranger.get(home.url(decision["id"])), 404)
    assert_problem(stranger.post(home.url(), json={"title": "x"}), 404)
    assert_problem(stranger.post(home.url(decision["id"], "close")), 404)
    assert_problem(stranger.get(home.url("stats")), 404)
    theirs = stranger.get("/v1/households").json()["data"][0]["id"]
    assert_problem(stranger.get(f"/v1/households/{theirs}/decisions/{decision['id']}"), 404)
    assert count(engine, Event, Event.type.like("decision.%")) == 1


def test_a_repeated_proposal_with_the_same_idempotency_key_creates_one_decision(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of(sam, alex)
    body = {"title": "Holiday", "method": "approval", "options": ["Sea", "Lake"], "ballot": "open"}
    headers = {"Idempotency-Key": "holiday-1"}
    first = sam.post(home.url(), json=body, headers=headers)
    again = sam.post(home.url(), json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert count(engine, Decision) == 1
    assert events(engine, "decision.created") == 1
