"""The calendar feeds and the fairness chart carry strong ETags from the household version,
like the other polled reads: a current tag in If-None-Match is a 304 with no body, and a
write of the household (a completed chore, an expense) makes the tag change."""

from typing import Any

import pytest
from fastapi import FastAPI

from tests.api.chores_builders import Home, create_chore, freeze, home_of_two, occurrences
from tests.api.conftest import Caller
from tests.api.test_calendar_feeds import feed_token

FEEDS = ("calendar.ics", "members/{sam}/calendar.ics")


@pytest.fixture
def home(app: FastAPI, sam: Caller, alex: Caller) -> Home:
    freeze(app)
    home = home_of_two(sam, alex)
    create_chore(sam, home, name="Bins", recurrence="FREQ=WEEKLY")
    return home


def _url(home: Home, path: str) -> str:
    return home.url(path.format(sam=home.sam))


def _tag(caller: Caller, url: str, **params: Any) -> str:
    response = caller.get(url, params=params)
    assert response.status_code == 200, response.text
    tag: str = response.headers["etag"]
    assert tag.startswith('"') and not tag.startswith("W/")
    return tag


@pytest.mark.parametrize("path", FEEDS)
def test_a_feed_polled_with_its_tag_is_a_304_with_no_body(
    sam: Caller, home: Home, path: str
) -> None:
    url = _url(home, path)
    tag = _tag(sam, url)
    again = sam.get(url, headers={"If-None-Match": f'"stale", {tag}'})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    # Same tag, same bytes: the body a 304 stands for is the one the tag was given with.
    assert sam.get(url).content == sam.get(url).content


@pytest.mark.parametrize("path", FEEDS)
def test_completing_a_chore_changes_the_feeds_tag(sam: Caller, home: Home, path: str) -> None:
    url = _url(home, path)
    tag = _tag(sam, url)
    occurrence = occurrences(sam, home, status="open")[0]
    done = sam.post(home.url(f"chore-occurrences/{occurrence['id']}/complete"), json={})
    assert done.status_code == 200, done.text
    response = sam.get(url, headers={"If-None-Match": tag})
    assert response.status_code == 200
    assert response.headers["etag"] != tag
    assert b"BEGIN:VCALENDAR" in response.content


def test_a_feed_token_in_the_url_gets_a_304_too(sam: Caller, home: Home) -> None:
    token = feed_token(sam, home.id)
    url = home.url("calendar.ics")
    first = sam.client.get(url, params={"token": token})
    assert first.status_code == 200, first.text
    tag = first.headers["etag"]
    again = sam.client.get(url, params={"token": token}, headers={"If-None-Match": tag})
    assert again.status_code == 304
    # a bearer reader asks another URL (no token in it): its tag is its own
    assert sam.get(url, headers={"If-None-Match": tag}).status_code == 200


def test_tags_differ_between_the_household_and_a_member_feed(sam: Caller, home: Home) -> None:
    household = _tag(sam, home.url("calendar.ics"))
    member = home.url(f"members/{home.sam}/calendar.ics")
    assert sam.get(member, headers={"If-None-Match": household}).status_code == 200


def test_the_chart_polled_with_its_tag_is_a_304_and_an_expense_changes_it(
    sam: Caller, home: Home
) -> None:
    url = home.url("fairness/chart.svg")
    tag = _tag(sam, url)
    again = sam.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    dark = sam.get(url, params={"theme": "dark"}, headers={"If-None-Match": tag})
    assert dark.status_code == 200  # another query, another picture

    expense = sam.post(
        home.url("expenses"),
        json={"description": "Groceries", "amount": 4000, "currency": "EUR",
              "date": "2026-03-01", "paid_by": home.sam,
              "split": {"method": "equal", "participants": [{"member_id": home.alex}]}},
    )  # fmt: skip
    assert expense.status_code == 201, expense.text
    after = sam.get(url, headers={"If-None-Match": tag})
    assert after.status_code == 200
    assert after.headers["etag"] != tag
    assert b"<svg" in after.content


def test_if_none_match_star_on_another_households_feed_is_still_a_404(
    sam: Caller, alex: Caller, home: Home
) -> None:
    other = alex.household()
    for path in ("calendar.ics", "fairness/chart.svg"):
        response = sam.get(f"/v1/households/{other['id']}/{path}", headers={"If-None-Match": "*"})
        assert response.status_code == 404
