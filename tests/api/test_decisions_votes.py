"""Casting and changing ballots: who may vote for whom, and every ballot that does not fit."""

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from domain.decisions.models import DecisionVoter
from domain.households.models import Member
from tests.api.conftest import Caller, assert_problem, count
from tests.api.decisions_builders import (
    cast,
    events,
    home_of,
    move_deadline,
    option,
    propose,
    vote,
)


def test_a_member_casts_and_then_changes_an_open_ballot(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of(sam, alex)
    decision = propose(sam, home)
    sea, mountains = option(decision, "Sea"), option(decision, "Mountains")

    first = vote(alex, home, decision, home.alex, {"option_id": sea})
    assert first.status_code == 200, first.text
    assert first.headers["ETag"] == '"1"'
    assert {k: first.json()[k] for k in ("decision_id", "member_id", "ballot")} == {
        "decision_id": decision["id"],
        "member_id": home.alex,
        "ballot": {"option_id": sea},
    }
    assert first.json()["cast_by_member_id"] is None
    second = vote(alex, home, decision, home.alex, {"option_id": mountains})
    assert second.status_code == 200 and second.headers["ETag"] == '"2"'

    read = sam.get(home.url(decision["id"])).json()
    assert read["voters"] == [home.alex]
    assert [(v["member_id"], v["ballot"]) for v in read["votes"]] == [
        (home.alex, {"option_id": mountains})
    ]
    assert count(engine, DecisionVoter) == 1
    feed = [e for e in sam.get(home.activity).json()["data"] if e["type"] == "decision.vote_cast"]
    assert [e["data"] for e in feed] == [
        {"member_id": home.alex, "ballot": {"option_id": mountains}, "replaced": True},
        {"member_id": home.alex, "ballot": {"option_id": sea}, "replaced": False},
    ]
    assert all(e["actor_member_id"] == home.alex for e in feed)


def test_changing_a_ballot_with_a_stale_etag_is_refused(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of(sam, alex)
    decision = propose(sam, home)
    sea, mountains = option(decision, "Sea"), option(decision, "Mountains")
    cast(alex, home, decision, home.alex, {"option_id": sea})
    cast(alex, home, decision, home.alex, {"option_id": sea})
    stale = alex.put(
        home.url(decision["id"], "votes", home.alex),
        json={"option_id": mountains},
        headers={"If-Match": '"1"'},
    )
    assert_problem(stale, 412)
    fresh = alex.put(
        home.url(decision["id"], "votes", home.alex),
        json={"option_id": mountains},
        headers={"If-Match": '"2"'},
    )
    assert fresh.status_code == 200 and fresh.json()["ballot"] == {"option_id": mountains}
    assert events(engine, "decision.vote_cast") == 3


def test_an_admin_votes_for_a_managed_member_on_their_behalf(sam: Caller, alex: Caller) -> None:
    home = home_of(sam, alex)
    decision = propose(alex, home)
    sea = option(decision, "Sea")
    response = vote(sam, home, decision, home.kid, {"option_id": sea})
    assert response.status_code == 200, response.text
    assert (response.json()["member_id"], response.json()["cast_by_member_id"]) == (
        home.kid,
        home.sam,
    )
    newest = sam.get(home.activity).json()["data"][0]
    assert (newest["type"], newest["actor_member_id"], newest["on_behalf_of_member_id"]) == (
        "decision.vote_cast",
        home.sam,
        home.kid,
    )
    assert newest["data"]["member_id"] == home.kid
    assert sam.get(home.url(decision["id"])).json()["voters"] == [home.kid]


@pytest.mark.parametrize(
    ("voter", "member"),
    [("sam", "alex"), ("alex", "sam"), ("alex", "kid")],
    ids=["admin for a member with an account", "member for the admin", "member for managed"],
)
def test_nobody_votes_for_a_member_they_may_not_act_for(
    sam: Caller, alex: Caller, engine: Engine, voter: str, member: str
) -> None:
    home = home_of(sam, alex)
    decision = propose(sam, home)
    caller = {"sam": sam, "alex": alex}[voter]
    response = vote(
        caller, home, decision, getattr(home, member), {"option_id": option(decision, "Sea")}
    )
    assert_problem(response, 403)
    assert count(engine, DecisionVoter) == 0
    assert events(engine, "decision.vote_cast") == 0


def test_a_member_of_another_household_cannot_be_voted_for_or_vote(
    sam: Caller, alex: Caller, new_user: Callable[..., Caller], engine: Engine
) -> None:
    home = home_of(sam, alex)
    decision = propose(sam, home)
    sea = option(decision, "Sea")
    robin = new_user("Robin")
    elsewhere = robin.household()["id"]
    robin_member = robin.get(f"/v1/households/{elsewhere}/members").json()["data"][0]["id"]
    assert_problem(vote(sam, home, decision, robin_member, {"option_id": sea}), 404)
    assert_problem(vote(robin, home, decision, robin_member, {"option_id": sea}), 404)
    assert_problem(
        vote(sam, home, decision, "0190c6e2-0000-7000-8000-000000000000", {"option_id": sea}), 404
    )
    missing = sam.put(home.url("0190c6e2-0000-7000-8000-000000000000", "votes", home.sam), json={})
    assert_problem(missing, 404)
    assert count(engine, DecisionVoter) == 0
    assert events(engine, "decision.vote_cast") == 0


def _sea_mountains(decision: dict[str, Any]) -> tuple[str, str]:
    return option(decision, "Sea"), option(decision, "Mountains")


# (case, method, ballot built from (sea, mountains), the field the problem names)
BAD_BALLOTS: list[tuple[str, str, Callable[[str, str], Any], str]] = [
    ("a ranking for a majority vote", "majority", lambda s, m: {"ranking": [s, m]}, "ranking"),
    ("no option for a majority vote", "majority", lambda s, m: {}, "option_id"),
    ("an unknown option", "majority", lambda s, m: {"option_id": "nowhere"}, "option_id"),
    (
        "an option and an abstention",
        "majority",
        lambda s, m: {"option_id": s, "abstain": True},
        "abstain",
    ),
    ("a score above 5", "score", lambda s, m: {"scores": {s: 6}}, "scores."),
    ("a negative score", "score", lambda s, m: {"scores": {s: 5, m: -1}}, "scores."),
    ("a fractional score", "score", lambda s, m: {"scores": {s: 2.5}}, "scores."),
    ("a score for an unknown option", "score", lambda s, m: {"scores": {"x": 1}}, "scores.x"),
    (
        "an unknown option in a ranking",
        "ranked_choice",
        lambda s, m: {"ranking": [s, "x"]},
        "ranking.1",
    ),
    ("an option ranked twice", "ranked_choice", lambda s, m: {"ranking": [s, m, s]}, "ranking.2"),
    ("an empty ranking", "ranked_choice", lambda s, m: {"ranking": []}, "ranking"),
    ("a ranking as text", "ranked_choice", lambda s, m: {"ranking": s}, "ranking"),
    ("an option approved twice", "approval", lambda s, m: {"approved": [m, m]}, "approved.1"),
    ("a block without a reason", "consensus", lambda s, m: {"position": "block"}, "reason"),
    ("a blank reason", "consensus", lambda s, m: {"position": "block", "reason": " "}, "reason"),
    ("a disagree without a reason", "consensus", lambda s, m: {"position": "disagree"}, "reason"),
    ("an unknown position", "consensus", lambda s, m: {"position": "maybe"}, "position"),
    ("a ballot that is a list", "majority", lambda s, m: [s], "body"),
]


@pytest.mark.parametrize(
    ("method", "build", "field"),
    [(m, b, f) for _, m, b, f in BAD_BALLOTS],
    ids=[c for c, _, _, _ in BAD_BALLOTS],
)
def test_a_ballot_that_does_not_fit_is_refused_naming_the_field_and_nothing_is_stored(
    sam: Caller,
    alex: Caller,
    engine: Engine,
    method: str,
    build: Callable[[str, str], Any],
    field: str,
) -> None:
    home = home_of(sam, alex)
    if method == "consensus":
        decision = propose(sam, home, method=method, options=[])
        sea = mountains = "none"
    else:
        decision = propose(sam, home, method=method, options=["Sea", "Mountains"])
        sea, mountains = _sea_mountains(decision)
    response = vote(alex, home, decision, home.alex, build(sea, mountains))
    assert_problem(response, 422, field=field)
    assert count(engine, DecisionVoter) == 0
    assert events(engine, "decision.vote_cast") == 0
    assert sam.get(home.url(decision["id"])).json()["voters"] == []


def test_a_ballot_after_closing_is_a_conflict_and_changes_nothing(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of(sam, alex)
    decision = propose(sam, home)
    sea, mountains = _sea_mountains(decision)
    cast(alex, home, decision, home.alex, {"option_id": sea})
    closed = sam.post(home.url(decision["id"], "close")).json()
    for member, caller in ((home.alex, alex), (home.sam, sam)):
        body = assert_problem(vote(caller, home, decision, member, {"option_id": mountains}), 409)
        assert "closed" in body["detail"]
    assert sam.get(home.url(decision["id"])).json() == closed
    assert count(engine, DecisionVoter) == 1
    assert events(engine, "decision.vote_cast") == 1


def test_a_ballot_after_the_deadline_is_a_conflict_even_before_anyone_reads_it(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of(sam, alex)
    decision = propose(sam, home, closes_at="2099-01-01T00:00:00+00:00")
    move_deadline(engine, decision["id"])
    assert_problem(
        vote(alex, home, decision, home.alex, {"option_id": option(decision, "Sea")}), 409
    )
    assert count(engine, DecisionVoter) == 0
    assert events(engine, "decision.vote_cast") == 0


def test_a_member_who_left_cannot_vote(sam: Caller, alex: Caller, engine: Engine) -> None:
    home = home_of(sam, alex)
    decision = propose(sam, home)
    with Session(engine) as session, session.begin():
        session.execute(update(Member).where(Member.id == home.kid).values(active=False))
    assert_problem(vote(sam, home, decision, home.kid, {"option_id": option(decision, "Sea")}), 409)
    assert count(engine, DecisionVoter) == 0


def test_every_method_takes_its_own_ballot(sam: Caller, alex: Caller, engine: Engine) -> None:
    home = home_of(sam, alex)
    for method, build in [
        ("majority", lambda s, m: {"abstain": True}),
        ("approval", lambda s, m: {"approved": []}),
        ("ranked_choice", lambda s, m: {"ranking": [m]}),
        ("score", lambda s, m: {"scores": {s: 0, m: 5}}),
    ]:
        decision = propose(sam, home, method=method)
        ballot = build(*_sea_mountains(decision))
        assert vote(sam, home, decision, home.sam, ballot).json()["ballot"] == ballot
    consensus = propose(sam, home, method="consensus", options=[])
    ballot = {"position": "block", "reason": "Not this year"}
    assert vote(sam, home, consensus, home.sam, ballot).json()["ballot"] == ballot
    assert count(engine, DecisionVoter) == 5


def test_a_member_who_voted_is_deactivated_rather_than_deleted(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of(sam, alex)
    decision = propose(sam, home)
    cast(sam, home, decision, home.kid, {"option_id": option(decision, "Sea")})
    assert_problem(sam.delete(f"/v1/households/{home.id}/members/{home.kid}"), 409)
    assert sam.get(home.url(decision["id"])).json()["voters"] == [home.kid]
    assert count(engine, DecisionVoter) == 1
