"""Token scopes on the chore endpoints: an `automation` token completes chores and nothing
else, so a leaked NFC-tag token cannot read or change anything more."""

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from domain.activity.models import Event
from domain.chores.models import Absence, Chore, ChoreOccurrence, ChorePreference, TimeEntry
from tests.api.chores_builders import (
    TODAY,
    chore_body,
    create_chore,
    freeze,
    home_of_two,
    occurrences,
)
from tests.api.conftest import PASSWORD, Caller, assert_problem, count


def _token(caller: Caller, *scopes: str) -> Caller:
    response = caller.client.post(
        "/v1/tokens",
        json={"email": caller.email, "password": PASSWORD, "name": "tag", "scopes": list(scopes)},
    )
    assert response.status_code == 201, response.text
    return Caller(caller.client, response.json()["token"], caller.user_id, caller.email)


# (method, path under the household, json body); ids are filled in by the test.
NOT_AUTOMATION = [
    ("GET", "chores", None),
    ("POST", "chores", "CHORE"),
    ("GET", "chores/stats", None),
    ("GET", "chores/{chore}", None),
    ("PATCH", "chores/{chore}", {"name": "Renamed"}),
    ("DELETE", "chores/{chore}", None),
    ("GET", "chores/{chore}/preferences", None),
    ("PUT", "chores/{chore}/preferences/{me}", {"preference": "avoid"}),
    ("GET", "chore-occurrences", None),
    ("GET", "chore-occurrences/{occurrence}", None),
    ("POST", "chore-occurrences/{occurrence}/skip", None),
    ("POST", "chore-occurrences/{occurrence}/reassign", {"member_id": "{me}"}),
    ("GET", "time-entries", None),
    ("POST", "time-entries", "ENTRY"),
    ("GET", "members/{me}/absences", None),
    ("POST", "members/{me}/absences", {"from": "2026-03-03", "to": "2026-03-04"}),
]


@pytest.mark.parametrize(("method", "path", "body"), NOT_AUTOMATION)
def test_an_automation_token_is_refused_everywhere_but_completion(
    app: FastAPI,
    sam: Caller,
    alex: Caller,
    engine: Engine,
    method: str,
    path: str,
    body: Any,
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home)
    occurrence = occurrences(sam, home)[0]
    ids = {"chore": chore["id"], "occurrence": occurrence["id"], "me": home.sam}
    if body == "CHORE":
        body = chore_body()
    elif body == "ENTRY":
        body = {"member_id": home.sam, "minutes": 5, "date": TODAY.isoformat(), "load": "planning"}
    elif isinstance(body, dict):
        body = {k: v.format(**ids) if isinstance(v, str) else v for k, v in body.items()}
    before = (
        count(engine, Chore),
        count(engine, ChoreOccurrence),
        count(engine, Event),
        count(engine, ChoreOccurrence, ChoreOccurrence.status != "open"),
    )

    tag = _token(sam, "automation")
    kwargs = {} if body is None else {"json": body}
    assert_problem(tag.request(method, home.url(path.format(**ids)), **kwargs), 403)

    assert (
        count(engine, Chore),
        count(engine, ChoreOccurrence),
        count(engine, Event),
        count(engine, ChoreOccurrence, ChoreOccurrence.status != "open"),
    ) == before
    assert count(engine, TimeEntry) == count(engine, Absence) == count(engine, ChorePreference) == 0


def test_an_automation_token_completes_through_both_automation_endpoints(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    dishes = create_chore(sam, home)
    bins = create_chore(sam, home, name="Bins", recurrence="FREQ=WEEKLY;BYDAY=FR")
    occurrence = next(r for r in occurrences(sam, home) if r["chore_id"] == dishes["id"])
    tag = _token(sam, "automation")
    by_occurrence = tag.post(home.url(f"chore-occurrences/{occurrence['id']}/complete"))
    by_chore = tag.post(home.url(f"chores/{bins['id']}/complete"), json={"minutes": 3})
    assert (by_occurrence.status_code, by_chore.status_code) == (200, 200)
    assert by_occurrence.json()["status"] == by_chore.json()["status"] == "done"
    assert count(engine, Event, Event.type == "chore.completed") == 2


def test_a_read_only_token_cannot_complete(
    app: FastAPI, sam: Caller, alex: Caller, engine: Engine
) -> None:
    freeze(app)
    home = home_of_two(sam, alex)
    chore = create_chore(sam, home)
    reader = _token(sam, "read")
    assert reader.get(home.url("chores")).status_code == 200
    assert_problem(reader.post(home.url(f"chores/{chore['id']}/complete")), 403)
    assert count(engine, ChoreOccurrence, ChoreOccurrence.status == "done") == 0
