"""Closing: by hand, by the deadline (on read and by the worker), exactly once under a race."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.activity.models import Event
from domain.db import unit_of_work, writer
from domain.decisions import closing
from domain.decisions.models import Decision
from domain.households.service import find_membership
from domain.jobs import JOBS
from tests.api.conftest import Caller, assert_problem, join
from tests.api.decisions_builders import (
    cast,
    close,
    events,
    home_of,
    move_deadline,
    option,
    propose,
)
from tests.conftest import POSTGRES_URL


def _closed_events(engine: Engine, decision_id: str) -> list[Event]:
    with Session(engine) as session:
        return list(
            session.scalars(
                select(Event).where(
                    Event.type == "decision.closed", Event.subject_id == decision_id
                )
            )
        )


def _at_once(start: threading.Barrier, caller: Caller, method: str, url: str, **kw: Any) -> Any:
    """Send a request as soon as every other thread waiting on `start` is ready too."""
    start.wait()
    return caller.request(method, url, **kw)


def test_closing_counts_the_ballots_and_records_one_event(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of(sam, alex)
    decision = propose(sam, home)
    sea = option(decision, "Sea")
    cast(sam, home, decision, home.sam, {"option_id": sea})
    cast(alex, home, decision, home.alex, {"option_id": sea})
    cast(sam, home, decision, home.kid, {"abstain": True})

    response = sam.post(home.url(decision["id"], "close"))
    assert response.status_code == 200, response.text
    closed = response.json()
    assert closed["status"] == "closed" and closed["closed_by_member_id"] == home.sam
    assert closed["result"] == {
        "status": "passed",
        "winner_option_ids": [sea],
        "rounds": None,
        "tally": {
            "ballots": 3,
            "quorum": 2,
            "abstentions": 1,
            "options": [
                {"option_id": sea, "votes": 2},
                {"option_id": option(decision, "Mountains"), "votes": 0},
            ],
        },
        "explanation": "Sea won with 2 of 2 votes; 1 member abstained.",
    }
    assert response.headers["ETag"] == f'"{decision_version(engine, decision["id"])}"'
    [event] = _closed_events(engine, decision["id"])
    assert (event.actor_member_id, event.data) == (
        home.sam,
        {"title": "Holiday", "status": "passed", "winner_option_ids": [sea], "closed_by": "member"},
    )
    again = sam.post(home.url(decision["id"], "close"))
    assert again.status_code == 200 and again.json() == closed
    assert alex.get(home.url(decision["id"])).json() == closed
    assert len(_closed_events(engine, decision["id"])) == 1


def decision_version(engine: Engine, decision_id: str) -> int:
    with Session(engine) as session:
        decision = session.get(Decision, decision_id)
        assert decision is not None
        return decision.version


def test_only_the_proposer_or_an_admin_may_close_early(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of(sam, alex)
    sams = propose(sam, home)
    assert_problem(alex.post(home.url(sams["id"], "close")), 403)
    assert alex.get(home.url(sams["id"])).json()["status"] == "open"
    assert events(engine, "decision.closed") == 0
    alexs = propose(alex, home)
    assert close(alex, home, alexs)["status"] == "closed"
    assert close(sam, home, sams)["status"] == "closed"


def test_two_members_who_split_are_tied_and_the_status_quo_stands(
    sam: Caller, alex: Caller
) -> None:
    home = home_of(sam, alex)
    decision = propose(sam, home, quorum=2)
    cast(sam, home, decision, home.sam, {"option_id": option(decision, "Sea")})
    cast(alex, home, decision, home.alex, {"option_id": option(decision, "Mountains")})
    result = close(sam, home, decision)["result"]
    assert (result["status"], result["winner_option_ids"]) == ("tied", [])
    assert "the status quo stands" in result["explanation"]


def test_too_few_ballots_is_no_quorum(sam: Caller, alex: Caller) -> None:
    home = home_of(sam, alex)
    decision = propose(sam, home, quorum=1.0)
    cast(sam, home, decision, home.sam, {"option_id": option(decision, "Sea")})
    cast(alex, home, decision, home.alex, {"option_id": option(decision, "Sea")})
    result = close(sam, home, decision)["result"]
    assert result["status"] == "no_quorum"
    assert result["tally"] == {"ballots": 2, "quorum": 3}


def test_a_block_stops_a_consensus_proposal(sam: Caller, alex: Caller) -> None:
    home = home_of(sam, alex)
    decision = propose(sam, home, method="consensus", options=[], title="Get a dog")
    cast(sam, home, decision, home.sam, {"position": "agree"})
    cast(sam, home, decision, home.kid, {"position": "agree"})
    cast(alex, home, decision, home.alex, {"position": "block", "reason": "Allergic"})
    result = close(sam, home, decision)["result"]
    assert result["status"] == "blocked"
    assert result["tally"]["block"] == 1 and result["tally"]["agree"] == 2


def test_a_ranked_choice_where_the_first_preference_leader_loses_after_transfers(
    sam: Caller, alex: Caller, new_user: Any
) -> None:
    """The README's worked example: five members, four options, three rounds."""
    home = home_of(sam, alex)
    kids = [home.kid] + [sam.member(home.id, display_name=n)["id"] for n in ("Mo", "Lu")]
    decision = propose(
        sam,
        home,
        title="Summer holiday",
        method="ranked_choice",
        options=["Sea", "Mountains", "City", "Lake"],
        ballot="secret",
    )
    sea, mountains, city, lake = (o["id"] for o in decision["options"])
    cast(sam, home, decision, home.sam, {"ranking": [sea, city]})
    cast(alex, home, decision, home.alex, {"ranking": [sea]})
    cast(sam, home, decision, kids[0], {"ranking": [mountains, sea]})
    cast(sam, home, decision, kids[1], {"ranking": [city, mountains]})
    cast(sam, home, decision, kids[2], {"ranking": [lake, mountains, city]})

    result = close(sam, home, decision)["result"]
    assert (result["status"], result["winner_option_ids"]) == ("passed", [mountains])
    rounds = [
        ([(v["option_id"], v["votes"]) for v in r["votes"]], r["eliminated"], r["elimination"])
        for r in result["rounds"]
    ]
    assert rounds == [
        ([(sea, 2), (mountains, 1), (city, 1), (lake, 1)], [lake], "tie_option_order"),
        ([(sea, 2), (mountains, 2), (city, 1)], [city], "fewest_votes"),
        ([(sea, 2), (mountains, 3)], [], None),
    ]
    assert [r["round"] for r in result["rounds"]] == [1, 2, 3]
    assert (
        "Sea had the most first preferences but lost once votes transferred"
        in (result["explanation"])
    )
    assert result["tally"]["first_preferences"] == [
        {"option_id": sea, "votes": 2},
        {"option_id": mountains, "votes": 1},
        {"option_id": city, "votes": 1},
        {"option_id": lake, "votes": 1},
    ]


def test_a_passed_deadline_closes_the_decision_when_it_is_read(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of(sam, alex)
    one = propose(sam, home, closes_at="2099-01-01T00:00:00+00:00")
    two = propose(sam, home, closes_at="2099-01-01T00:00:00+02:00")
    open_one = propose(sam, home, closes_at="2099-01-01T00:00:00Z")
    cast(alex, home, one, home.alex, {"option_id": option(one, "Sea")})
    deadline = move_deadline(engine, one["id"])
    move_deadline(engine, two["id"])

    read = alex.get(home.url(one["id"]))
    assert read.status_code == 200
    body = read.json()
    assert body["status"] == "closed" and body["result"]["status"] == "no_quorum"
    assert datetime.fromisoformat(body["closed_at"]) == deadline
    assert body["closed_by_member_id"] is None
    [event] = _closed_events(engine, one["id"])
    assert (event.actor_member_id, event.actor_user_id, event.data["closed_by"]) == (
        None,
        None,
        "deadline",
    )

    listed = {d["id"]: d["status"] for d in alex.get(home.url()).json()["data"]}
    assert listed == {one["id"]: "closed", two["id"]: "closed", open_one["id"]: "open"}
    assert len(_closed_events(engine, two["id"])) == 1
    # A member who may not close early still gets the deadline's result from POST close.
    assert alex.post(home.url(one["id"], "close")).json() == alex.get(home.url(one["id"])).json()
    assert events(engine, "decision.closed") == 2


def test_the_worker_job_closes_due_decisions_once(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of(sam, alex)
    due = propose(sam, home, closes_at="2099-01-01T00:00:00+00:00")
    later = propose(sam, home, closes_at="2099-01-01T00:00:00+00:00")
    move_deadline(engine, due["id"])
    with unit_of_work(engine) as session:
        assert JOBS["decisions"](session, datetime.now(UTC)) == 1
    with unit_of_work(engine) as session:
        assert JOBS["decisions"](session, datetime.now(UTC)) == 0
    statuses = {d["id"]: d["status"] for d in sam.get(home.url()).json()["data"]}
    assert statuses == {due["id"]: "closed", later["id"]: "open"}
    assert events(engine, "decision.closed") == 1


def test_concurrent_closes_give_one_result_and_one_event(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of(sam, alex)
    decision = propose(sam, home)
    cast(sam, home, decision, home.sam, {"option_id": option(decision, "Sea")})
    cast(alex, home, decision, home.alex, {"option_id": option(decision, "Mountains")})
    start, url = threading.Barrier(6), home.url(decision["id"], "close")
    with ThreadPoolExecutor(6) as pool:
        calls = [pool.submit(_at_once, start, c, "POST", url) for c in [sam, alex] * 3]
        responses = [c.result() for c in calls]
    # Alex did not propose it and is no admin: before Sam's close lands Alex gets 403,
    # after it the stored result. Every 200 carries the same result.
    bodies = [r.json() for r in responses if r.status_code == 200]
    assert all(r.status_code in (200, 403) for r in responses)
    assert len(bodies) >= 3 and all(b == bodies[0] for b in bodies)
    assert bodies[0]["result"]["status"] == "tied"
    assert len(_closed_events(engine, decision["id"])) == 1


def test_a_close_that_lost_the_race_returns_the_winners_result(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    """The loser read the decision while it was still open, then found it closed."""
    home = home_of(sam, alex)
    decision = propose(sam, home)
    cast(alex, home, decision, home.alex, {"option_id": option(decision, "Sea")})
    with Session(engine, expire_on_commit=False) as late:
        stale = late.get(Decision, decision["id"])
        assert stale is not None and stale.status == "open"
        membership = find_membership(late, user_id=sam.user_id, household_id=home.id)
        late.commit()
        winner = close(sam, home, decision)
        assert stale.status == "open"
        closing.close_decision(late, membership=membership, decision=stale, now=datetime.now(UTC))
        late.commit()
    assert stale.status == "closed" and stale.result == winner["result"]
    assert len(_closed_events(engine, decision["id"])) == 1


@pytest.mark.skipif(POSTGRES_URL is None, reason="row locks: PostgreSQL only")
def test_a_close_waits_for_the_winner_and_then_returns_its_result(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    """Both transactions read the decision open; the second blocks on the first's row lock."""
    home = home_of(sam, alex)
    decision = propose(sam, home)
    cast(alex, home, decision, home.alex, {"option_id": option(decision, "Sea")})
    now = datetime.now(UTC)
    with Session(writer(engine)) as first, Session(writer(engine)) as second:
        one = first.get(Decision, decision["id"])
        two = second.get(Decision, decision["id"])
        assert one is not None and two is not None and one.status == two.status == "open"
        admin = find_membership(first, user_id=sam.user_id, household_id=home.id)
        closing.close_decision(first, membership=admin, decision=one, now=now)
        with ThreadPoolExecutor(1) as pool:
            admin_two = find_membership(second, user_id=sam.user_id, household_id=home.id)
            waiting = pool.submit(
                closing.close_decision, second, membership=admin_two, decision=two, now=now
            )
            time.sleep(0.5)
            assert not waiting.done()
            first.commit()
            waiting.result(timeout=10)
        second.commit()
        assert two.result == one.result and two.result is not None
    assert len(_closed_events(engine, decision["id"])) == 1


def test_a_ballot_and_a_close_never_leave_an_uncounted_ballot(sam: Caller, alex: Caller) -> None:
    home = home_of(sam, alex)
    for _ in range(3):
        decision = propose(sam, home)
        sea = option(decision, "Sea")
        start = threading.Barrier(2)
        with ThreadPoolExecutor(2) as pool:
            ballot_url = home.url(decision["id"], "votes", home.alex)
            voted = pool.submit(_at_once, start, alex, "PUT", ballot_url, json={"option_id": sea})
            closed = pool.submit(_at_once, start, sam, "POST", home.url(decision["id"], "close"))
            counted = closed.result().json()["result"]["tally"]["ballots"]
            assert voted.result().status_code in (200, 409)
            assert counted == (1 if voted.result().status_code == 200 else 0)


def test_a_member_who_joins_later_counts_toward_the_quorum(
    sam: Caller, alex: Caller, new_user: Any
) -> None:
    home = home_of(sam, alex)
    decision = propose(sam, home)
    for member, caller in ((home.sam, sam), (home.alex, alex)):
        cast(caller, home, decision, member, {"option_id": option(decision, "Sea")})
    join(sam, new_user("Robin"), home.id)
    join(sam, new_user("Jo"), home.id)
    result = close(sam, home, decision)["result"]
    assert result["status"] == "no_quorum" and result["tally"]["quorum"] == 3
