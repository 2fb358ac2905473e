"""Secret ballots: only who voted is ever shown, and the database cannot link ballot to voter."""

import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session

from domain.decisions.models import DecisionBallot, DecisionVoter
from tests.api.conftest import Caller, assert_problem, count
from tests.api.decisions_builders import events, home_of, propose, vote
from tests.conftest import POSTGRES_URL

# Every key a ballot of any method is made of; "ballot" itself only as an object.
BALLOT_KEYS = {"option_id", "abstain", "position", "reason", "approved", "ranking", "scores"}


def objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in a body, at any depth."""
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from objects(child)
    elif isinstance(value, list):
        for child in value:
            yield from objects(child)


def direct_values(obj: dict[str, Any]) -> set[Any]:
    """The scalars an object holds itself: its values and the items of its lists of scalars."""
    found: set[Any] = set()
    for value in obj.values():
        items = value if isinstance(value, list) else [value]
        found.update(i for i in items if isinstance(i, str | int | float | bool | None))
    return found


def assert_no_voter_next_to_a_ballot(
    body: Any, voters: set[str], option_ids: set[str], rankings: list[list[str]]
) -> None:
    """No object names a voter beside an option or any part of a ballot; and no ranking
    appears anywhere, named or not (a secret decision returns no ballot at all)."""
    for obj in objects(body):
        assert "ranking" not in obj and not any(v in rankings for v in obj.values()), obj
        if not direct_values(obj) & voters:
            continue
        assert not direct_values(obj) & option_ids, f"a voter beside an option: {obj}"
        assert not BALLOT_KEYS & obj.keys(), f"a voter beside ballot content: {obj}"
        assert not isinstance(obj.get("ballot"), dict | list), f"a voter beside a ballot: {obj}"
        for child in obj.values():
            if isinstance(child, dict):
                assert not BALLOT_KEYS & child.keys(), f"a voter beside a ballot: {obj}"


def test_a_secret_decision_never_shows_who_voted_what_anywhere(sam: Caller, alex: Caller) -> None:
    home = home_of(sam, alex)
    bodies: list[Any] = []

    def call(response: Any, status: int = 200) -> Any:
        assert response.status_code == status, response.text
        bodies.append(response.json())
        return response.json()

    decision = call(
        sam.post(
            home.url(),
            json={
                "title": "Summer holiday",
                "method": "ranked_choice",
                "options": ["Sea", "Mountains", "City"],
                "ballot": "secret",
            },
        ),
        201,
    )
    sea, mountains, city = (o["id"] for o in decision["options"])
    ballots = {
        home.sam: [sea, city, mountains],
        home.alex: [mountains, sea],
        home.kid: [city, mountains, sea],
    }
    for member, ranking in ballots.items():
        caller = alex if member == home.alex else sam
        cast = call(
            caller.put(home.url(decision["id"], "votes", member), json={"ranking": ranking})
        )
        assert cast["ballot"] is None and cast["member_id"] == member
    call(sam.get(home.url(decision["id"])))
    call(alex.get(home.url()))
    closed = call(sam.post(home.url(decision["id"], "close")))
    call(alex.get(home.url(decision["id"])))
    call(alex.get(home.url(), params={"status": "closed"}))
    feed = call(sam.get(home.activity))
    stats = call(alex.get(home.url("stats")))

    assert closed["voters"] == [home.sam, home.alex, home.kid]
    assert closed["votes"] is None
    assert closed["result"]["status"] == "passed"
    assert {e["type"] for e in feed["data"]} >= {
        "decision.created",
        "decision.vote_cast",
        "decision.closed",
    }
    assert [e["data"] for e in feed["data"] if e["type"] == "decision.vote_cast"] == [
        {"member_id": home.kid},
        {"member_id": home.alex},
        {"member_id": home.sam},
    ]
    assert [(r["ballots"], r["matched_outcome"], r["blocks"]) for r in stats["members"]] == [
        (1, 0, 0)
    ] * 3
    for body in bodies:
        assert_no_voter_next_to_a_ballot(
            body, set(ballots), {sea, mountains, city}, list(ballots.values())
        )
    # The check itself finds an open ballot's shape, so its silence above means something.
    leak = {"member_id": home.alex, "ballot": {"ranking": ballots[home.alex]}}
    with pytest.raises(AssertionError, match="a voter beside a ballot"):
        assert_no_voter_next_to_a_ballot(leak, set(ballots), {sea}, [])
    with pytest.raises(AssertionError, match="a voter beside an option"):
        assert_no_voter_next_to_a_ballot({"member_id": home.sam, "x": sea}, set(ballots), {sea}, [])


def test_voters_and_anonymous_ballots_share_nothing_that_links_them(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    schema = inspect(engine)
    voters = {c["name"] for c in schema.get_columns("decision_voters")}
    ballots = {c["name"]: c for c in schema.get_columns("decision_ballots")}
    # `ballot` on a voter row holds an open ballot and is null for a secret one (see below).
    assert voters & ballots.keys() == {"decision_id", "ballot"}
    assert set(ballots) == {"id", "decision_id", "ballot"}
    assert [fk["referred_table"] for fk in schema.get_foreign_keys("decision_ballots")] == [
        "decisions"
    ]
    if POSTGRES_URL is None:
        with engine.connect() as connection:
            ddl = connection.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'decision_ballots'")
            ).scalar_one()
        assert "WITHOUT ROWID" in ddl

    home = home_of(sam, alex)
    decision = propose(sam, home, method="approval", ballot="secret")
    sea, mountains = (o["id"] for o in decision["options"])
    sent = [[sea], [sea, mountains], []]
    ids_seen: list[set[str]] = []
    for member, approved in zip((home.sam, home.alex, home.kid), sent, strict=True):
        caller = alex if member == home.alex else sam
        response = vote(caller, home, decision, member, {"approved": approved})
        assert response.status_code == 200, response.text
        ids_seen.append(_ballot_ids(engine))
    with Session(engine) as session:
        stored = session.scalars(select(DecisionBallot.ballot)).all()
        assert session.scalars(select(DecisionVoter.ballot)).all() == [None, None, None]
    assert Counter(tuple(b["approved"]) for b in stored) == Counter(tuple(a) for a in sent)
    # Every cast rewrites the decision's ballots under fresh random ids (UUIDv4: no clock).
    assert ids_seen[0].isdisjoint(ids_seen[1]) and ids_seen[1].isdisjoint(ids_seen[2])
    assert {uuid.UUID(i).version for i in ids_seen[2]} == {4}


def _ballot_ids(engine: Engine) -> set[str]:
    with Session(engine) as session:
        return set(session.scalars(select(DecisionBallot.id)))


def test_a_secret_ballot_is_final_once_cast(sam: Caller, alex: Caller, engine: Engine) -> None:
    home = home_of(sam, alex)
    decision = propose(sam, home, ballot="secret")
    sea, mountains = (o["id"] for o in decision["options"])
    assert vote(alex, home, decision, home.alex, {"option_id": sea}).status_code == 200
    again = vote(alex, home, decision, home.alex, {"option_id": mountains})
    assert "final" in assert_problem(again, 409)["detail"]
    with Session(engine) as session:
        assert session.scalars(select(DecisionBallot.ballot)).all() == [{"option_id": sea}]
    assert count(engine, DecisionVoter) == 1
    assert events(engine, "decision.vote_cast") == 1


def test_a_secret_result_holds_counts_only(sam: Caller, alex: Caller) -> None:
    home = home_of(sam, alex)
    decision = propose(sam, home, method="score", ballot="secret", options=["Sea", "Lake"])
    sea, lake = (o["id"] for o in decision["options"])
    for member, caller, scores in (
        (home.sam, sam, {sea: 5, lake: 1}),
        (home.alex, alex, {sea: 2}),
    ):
        assert vote(caller, home, decision, member, {"scores": scores}).status_code == 200
    result = sam.post(home.url(decision["id"], "close")).json()["result"]
    assert result["tally"] == {
        "ballots": 2,
        "quorum": 2,
        "options": [
            {"option_id": sea, "total": 7, "mean": "7/2"},
            {"option_id": lake, "total": 1, "mean": "1/2"},
        ],
    }
    assert home.sam not in str(result) and home.alex not in str(result)
