"""Calendar feeds: RFC 5545 documents that `icalendar` parses without a complaint, with UIDs
that never change and a SEQUENCE that grows when an entry does, read with a bearer token or
with a `feed` token in the URL (which reads feeds and nothing else)."""

import logging
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from icalendar import Calendar

from api.logs import RedactInvitationCodes
from tests.api.chores_builders import NOW, TODAY, Home, create_chore, freeze, home_of_two
from tests.api.conftest import PASSWORD, Caller, assert_problem

BERLIN = ZoneInfo("Europe/Berlin")


def feed_token(caller: Caller, household_id: str | None, *scopes: str) -> str:
    body: dict[str, Any] = {"email": caller.email, "password": PASSWORD, "name": "calendar"}
    body["scopes"] = list(scopes or ("feed",))
    if household_id is not None:
        body["household_id"] = household_id
    response = caller.client.post("/v1/tokens", json=body)
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


def parse(response: Any) -> Calendar:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    for component in calendar.walk():
        assert not component.errors, (component.name, component.errors)
    return calendar


def events(calendar: Calendar) -> dict[str, Any]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def by_category(calendar: Calendar, category: str) -> list[Any]:
    return [e for e in calendar.walk("VEVENT") if category in e.categories]


@pytest.fixture
def home(app: FastAPI, sam: Caller, alex: Caller) -> Home:
    freeze(app)
    return home_of_two(sam, alex)


def test_the_household_feed_has_chores_with_assignees_decisions_and_goals(
    sam: Caller, home: Home
) -> None:
    create_chore(sam, home, name="Bins", recurrence="FREQ=WEEKLY")
    closes = datetime(2026, 3, 5, 17, 30, tzinfo=BERLIN)
    decision = sam.post(
        home.url("decisions"),
        json={
            "title": "Holiday",
            "method": "majority",
            "options": ["Sea", "Hills"],
            "ballot": "open",
            "closes_at": closes.isoformat(),
        },
    ).json()
    goal = sam.post(
        home.url("goals"),
        json={
            "name": "Deposit",
            "target": {"amount": 100_000, "currency": "EUR"},
            "due_on": "2026-09-30",
        },
    ).json()

    calendar = parse(sam.get(home.url("calendar.ics")))

    assert calendar["X-WR-TIMEZONE"] == "Europe/Berlin"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    chores = by_category(calendar, "chore")
    # 28 days ahead from Monday 2 March: four weekly Bins, alternating between the two.
    assert [e.start for e in chores] == [TODAY + timedelta(weeks=w) for w in range(4)]
    assert all(e.end == e.start + timedelta(days=1) for e in chores)
    assert {str(e["SUMMARY"]) for e in chores} == {"Bins (Sam)", "Bins (Alex)"}
    [vote] = by_category(calendar, "decision")
    assert str(vote["UID"]) == f"decision-{decision['id']}@fairstead"
    assert vote.start == closes and vote.start.tzinfo.key == "Europe/Berlin"  # type: ignore[union-attr]
    assert "TZID=Europe/Berlin" in sam.get(home.url("calendar.ics")).text
    [target] = by_category(calendar, "goal")
    assert str(target["UID"]) == f"goal-{goal['id']}@fairstead"
    assert target.start == date(2026, 9, 30)


def test_uids_stay_and_sequence_grows_when_an_entry_changes(sam: Caller, home: Home) -> None:
    chore = create_chore(sam, home, name="Bins", recurrence="FREQ=WEEKLY")
    before = events(parse(sam.get(home.url("calendar.ics"))))
    occurrence = sam.get(home.url("chore-occurrences")).json()["data"][0]
    other = home.alex if occurrence["assigned_member_id"] == home.sam else home.sam
    moved = sam.post(
        home.url(f"chore-occurrences/{occurrence['id']}/reassign"), json={"member_id": other}
    )
    assert moved.status_code == 200, moved.text

    after = events(parse(sam.get(home.url("calendar.ics"))))

    assert after.keys() == before.keys()
    uid = f"chore-occurrence-{occurrence['id']}@fairstead"
    assert after[uid]["SEQUENCE"] > before[uid]["SEQUENCE"]
    assert after[uid]["SUMMARY"] != before[uid]["SUMMARY"]
    unchanged = [u for u in before if u != uid]
    assert all(after[u]["SEQUENCE"] == before[u]["SEQUENCE"] for u in unchanged)

    renamed = sam.patch(home.url(f"chores/{chore['id']}"), json={"name": "Recycling"})
    assert renamed.status_code == 200, renamed.text
    again = events(parse(sam.get(home.url("calendar.ics"))))
    assert all(again[u]["SEQUENCE"] > after[u]["SEQUENCE"] for u in after)
    assert all(str(e["SUMMARY"]).startswith("Recycling") for e in again.values())


def test_a_members_feed_has_only_what_they_have_to_do(
    sam: Caller, alex: Caller, home: Home
) -> None:
    create_chore(sam, home, name="Bins", recurrence="FREQ=WEEKLY")
    decision = sam.post(
        home.url("decisions"),
        json={
            "title": "Holiday",
            "method": "majority",
            "options": ["Sea", "Hills"],
            "ballot": "open",
            "closes_at": (NOW + timedelta(days=2)).isoformat(),
        },
    ).json()
    mine = home.url(f"members/{home.alex}/calendar.ics")

    calendar = parse(alex.get(mine))

    chores = by_category(calendar, "chore")
    assert chores and all(str(e["SUMMARY"]) == "Bins (Alex)" for e in chores)
    assert len(by_category(calendar, "decision")) == 1
    sea = decision["options"][0]["id"]
    voted = alex.put(
        home.url(f"decisions/{decision['id']}/votes/{home.alex}"), json={"option_id": sea}
    )
    assert voted.status_code == 200, voted.text
    assert by_category(parse(alex.get(mine)), "decision") == []
    assert (
        len(by_category(parse(sam.get(home.url(f"members/{home.sam}/calendar.ics"))), "decision"))
        == 1
    )


def test_a_feed_token_in_the_url_reads_both_feeds(sam: Caller, home: Home) -> None:
    create_chore(sam, home)
    token = feed_token(sam, home.id)
    anonymous = sam.client
    assert parse(anonymous.get(home.url("calendar.ics"), params={"token": token}))
    member_feed = home.url(f"members/{home.alex}/calendar.ics")
    assert parse(anonymous.get(member_feed, params={"token": token}))
    # As a bearer token it reads the feeds too.
    assert parse(anonymous.get(member_feed, headers={"Authorization": f"Bearer {token}"}))


def test_a_feed_token_must_be_restricted_to_a_household(sam: Caller, home: Home) -> None:
    body = {"email": sam.email, "password": PASSWORD, "name": "calendar", "scopes": ["feed"]}
    assert_problem(sam.client.post("/v1/tokens", json=body), 422, field="household_id")
    assert_problem(
        sam.client.post("/v1/tokens", json={**body, "scopes": ["read", "feed"]}),
        422,
        field="household_id",
    )


def test_only_a_feed_only_token_is_taken_from_the_url(sam: Caller, home: Home) -> None:
    url = home.url("calendar.ics")
    for scopes in (("read",), ("read", "feed"), ("automation",)):
        token = feed_token(sam, home.id, *scopes)
        assert_problem(sam.client.get(url, params={"token": token}), 403)
    assert_problem(sam.client.get(url, params={"token": sam.token}), 403)
    assert_problem(sam.client.get(url, params={"token": "fst_nonsense"}), 401)
    assert_problem(sam.client.get(url), 401)
    assert_problem(sam.client.get(url, params={"token": "x" * 201}), 422)


def test_a_bearer_token_needs_read_or_feed(sam: Caller, home: Home) -> None:
    button = feed_token(sam, home.id, "automation")
    response = sam.client.get(
        home.url("calendar.ics"), headers={"Authorization": f"Bearer {button}"}
    )
    assert_problem(response, 403)


def test_a_revoked_feed_token_reads_nothing(sam: Caller, home: Home) -> None:
    token = feed_token(sam, home.id)
    token_id = next(t["id"] for t in sam.get("/v1/tokens").json() if t["name"] == "calendar")
    assert sam.delete(f"/v1/tokens/{token_id}").status_code == 204
    assert_problem(sam.client.get(home.url("calendar.ics"), params={"token": token}), 401)


def test_a_feed_token_reads_nothing_but_feeds(sam: Caller, home: Home) -> None:
    token = feed_token(sam, home.id)
    bearer = {"Authorization": f"Bearer {token}"}
    for path in ("chore-occurrences", "members", "fairness/summary", "balances", "activity"):
        assert_problem(sam.client.get(home.url(path), headers=bearer), 403)
        assert_problem(sam.client.get(home.url(path), params={"token": token}), 401)
    assert_problem(sam.client.get("/v1/me", headers=bearer), 403)
    assert_problem(sam.client.get("/v1/households", headers=bearer), 403)


def test_other_households_ids_are_404(sam: Caller, alex: Caller, new_user: Any, home: Home) -> None:
    stranger = new_user("Kim")
    theirs = stranger.household("Elsewhere")
    their_member = stranger.get(f"/v1/households/{theirs['id']}/members").json()["data"][0]["id"]
    assert_problem(stranger.get(home.url("calendar.ics")), 404)
    assert_problem(stranger.get(home.url(f"members/{home.sam}/calendar.ics")), 404)
    own = f"/v1/households/{theirs['id']}/members/{home.sam}/calendar.ics"
    assert_problem(stranger.get(own), 404)
    assert_problem(sam.get(home.url(f"members/{their_member}/calendar.ics")), 404)
    # A feed token of household A read with household B's path: 404, as for any other token.
    token = feed_token(sam, home.id)
    elsewhere = sam.household("Sam's other")
    assert_problem(
        sam.client.get(f"/v1/households/{elsewhere['id']}/calendar.ics", params={"token": token}),
        404,
    )


def test_the_access_log_never_shows_a_feed_token() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1", "GET", "/v1/households/h/calendar.ics?token=fst_secret&x=1", "1.1", 200),
        None,
    )
    RedactInvitationCodes().filter(record)
    assert "fst_secret" not in record.getMessage()
    assert "calendar.ics?token=…&x=1" in record.getMessage()
