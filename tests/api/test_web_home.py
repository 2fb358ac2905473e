"""The household home's forms: each records exactly what its API call records, as the
signed-in member; bad input is shown beside the field with nothing written; another
household's ids, in the URL or in the form, are refused with nothing written."""

import re
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from domain.chores.models import ChoreOccurrence
from domain.decisions.models import DecisionVoter
from domain.fairness.models import CheckIn, ProposalResponse
from domain.ledger.models import Settlement
from tests.api.conftest import count, fetch
from tests.api.web_builders import WebBrowser, World, world

HEADINGS = ("Fairness", "Balances", "Settle up", "Proposals", "Chores", "Decisions", "Check in")


@pytest.fixture
def home(app: FastAPI) -> World:
    return world(app)


def page_of(browser: WebBrowser, path: str) -> str:
    response = browser.get(path)
    assert response.status_code == 200, response.text
    text: str = response.text
    return text


def first(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    assert found, pattern
    return found.group(1)


def occurrence_id(text: str) -> str:
    return first(r"/chore-occurrences/([0-9a-f-]{36})/done", text)


def decision_of(home: World) -> dict[str, Any]:
    rows = home.sam_api.get(home.api("decisions")).json()["data"]
    decision: dict[str, Any] = rows[0]
    return decision


def test_the_home_has_every_section_by_its_heading(home: World) -> None:
    text = page_of(home.sam, home.home)
    for heading in HEADINGS:
        assert re.search(rf"<h2[^>]*>{heading}</h2>", text), heading
    assert 'alt="Fairness chart' in text
    assert "Alex pays Sam" in text and "€15.00" in text


def test_the_chart_is_served_to_the_session_and_to_nobody_else(home: World, app: FastAPI) -> None:
    chart = home.sam.get(f"{home.home}/fairness.svg")
    assert chart.status_code == 200
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert b"<title" in chart.content
    stranger = WebBrowser(app)
    assert stranger.get(f"{home.home}/fairness.svg").status_code == 303
    stranger.sign_up("Robin")
    assert stranger.get(f"{home.home}/fairness.svg").status_code == 404


def test_mark_as_paid_records_the_settlement_and_clears_the_plan(
    home: World, engine: Engine
) -> None:
    text = page_of(home.alex, home.home)
    response = home.alex.post(
        f"{home.home}/settlements",
        {
            "from_member_id": first(r'name="from_member_id" value="([^"]+)"', text),
            "to_member_id": first(r'name="to_member_id" value="([^"]+)"', text),
            "amount": first(r'name="amount" value="([^"]+)"', text),
        },
        page=home.home,
    )
    assert response.status_code == 303, response.text
    assert count(engine, Settlement, Settlement.household_id == home.household_id) == 1
    nets = home.sam_api.get(home.api("balances")).json()["data"]
    assert {b["net"] for b in nets} == {0}
    assert "Everyone is square." in page_of(home.sam, home.home)


@pytest.mark.parametrize("amount", ["15.5", "-1500", "", "1e3", "0"])
def test_a_bad_amount_is_refused_and_writes_nothing(
    home: World, engine: Engine, amount: str
) -> None:
    response = home.alex.post(
        f"{home.home}/settlements",
        {"from_member_id": home.alex_member, "to_member_id": home.sam_member, "amount": amount},
        page=home.home,
    )
    assert response.status_code == 422, response.text
    assert 'role="alert"' in response.text
    assert count(engine, Settlement) == 0


def test_accepting_a_proposal_records_the_members_response(home: World, engine: Engine) -> None:
    text = page_of(home.alex, home.home)
    proposal_id = first(r"/proposals/([0-9a-f-]{36})/response", text)
    response = home.alex.post(
        f"{home.home}/proposals/{proposal_id}/response", {"response": "accept"}, page=home.home
    )
    assert response.status_code == 303, response.text
    proposal = home.sam_api.get(home.api(f"fairness/proposals/{proposal_id}")).json()
    assert [(r["member_id"], r["response"]) for r in proposal["responses"]] == [
        (home.alex_member, "accept")
    ]
    # Answered, the buttons are gone for Alex.
    assert f"/proposals/{proposal_id}/response" not in page_of(home.alex, home.home)


def test_rejecting_closes_the_proposal(home: World) -> None:
    proposal_id = first(r"/proposals/([0-9a-f-]{36})/response", page_of(home.sam, home.home))
    home.sam.post(
        f"{home.home}/proposals/{proposal_id}/response", {"response": "reject"}, page=home.home
    )
    proposal = home.sam_api.get(home.api(f"fairness/proposals/{proposal_id}")).json()
    assert proposal["status"] == "rejected"


def test_an_answer_that_is_neither_accept_nor_reject_is_refused(
    home: World, engine: Engine
) -> None:
    proposal_id = first(r"/proposals/([0-9a-f-]{36})/response", page_of(home.sam, home.home))
    response = home.sam.post(
        f"{home.home}/proposals/{proposal_id}/response", {"response": "maybe"}, page=home.home
    )
    assert response.status_code == 422
    assert count(engine, ProposalResponse) == 0


def test_done_completes_the_occurrence_as_the_signed_in_member(home: World, engine: Engine) -> None:
    occurrence = occurrence_id(page_of(home.alex, home.home))
    response = home.alex.post(
        f"{home.home}/chore-occurrences/{occurrence}/done", {}, page=home.home
    )
    assert response.status_code == 303, response.text
    row = fetch(engine, ChoreOccurrence, occurrence)
    assert row.status == "done" and row.completed_by_member_id == home.alex_member
    assert occurrence not in page_of(home.alex, home.home)


def test_a_ranked_ballot_is_the_order_of_the_ranks(home: World) -> None:
    decision = decision_of(home)
    sea, mountains, city = (o["id"] for o in decision["options"])
    response = home.alex.post(
        f"{home.home}/decisions/{decision['id']}/vote",
        {f"rank-{city}": "1", f"rank-{sea}": "2", f"rank-{mountains}": ""},
        page=home.home,
    )
    assert response.status_code == 303, response.text
    votes = home.sam_api.get(home.api(f"decisions/{decision['id']}")).json()["votes"]
    assert [(v["member_id"], v["ballot"]) for v in votes] == [
        (home.alex_member, {"ranking": [city, sea]})
    ]


@pytest.mark.parametrize(
    "ranks",
    [
        {"sea": "1", "mountains": "1"},  # one rank twice
        {"sea": "x"},  # not a rank
        {},  # nothing ranked
    ],
)
def test_a_bad_ranking_is_refused_and_writes_nothing(
    home: World, engine: Engine, ranks: dict[str, str]
) -> None:
    decision = decision_of(home)
    ids = {o["label"].lower(): o["id"] for o in decision["options"]}
    response = home.alex.post(
        f"{home.home}/decisions/{decision['id']}/vote",
        {f"rank-{ids[label]}": value for label, value in ranks.items()},
        page=home.home,
    )
    assert response.status_code == 422, response.text
    assert count(engine, DecisionVoter) == 0


def test_a_ranking_naming_another_option_is_refused(home: World, engine: Engine) -> None:
    decision = decision_of(home)
    response = home.alex.post(
        f"{home.home}/decisions/{decision['id']}/vote",
        {f"rank-{decision['options'][0]['id']}": "1", "rank-not-an-option": "2"},
        page=home.home,
    )
    # Fields for options the decision does not have are not read: the ballot is valid.
    assert response.status_code == 303
    assert count(engine, DecisionVoter) == 1


def test_check_in_records_how_it_feels(home: World, engine: Engine) -> None:
    response = home.alex.post(
        f"{home.home}/check-ins",
        {"fairness": "2", "heard": "4", "note": "Busy month"},
        page=home.home,
    )
    assert response.status_code == 303, response.text
    rows = home.alex_api.get(home.api("check-ins")).json()["data"]
    assert [(r["member_id"], r["fairness"], r["heard"], r["note"]) for r in rows] == [
        (home.alex_member, 2, 4, "Busy month")
    ]
    assert count(engine, CheckIn) == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"fairness": "9", "heard": "3"}, "fairness"),
        ({"fairness": "3", "heard": "0"}, "heard"),
        ({"fairness": "2.5", "heard": "3"}, "fairness"),
        ({"heard": "3"}, "fairness"),
        ({"fairness": "3", "heard": "3", "note": "x" * 5000}, "note"),
    ],
)
def test_a_bad_check_in_is_shown_beside_its_field_and_writes_nothing(
    home: World, engine: Engine, fields: dict[str, str], field: str
) -> None:
    response = home.alex.post(f"{home.home}/check-ins", fields, page=home.home)
    assert response.status_code == 422, response.text
    assert f'id="check-in-{field}-error"' in response.text
    assert count(engine, CheckIn) == 0


def other_household(app: FastAPI) -> World:
    """A second household of strangers, with its own chore, decision and proposals."""
    return world(app)


def test_another_households_ids_in_this_households_forms_are_refused(
    home: World, app: FastAPI, engine: Engine
) -> None:
    other = other_household(app)
    their_text = page_of(other.sam, other.home)
    their_occurrence = occurrence_id(their_text)
    their_proposal = first(r"/proposals/([0-9a-f-]{36})/response", their_text)
    their_decision = decision_of(other)
    attempts = [
        (f"{home.home}/chore-occurrences/{their_occurrence}/done", {}),
        (f"{home.home}/proposals/{their_proposal}/response", {"response": "accept"}),
        (
            f"{home.home}/decisions/{their_decision['id']}/vote",
            {f"rank-{their_decision['options'][0]['id']}": "1"},
        ),
        (
            f"{home.home}/settlements",
            {
                "from_member_id": other.alex_member,
                "to_member_id": other.sam_member,
                "amount": "1500",
            },
        ),
        (
            f"{home.home}/settlements",
            {
                "from_member_id": home.alex_member,
                "to_member_id": other.sam_member,
                "amount": "1500",
            },
        ),
    ]
    for path, data in attempts:
        response = home.sam.post(path, data, page=home.home)
        assert response.status_code in (404, 422), (path, response.status_code)
    assert count(engine, Settlement) == 0
    assert count(engine, ProposalResponse) == 0
    assert count(engine, DecisionVoter) == 0
    assert fetch(engine, ChoreOccurrence, their_occurrence).status == "open"


def test_another_households_pages_and_forms_are_not_found(
    home: World, app: FastAPI, engine: Engine
) -> None:
    other = other_household(app)
    assert home.sam.get(other.home).status_code == 404
    assert home.sam.get(f"{other.home}/money").status_code == 404
    response = home.sam.post(
        f"{other.home}/check-ins", {"fairness": "3", "heard": "3"}, page=home.home
    )
    assert response.status_code == 404
    assert count(engine, CheckIn) == 0


def test_a_changed_vote_shows_the_ballot_as_left_and_replaces_it(home: World) -> None:
    decision = decision_of(home)
    sea, mountains, city = (o["id"] for o in decision["options"])
    vote = f"{home.home}/decisions/{decision['id']}/vote"
    home.alex.post(vote, {f"rank-{sea}": "1"}, page=home.home)
    after = home.alex.get(f"{home.home}?done=decisions")
    assert "Your vote is recorded." in after.text
    assert re.search(rf'name="rank-{sea}">\s*<option value="">Not ranked</option>\s*'
                     r'<option value="1" selected>', after.text)  # fmt: skip
    home.alex.post(vote, {f"rank-{mountains}": "1", f"rank-{city}": "2"}, page=home.home)
    votes = home.sam_api.get(home.api(f"decisions/{decision['id']}")).json()["votes"]
    assert [v["ballot"] for v in votes] == [{"ranking": [mountains, city]}]
