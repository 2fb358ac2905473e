"""The token's statement (api/access.py): what it fetches beside the token equals what the
separate reads it replaced answer, and what the routes decide from it is unchanged."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session
from sqlmodel import col

from api import access
from api.deps import now
from domain.households import versions
from domain.households.models import Household
from domain.households.service import find_membership
from domain.ledger import recurring
from domain.ledger.models import Expense, RecurringExpense
from tests.api.conftest import Caller, assert_problem, count
from tests.api.ledger_builders import Home, equal, home_of_three

# From UTC-12 to UTC+14, with the half and three-quarter hours and a zone that keeps DST.
ZONES = [
    "Etc/GMT+12",
    "Pacific/Pago_Pago",
    "America/St_Johns",
    "UTC",
    "Europe/Berlin",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "Pacific/Kiritimati",
]
FIRST = datetime(2026, 3, 27, tzinfo=UTC)  # Europe/Berlin and Chatham change clocks near it
Clock = Callable[[datetime], None]


@pytest.fixture
def clock(app: FastAPI) -> Clock:
    def set_to(moment: datetime) -> None:
        app.dependency_overrides[now] = lambda: moment

    return set_to


def _rent(home: Home, starts_on: str) -> dict[str, object]:
    return {
        "description": "Rent",
        "amount": 90000,
        "currency": "EUR",
        "paid_by": home.sam,
        "split": equal(*home.members),
        "rrule": "FREQ=DAILY",
        "starts_on": starts_on,
    }


def test_the_statement_finds_what_the_separate_reads_find(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    """The due check, for any zone and any moment (the household-local day is the UTC day,
    the day before or the day after), the membership and the version."""
    home = home_of_three(sam, alex)
    created = sam.post(home.url("/recurring-expenses"), json=_rent(home, "2030-01-01"))
    assert created.status_code == 201, created.text
    template = created.json()["id"]

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        zone=st.sampled_from(ZONES),
        minutes=st.integers(0, 6 * 24 * 60),
        starts=st.integers(-3, 9),
        made=st.none() | st.integers(-4, 9),
        active=st.booleans(),
    )
    def check(zone: str, minutes: int, starts: int, made: int | None, active: bool) -> None:
        at = FIRST + timedelta(minutes=minutes)
        day = FIRST.date()
        with Session(engine) as session, session.begin():
            session.execute(
                update(Household).where(col(Household.id) == home.id).values(timezone=zone)
            )
            session.execute(
                update(RecurringExpense)
                .where(col(RecurringExpense.id) == template)
                .values(
                    starts_on=day + timedelta(days=starts),
                    materialised_through=None if made is None else day + timedelta(days=made),
                    active=active,
                )
            )
        with Session(engine) as session:
            principal, found = access.authenticate(
                session, secret=sam.token, at=at, household_id=home.id
            )
            assert found.membership is not None
            household = found.membership.household
            assert household.timezone == zone
            assert found.anything_due(at) is recurring.anything_due(
                session, household=household, now=at
            )
            assert found.version == versions.current(session, household_id=home.id)
            separate = find_membership(session, user_id=principal.user_id, household_id=home.id)
            assert found.membership.member.id == separate.member.id == home.sam
            # Alex's token finds Alex's own member row; nobody else's.
            _, alexs = access.authenticate(session, secret=alex.token, at=at, household_id=home.id)
            assert alexs.membership is not None and alexs.membership.member.id == home.alex

    check()


def test_a_stranger_finds_no_membership_and_gets_the_same_404(
    sam: Caller, alex: Caller, new_user: Callable[..., Caller], engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    stranger = new_user("Kim")
    own = stranger.household()
    with Session(engine) as session:
        _, found = access.authenticate(
            session, secret=stranger.token, at=datetime.now(UTC), household_id=home.id
        )
        assert found.membership is None and found.anything_due(datetime.now(UTC)) is None
    assert_problem(stranger.get(home.url("/balances")), 404)
    other = f"/v1/households/{own['id']}/balances"
    assert stranger.get(other).status_code == 200
    assert_problem(sam.get(other), 404)
    assert_problem(sam.get(other, headers={"If-None-Match": "*"}), 404)


def test_a_read_that_makes_due_expenses_tags_what_it_made(
    sam: Caller, alex: Caller, clock: Clock, engine: Engine
) -> None:
    """The version comes with the token, before occurrences are made: a read that made some
    reads it again, so its tag names its answer and the next poll is a 304."""
    clock(datetime(2026, 3, 15, 12, tzinfo=UTC))
    home = home_of_three(sam, alex)
    created = sam.post(home.url("/recurring-expenses"), json=_rent(home, "2026-03-16"))
    assert created.status_code == 201, created.text
    clock(datetime(2026, 3, 17, 12, tzinfo=UTC))
    first = sam.get(home.url("/balances"))
    assert first.status_code == 200 and count(engine, Expense) == 2
    again = sam.get(home.url("/balances"), headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304, again.text


def test_due_on_the_household_day_not_the_utc_day(
    sam: Caller, alex: Caller, clock: Clock, engine: Engine
) -> None:
    """A household at UTC+14 is a day ahead: its rent of the 1st is made at 10:00 UTC on the
    31st, not before; at UTC-11 it waits until 11:00 UTC on the 1st."""
    clock(datetime(2026, 3, 20, 12, tzinfo=UTC))
    ahead, behind = home_of_three(sam, alex), home_of_three(sam, alex)
    for home, zone in ((ahead, "Pacific/Kiritimati"), (behind, "Pacific/Pago_Pago")):
        tag = sam.get(home.url()).headers["etag"]
        moved = sam.patch(home.url(), json={"timezone": zone}, headers={"If-Match": tag})
        assert moved.status_code == 200, moved.text
        rent = _rent(home, "2026-04-01") | {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1"}
        assert sam.post(home.url("/recurring-expenses"), json=rent).status_code == 201

    def made(home: Home) -> int:
        assert sam.get(home.url("/balances")).status_code == 200
        return count(engine, Expense, col(Expense.household_id) == home.id)

    for moment, ahead_made, behind_made in (
        (datetime(2026, 3, 31, 9, 59, tzinfo=UTC), 0, 0),
        (datetime(2026, 3, 31, 10, 0, tzinfo=UTC), 1, 0),
        (datetime(2026, 4, 1, 10, 59, tzinfo=UTC), 1, 0),
        (datetime(2026, 4, 1, 11, 0, tzinfo=UTC), 1, 1),
    ):
        clock(moment)
        assert (made(ahead), made(behind)) == (ahead_made, behind_made), moment
