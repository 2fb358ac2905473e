"""Polled reads (the ledger's, the fairness summary and report, and the list pages Home Assistant
polls) carry strong ETags from the household version; If-None-Match answers 304
without reading the ledger, and any write of the household makes the tag change."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from tests.api.chores_builders import chore_body
from tests.api.conftest import Caller
from tests.api.ledger_builders import Home, equal, expense, home_of_three, post_expense

READS = (
    "/balances",
    "/settle-up",
    "/fairness/summary",
    "/fairness/report?from=2026-01-01&to=2026-12-31",
    "/expenses?limit=50",
    "/settlements",
    "/members",
    "/chores",
    "/chore-occurrences?status=open",
    "/decisions?status=open",
    "/goals",
    "/fairness/proposals",
)
LEDGER_TABLES = ("expenses", "expense_payers", "expense_shares", "settlements", "member_totals")


def _settled(caller: Caller, url: str) -> str:
    """The tag once reading the resource has written whatever it keeps (a settle-up plan, the
    summary's last score), which may move the version once."""
    tag = caller.get(url).headers["etag"]
    for _ in range(3):
        again = caller.get(url, headers={"If-None-Match": tag})
        if again.status_code == 304:
            return tag
        assert again.status_code == 200, again.text
        tag = again.headers["etag"]
    raise AssertionError(f"{url} never revalidated")


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def home(sam: Caller, alex: Caller) -> Home:
    home = home_of_three(sam, alex)
    post_expense(sam, home, expense(home.sam, 3000, split=equal(*home.members)))
    return home


@pytest.mark.parametrize("path", READS)
def test_a_current_tag_is_a_304_with_no_body_that_reads_no_ledger_row(
    sam: Caller, home: Home, engine: Engine, path: str
) -> None:
    url = home.url(path)
    tag = _settled(sam, url)
    assert tag.startswith('"') and not tag.startswith("W/")
    with _statements(engine) as seen:
        response = sam.get(url, headers={"If-None-Match": f'"other", {tag}'})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == tag
    touched = [s for s in seen if any(f" {t}" in s for t in LEDGER_TABLES)]
    assert touched == []


@pytest.mark.parametrize("path", READS)
def test_an_expense_a_chore_or_a_settlement_changes_every_tag(
    sam: Caller, home: Home, path: str
) -> None:
    url = home.url(path)
    writes = [
        lambda: post_expense(sam, home, expense(home.alex, 999, split=equal(home.sam))),
        lambda: sam.post(home.url("/chores"), json=chore_body()),
        lambda: sam.post(
            home.url("/settlements"),
            json={"from_member_id": home.robin, "to_member_id": home.sam, "amount": 5,
                  "currency": "EUR", "date": "2026-03-02"},
        ),
    ]  # fmt: skip
    for write in writes:
        tag = _settled(sam, url)
        made = write()
        assert getattr(made, "status_code", 201) == 201, made
        response = sam.get(url, headers={"If-None-Match": tag})
        assert response.status_code == 200, response.text
        assert response.headers["etag"] != tag


def test_tags_differ_by_member_and_by_query(sam: Caller, alex: Caller, home: Home) -> None:
    url = home.url("/balances")
    tag = _settled(sam, url)
    assert alex.get(url, headers={"If-None-Match": tag}).status_code == 200
    other = home.url("/fairness/report?from=2026-02-01&to=2026-12-31")
    report = _settled(sam, home.url(READS[3]))
    assert sam.get(other, headers={"If-None-Match": report}).status_code == 200


def test_a_write_past_the_services_moves_the_tag_too(
    sam: Caller, home: Home, engine: Engine
) -> None:
    """Ledger rows bump the version from their triggers: imports or repairs that write them
    directly cannot leave a stale tag behind."""
    url = home.url("/balances")
    tag = _settled(sam, url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE expense_shares SET amount = amount + 1 WHERE member_id = :m"),
            {"m": home.robin},
        )
        connection.execute(
            text("UPDATE expense_payers SET amount = amount + 1 WHERE member_id = :m"),
            {"m": home.sam},
        )
    response = sam.get(url, headers={"If-None-Match": tag})
    assert response.status_code == 200
    assert {b["member_id"]: b["owed"] for b in response.json()["data"]}[home.robin] == 1001


def test_if_none_match_on_another_household_is_still_a_404(
    sam: Caller, alex: Caller, home: Home
) -> None:
    other = alex.household()
    response = sam.get(f"/v1/households/{other['id']}/balances", headers={"If-None-Match": "*"})
    assert response.status_code == 404
