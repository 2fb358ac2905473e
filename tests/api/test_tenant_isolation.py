"""Tenant isolation, generated from the OpenAPI document (so from the route table): every
operation, with household A's real ids, as a user of another household, a read-only token
and an automation token. A new route is covered the moment it exists; a new path parameter
fails `test_every_path_parameter_has_a_fixture` until `tenant_fixtures.FIXTURES` can make one.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel

from domain.settings import Settings
from tests.api.conftest import PASSWORD, Caller
from tests.api.tenant_fixtures import FIXTURES, MARK
from tests.api.tenant_world import World, build_world, world_settings
from tests.integrations.receiver import running_receiver

# Operations deliberately open to someone outside the household, and why.
OUTSIDE_BY_DESIGN = {
    # The code is the capability: whoever holds an invitation code may join with it.
    "accept_invitation": "an invitation code is a bearer secret",
}
AUTOMATION = {"complete_chore", "complete_chore_occurrence"}
FEEDS = {"get_household_calendar", "get_member_calendar"}
_PARAM = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    body: str | None  # the request media type, if it takes a body
    secured: bool
    query: tuple[str, ...]

    @property
    def params(self) -> list[str]:
        return _PARAM.findall(self.path)

    def url(self, ids: dict[str, str]) -> str:
        return _PARAM.sub(lambda m: ids[m.group(1)], self.path)


def operations(app: FastAPI) -> list[Operation]:
    found = []
    for path, item in app.openapi()["paths"].items():
        for method, op in item.items():
            content = op.get("requestBody", {}).get("content", {})
            query = tuple(p["name"] for p in op.get("parameters", []) if p["in"] == "query")
            found.append(
                Operation(
                    method.upper(),
                    path,
                    op["operationId"],
                    next(iter(content), None),
                    bool(op.get("security")),
                    query,
                )
            )
    return found


def send(caller: Caller, op: Operation, ids: dict[str, str], **params: Any) -> Any:
    kwargs: dict[str, Any] = {"params": params}
    if op.body == "application/json":
        kwargs["json"] = {}
    elif op.body is not None:
        kwargs["files"] = {"file": ("s.qif", b"!Type:Bank\n", "application/octet-stream")}
    return caller.request(op.method, op.url(ids), **kwargs)


def rows(engine: Engine) -> dict[str, int]:
    """Every table's row count: a refused request changes none of them."""
    with Session(engine) as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in SQLModel.metadata.sorted_tables
        }


def leaks(world: World, text: str) -> list[str]:
    return sorted(value for value in [*world.every_id(), MARK] if value in text)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return world_settings(database_url)


@pytest.fixture
def world(client: TestClient, engine: Engine) -> Iterator[World]:
    with running_receiver() as receiver:
        yield build_world(client, engine, receiver)


def token(world: World, *scopes: str, **fields: Any) -> Caller:
    """Another token of household A's admin."""
    body = {"email": world.owner.email, "password": PASSWORD, "name": "x", **fields}
    if scopes:
        body["scopes"] = list(scopes)
    response = world.owner.client.post("/v1/tokens", json=body)
    assert response.status_code == 201, response.text
    owner = world.owner
    return Caller(owner.client, response.json()["token"], owner.user_id, owner.email)


def a_ids(world: World) -> dict[str, str]:
    return {name: values[0] for name, values in world.ids.items()}


def test_every_path_parameter_has_a_fixture(app: FastAPI) -> None:
    missing = {
        f"{name} (in {op.method} {op.path})"
        for op in operations(app)
        for name in op.params
        if name not in FIXTURES
    }
    assert not missing, (
        "register how to make these in household A in tests/api/tenant_fixtures.py FIXTURES: "
        + ", ".join(sorted(missing))
    )


def test_another_household_gets_404_for_every_route_with_household_a_ids(
    app: FastAPI, engine: Engine, world: World
) -> None:
    before = rows(engine)
    failures = []
    for op in operations(app):
        if not op.params or op.operation_id in OUTSIDE_BY_DESIGN:
            continue
        # Each of A's objects in turn (a secret and an open decision, every proposal ...).
        urls = {
            op.url({**a_ids(world), name: value}): {**a_ids(world), name: value}
            for name in op.params
            for value in world.ids[name]
        }
        for url, ids in urls.items():
            response = send(world.peer, op, ids)
            if response.status_code != 404 or leaks(world, response.text):
                failures.append(f"{op.method} {url}: {response.status_code} {response.text}")
    assert not failures, "\n".join(failures)
    assert rows(engine) == before


def test_a_token_restricted_to_another_household_gets_404_in_household_a(
    app: FastAPI, engine: Engine, world: World
) -> None:
    elsewhere = world.owner.household("Elsewhere")["id"]
    restricted = token(world, household_id=elsewhere)
    before = rows(engine)
    failures = []
    for op in operations(app):
        if op.path.startswith("/v1/households/{household_id}"):
            response = send(restricted, op, a_ids(world))
            if response.status_code != 404:
                failures.append(f"{op.method} {op.path}: {response.status_code} {response.text}")
    assert not failures, "\n".join(failures)
    assert rows(engine) == before


def test_household_a_ids_under_the_peers_own_household_are_404(
    app: FastAPI, engine: Engine, world: World
) -> None:
    """B's household in the path, A's object ids after it. Without a body the answer is 404;
    with an empty body it may be the 422 for B's own missing fields, which says nothing of A."""
    before = rows(engine)
    ids = {**a_ids(world), "household_id": world.peer_household_id}
    failures = []
    for op in operations(app):
        if not op.path.startswith("/v1/households/{household_id}/") or len(op.params) < 2:
            continue
        response = send(world.peer, op, ids)
        allowed = {404} if op.body is None else {404, 422}
        if response.status_code not in allowed or leaks(world, response.text):
            failures.append(f"{op.method} {op.url(ids)}: {response.status_code} {response.text}")
    assert not failures, "\n".join(failures)
    assert rows(engine) == before


def test_filters_naming_household_a_objects_reveal_nothing(app: FastAPI, world: World) -> None:
    """`paid_by`, `member_id` and every other id filter of the peer's own lists, given A's
    ids: an empty list or a problem, never A's data."""
    ids = {"household_id": world.peer_household_id}
    failures = []
    for op in operations(app):
        if op.method != "GET" or op.params != ["household_id"]:
            continue
        for param in op.query:
            if not (param.endswith("_id") or param == "paid_by"):
                continue
            for value in sorted(world.every_id()):
                response = send(world.peer, op, ids, **{param: value})
                if response.status_code >= 500 or leaks(world, response.text):
                    failures.append(f"GET {op.url(ids)}?{param}={value}: {response.text}")
    assert not failures, "\n".join(failures)


def test_lists_outside_households_show_only_the_callers_own(app: FastAPI, world: World) -> None:
    failures = []
    for op in operations(app):
        if op.method == "GET" and op.secured and not op.params:
            response = world.peer.get(op.path)
            if response.status_code != 200 or leaks(world, response.text):
                failures.append(f"GET {op.path}: {response.status_code} {response.text}")
    assert not failures, "\n".join(failures)


def test_a_read_only_token_gets_403_on_every_write(
    app: FastAPI, engine: Engine, world: World
) -> None:
    reader = token(world, "read")
    before = rows(engine)
    failures = []
    for op in operations(app):
        if op.method == "GET" or not op.secured:
            continue
        response = send(reader, op, a_ids(world))
        if response.status_code != 403:
            failures.append(f"{op.method} {op.path}: {response.status_code} {response.text}")
    assert not failures, "\n".join(failures)
    assert rows(engine) == before


def test_an_automation_token_gets_403_on_everything_but_automation(
    app: FastAPI, engine: Engine, world: World
) -> None:
    button = token(world, "automation")
    before = rows(engine)
    failures = []
    for op in operations(app):
        if not op.secured or op.operation_id in AUTOMATION:
            continue
        response = send(button, op, a_ids(world))
        if response.status_code != 403:
            failures.append(f"{op.method} {op.path}: {response.status_code} {response.text}")
    assert not failures, "\n".join(failures)
    assert rows(engine) == before
    for op in operations(app):
        if op.operation_id in AUTOMATION:
            response = send(button, op, a_ids(world))
            assert response.status_code == 200, f"{op.path}: {response.text}"


def test_a_feed_token_gets_403_on_everything_but_the_feeds(
    app: FastAPI, engine: Engine, world: World
) -> None:
    """As a bearer token it is refused; in the URL it is not even looked at (401), since
    only the feeds read `?token=`."""
    feed = token(world, "feed", household_id=world.household_id)
    before = rows(engine)
    failures = []
    for op in operations(app):
        if not op.secured or op.operation_id in FEEDS:
            continue
        response = send(feed, op, a_ids(world))
        if response.status_code != 403:
            failures.append(f"{op.method} {op.path}: {response.status_code} {response.text}")
        url = op.url(a_ids(world))
        response = feed.client.request(op.method, url, params={"token": feed.token})
        if response.status_code != 401:
            failures.append(f"{op.method} {op.path}?token=: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert rows(engine) == before
    for op in operations(app):
        if op.operation_id in FEEDS:
            response = feed.client.get(op.url(a_ids(world)), params={"token": feed.token})
            assert response.status_code == 200, f"{op.path}: {response.text}"
