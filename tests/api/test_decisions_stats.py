"""Who decides: proposals, ballots, outcomes matched and blocks, per member and period."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from domain.decisions.models import Decision
from tests.api.conftest import Caller, assert_problem
from tests.api.decisions_builders import Home, cast, close, home_of, option, propose


def _rows(caller: Caller, home: Home, **params: Any) -> dict[str, tuple[int, int, int, int]]:
    response = caller.get(home.url("stats"), params=params)
    assert response.status_code == 200, response.text
    return {
        r["member_id"]: (r["proposed"], r["ballots"], r["matched_outcome"], r["blocks"])
        for r in response.json()["members"]
    }


def test_stats_count_proposals_ballots_matched_outcomes_and_blocks(
    sam: Caller, alex: Caller
) -> None:
    home = home_of(sam, alex)
    holiday = propose(sam, home)
    sea = option(holiday, "Sea")
    cast(sam, home, holiday, home.sam, {"option_id": sea})
    cast(sam, home, holiday, home.kid, {"option_id": sea})
    cast(alex, home, holiday, home.alex, {"option_id": option(holiday, "Mountains")})
    close(sam, home, holiday)

    dog = propose(alex, home, method="consensus", options=[], title="Get a dog")
    cast(sam, home, dog, home.sam, {"position": "agree"})
    cast(alex, home, dog, home.alex, {"position": "block", "reason": "Allergic"})
    close(alex, home, dog)

    secret = propose(sam, home, ballot="secret", title="Paint the hall")
    cast(alex, home, secret, home.alex, {"option_id": option(secret, "Sea")})
    close(sam, home, secret)
    propose(alex, home, title="Still open")

    body = alex.get(home.url("stats")).json()
    assert (body["from"], body["to"]) == (None, None)
    assert [r["member_id"] for r in body["members"]] == [home.sam, home.alex, home.kid]
    assert _rows(alex, home) == {
        # Sam: proposed two; three ballots; won the holiday; agreed to a blocked dog.
        home.sam: (2, 2, 1, 0),
        # Alex: lost the holiday, matched the block; the secret ballot counts, nothing more.
        home.alex: (2, 3, 1, 1),
        home.kid: (0, 1, 1, 0),
    }


def test_stats_cover_only_decisions_proposed_in_the_period(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of(sam, alex)
    old = propose(sam, home, title="Last year")
    cast(sam, home, old, home.sam, {"option_id": option(old, "Sea")})
    new = propose(alex, home, title="This year")
    # 23:30 UTC on New Year's Eve is already 2026-01-01 in the household's Berlin.
    for decision, created_at in (
        (old, datetime(2025, 12, 31, 23, 30, tzinfo=UTC)),
        (new, datetime(2026, 3, 1, 12, 0, tzinfo=UTC)),
    ):
        with Session(engine) as session, session.begin():
            session.execute(
                update(Decision).where(Decision.id == decision["id"]).values(created_at=created_at)
            )
    assert _rows(sam, home, **{"from": "2026-01-01", "to": "2026-01-01"}) == {
        home.sam: (1, 1, 0, 0),
        home.alex: (0, 0, 0, 0),
        home.kid: (0, 0, 0, 0),
    }
    nothing = dict.fromkeys((home.sam, home.alex, home.kid), (0, 0, 0, 0))
    assert _rows(sam, home, to="2025-12-31") == nothing
    later = _rows(sam, home, **{"from": "2026-01-02", "to": "2026-03-01"})
    assert (later[home.sam], later[home.alex]) == ((0, 0, 0, 0), (1, 0, 0, 0))


def test_stats_refuse_a_period_that_ends_before_it_starts(sam: Caller, alex: Caller) -> None:
    home = home_of(sam, alex)
    response = sam.get(home.url("stats"), params={"from": "2026-02-01", "to": "2026-01-01"})
    assert_problem(response, 422, field="to")
    assert_problem(sam.get(home.url("stats"), params={"from": "yesterday"}), 422, field="from")
