"""Maximum items per request: every list in a body over its maximum is a 422 naming the
field, and nothing is stored; per-household maxima are 409. (The OpenAPI side, that every
list in a request body declares its maximum, is tests/contract/test_request_limits.py.)"""

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine

from api.schemas.chores import MAX_ELIGIBLE
from api.schemas.decisions import MAX_OPTIONS
from api.schemas.ledger import MAX_PARTICIPANTS
from domain.activity.models import Event
from domain.imports.rule_store import MAX_PER_HOUSEHOLD as MAX_RULES
from tests.api.conftest import Caller, assert_problem, count
from tests.api.ledger_builders import Home, expense, home_of_three

Case = Callable[[Home], tuple[str, str, dict[str, Any]]]
SOMEONE = "0190c6e2-0000-7000-8000-000000000000"


def participants(home: Home) -> tuple[str, str, dict[str, Any]]:
    split = {"method": "equal", "participants": [{"member_id": home.sam}] * (MAX_PARTICIPANTS + 1)}
    return "POST", home.url("/expenses"), expense(home.sam, split=split)


def payers(home: Home) -> tuple[str, str, dict[str, Any]]:
    body = expense(home.sam, payers=[{"member_id": home.sam, "amount": 1}] * (MAX_PARTICIPANTS + 1))
    del body["paid_by"]
    return "POST", home.url("/expenses"), body


def options(home: Home) -> tuple[str, str, dict[str, Any]]:
    labels = [f"Option {n}" for n in range(MAX_OPTIONS + 1)]
    body = {"title": "Holiday", "method": "approval", "options": labels, "ballot": "open"}
    return "POST", home.url("/decisions"), body


def events(home: Home) -> tuple[str, str, dict[str, Any]]:
    body = {"url": "https://example.org/hook", "events": ["expense.created"] * 101}
    return "POST", home.url("/webhooks"), body


def rates(home: Home) -> tuple[str, str, dict[str, Any]]:
    rate = {"currency": "USD", "date": "2026-11-22", "rate": "0.93"}
    return "PUT", home.url("/exchange-rates"), {"rates": [rate] * 1001}


def eligible(home: Home) -> tuple[str, str, dict[str, Any]]:
    body = {
        "name": "Dishes",
        "estimated_minutes": 20,
        "effort": 2,
        "load": "execution",
        "starts_on": "2026-11-25",
        "assignment": {"strategy": "round_robin"},
        "eligible_member_ids": [SOMEONE] * (MAX_ELIGIBLE + 1),
    }
    return "POST", home.url("/chores"), body


def rule_split(home: Home) -> tuple[str, str, dict[str, Any]]:
    split = {"method": "equal", "participants": [{"member_id": home.sam}] * (MAX_PARTICIPANTS + 1)}
    return "POST", home.url("/import-rules"), {"action": "shared", "split": split}


CASES: dict[str, tuple[Case, str]] = {
    "split participants": (participants, "split.participants"),
    "payers": (payers, "payers"),
    "decision options": (options, "options"),
    "webhook events": (events, "events"),
    "exchange rates": (rates, "rates"),
    "eligible members of a chore": (eligible, "eligible_member_ids"),
    "participants of an import rule's split": (rule_split, "split.participants"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_list_over_its_maximum_is_422_naming_it_and_stores_nothing(
    case: str, sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = home_of_three(sam, alex)
    build, field = CASES[case]
    method, url, body = build(home)
    before = count(engine, Event)
    problem = assert_problem(sam.request(method, url, json=body), 422, field=field)
    assert any("at most" in e["msg"] for e in problem["errors"]), problem
    assert count(engine, Event) == before


def test_token_scopes_are_at_most_five(sam: Caller) -> None:
    body = {"email": sam.email, "password": "x", "name": "t", "scopes": ["read"] * 6}
    assert_problem(sam.client.post("/v1/tokens", json=body), 422, field="scopes")


def test_a_household_keeps_at_most_its_maximum_of_import_rules(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    url = f"/v1/households/{home['id']}/import-rules"
    for n in range(MAX_RULES):
        assert sam.post(url, json={"name": f"r{n}", "action": "ignore"}).status_code == 201
    before = count(engine, Event)
    problem = assert_problem(sam.post(url, json={"action": "ignore"}), 409)
    assert str(MAX_RULES) in problem["detail"]
    assert count(engine, Event) == before
    assert len(sam.get(url, params={"limit": 200}).json()["data"]) == MAX_RULES
