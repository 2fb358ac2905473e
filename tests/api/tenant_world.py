"""Two households with real objects in them, for the fuzzing and the tenant-isolation suites.

Household A holds one of every kind of object the API has (see `tenant_fixtures`); its
admin is `owner`, and `peer` is a user with a household B of their own.
"""

from dataclasses import dataclass

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.routers.connections import http_client
from domain.settings import Settings
from tests.api.conftest import Caller, join, sign_up
from tests.api.tenant_fixtures import FIXTURES, MARK, Seed
from tests.integrations.receiver import Receiver

SECRET_KEY = "a-test-secret-key-of-some-length"


def world_settings(database_url: str) -> Settings:
    """Connections need a key; webhooks deliver to a receiver on 127.0.0.1. No rate limits:
    a fuzzing run sends thousands of requests on one token, and the isolation suite counts
    every table's rows (the limiter has tests of its own)."""
    return Settings(
        database_url=database_url,
        db_pool_size=20,
        deliver_in_process=False,
        secret_key=SECRET_KEY,
        webhook_allow_private=True,
        webhook_timeout_seconds=1.0,
        rate_limit_enabled=False,
    )


def empty_ynab(app: FastAPI) -> None:
    """A budgeting app with nothing new, so `sync` runs offline and still does its work."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json={"data": {"transactions": [], "server_knowledge": 1}}, request=request
        )

    app.dependency_overrides[http_client] = lambda: httpx.Client(
        transport=httpx.MockTransport(answer)
    )


@dataclass
class World:
    owner: Caller
    peer: Caller
    household_id: str
    peer_household_id: str
    peer_member_id: str
    ids: dict[str, list[str]]

    def every_id(self) -> set[str]:
        return {value for values in self.ids.values() for value in values}


def build_world(client: TestClient, engine: Engine, receiver: Receiver) -> World:
    owner = sign_up(client, "Ann")
    peer = sign_up(client, "Bea")
    household = owner.household(f"Home {MARK}")
    join(owner, sign_up(client, "Cat"), household["id"])
    seed = Seed(owner, household["id"], engine, receiver)
    for name, builder in FIXTURES.items():
        made = builder(seed)
        if made is not None:
            seed.ids[name] = made
    theirs = peer.household("Bea's")
    members = peer.get(f"/v1/households/{theirs['id']}/members").json()["data"]
    return World(owner, peer, household["id"], theirs["id"], members[0]["id"], seed.ids)


def spares(world: World, engine: Engine, receiver: Receiver, names: set[str]) -> dict[str, str]:
    """One more object of each kind named, in household A, made like the first ones: what
    a fuzzer's DELETE may take without leaving the other operations nothing to work on."""
    seed = Seed(world.owner, world.household_id, engine, receiver, ids=dict(world.ids))
    made = {}
    for name, builder in FIXTURES.items():
        if name in names - {"household_id"}:
            values = builder(seed)
            assert values, f"the {name} fixture made nothing"
            made[name] = values[-1]  # the last: a member builder's first is the admin
    if "household_id" in names:
        made["household_id"] = world.owner.household("Spare")["id"]
    return made
