"""A live Fairstead for the integration to talk to: `fairstead serve` from the project's venv
(FAIRSTEAD_PYTHON) on a free port with a temporary SQLite file, and a household seeded
through the API with httpx.

The household, as the tests meet it (today is the household's local day, Europe/Berlin):
Sam (admin, owns the integration's token), Alex (a member with an account) and Robin (a member
without one, for whom Sam may act). One-off chores: "Dishes" (Robin, due two days ago:
overdue), "Laundry" (Robin, today), "Bins" (Alex, tomorrow), "Plants" (Alex, today), "Hoover"
(Sam, today). An expense Sam paid for all three, a vote closing in three days, a goal due in
thirty, and the proposals the engine makes for this month.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import tempfile
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_socket
from pytest_homeassistant_custom_component.common import MockConfigEntry

# Imported here, at collection: the harness's own testing_config/custom_components must not be
# the `custom_components` package Home Assistant's loader finds first.
from custom_components.fairstead.const import CONF_HOUSEHOLD_ID, CONF_MEMBER_ID, DOMAIN

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "correct horse battery"
ZONE = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load custom_components/fairstead from the repository's root."""


@pytest.fixture(autouse=True)
def loopback(socket_enabled: None) -> None:
    """The live server is real: sockets to 127.0.0.1 (the harness allows no other host)."""


@dataclass
class Live:
    url: str
    household_id: str
    sam: str
    alex: str
    robin: str
    sam_login: str  # unrestricted, all scopes: for seeding and checking
    token: str  # the integration's: write, restricted to the household
    chores: dict[str, str] = field(default_factory=dict)
    today: date = field(default_factory=lambda: datetime.now(ZONE).date())

    def client(self, token: str | None = None) -> httpx.Client:
        return httpx.Client(
            base_url=self.url,
            headers={"Authorization": f"Bearer {token or self.sam_login}"},
            timeout=30,
        )

    def path(self, tail: str) -> str:
        return f"/v1/households/{self.household_id}{tail}"

    def get(self, tail: str, **params: Any) -> Any:
        with self.client() as client:
            response = client.get(self.path(tail), params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def token_for(
        self, *scopes: str, restricted: bool = True, email: str = "sam@example.org"
    ) -> tuple[str, str]:
        """A new token (Sam's unless `email` says whose): (its id, its secret)."""
        body: dict[str, Any] = {"email": email, "password": PASSWORD, "name": "ha"}
        body["scopes"] = list(scopes)
        if restricted:
            body["household_id"] = self.household_id
        response = httpx.post(f"{self.url}/v1/tokens", json=body, timeout=30)
        assert response.status_code == 201, response.text
        return response.json()["id"], response.json()["token"]


@functools.cache
def _live_server() -> Any:
    """tests/live_server.py, loaded by path: this suite runs in Home Assistant's venv, where
    the project's `tests` package is not importable (and `tests` is this folder's name)."""
    spec = importlib.util.spec_from_file_location(
        "fairstead_live_server", ROOT / "tests" / "live_server.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    return int(_live_server().free_port())


@contextmanager
def _serve(folder: Path) -> Iterator[str]:
    """`fairstead serve` from the project's venv (FAIRSTEAD_PYTHON), rate limits off."""
    python = os.environ.get("FAIRSTEAD_PYTHON", str(ROOT / ".venv" / "bin" / "python"))
    with _live_server().serve(folder, python=python, rate_limit_enabled="false") as base:
        yield base


def _ok(response: httpx.Response, status: int = 201) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def _signup(base: str, email: str, name: str) -> str:
    body = {"email": email, "password": PASSWORD, "display_name": name}
    _ok(httpx.post(f"{base}/v1/users", json=body, timeout=30))
    login = {"email": email, "password": PASSWORD, "name": "login"}
    token: str = _ok(httpx.post(f"{base}/v1/tokens", json=login, timeout=30))["token"]
    return token


def _seed(base: str) -> Live:
    sam_login = _signup(base, "sam@example.org", "Sam")
    alex_login = _signup(base, "alex@example.org", "Alex")
    sam = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {sam_login}"}, timeout=30)
    household = _ok(
        sam.post(
            "/v1/households",
            json={"name": "Elm Street", "currency": "EUR", "timezone": "Europe/Berlin"},
        )
    )
    hh = f"/v1/households/{household['id']}"
    sam_id = _ok(sam.get(f"{hh}/members"), 200)["data"][0]["id"]
    robin = _ok(sam.post(f"{hh}/members", json={"display_name": "Robin"}))["id"]
    code = _ok(sam.post(f"{hh}/invitations", json={}))["code"]
    alex = _ok(
        httpx.post(
            f"{base}/v1/invitations/{code}/accept",
            json={},
            timeout=30,
            headers={"Authorization": f"Bearer {alex_login}"},
        ),
        200,
    )["id"]
    today = datetime.now(ZONE).date()
    live = Live(base, household["id"], sam_id, alex, robin, sam_login, "", today=today)
    _, live.token = live.token_for("write")
    for name, member, days in (
        ("Plants", alex, 0),
        ("Dishes", robin, -2),
        ("Laundry", robin, 0),
        ("Bins", alex, 1),
        ("Hoover", sam_id, 0),
    ):
        chore = _ok(
            sam.post(
                f"{hh}/chores",
                json={
                    "name": name,
                    "estimated_minutes": 20,
                    "effort": 2,
                    "load": "execution",
                    "recurrence": None,
                    "starts_on": (today + timedelta(days=days)).isoformat(),
                    "assignment": {"strategy": "fixed", "member_id": member},
                },
            )
        )
        live.chores[name] = chore["id"]
    _ok(
        sam.post(
            f"{hh}/expenses",
            json={
                "description": "Groceries",
                "amount": 9000,
                "currency": "EUR",
                "date": today.isoformat(),
                "paid_by": sam_id,
                "split": {
                    "method": "equal",
                    "participants": [
                        {"member_id": sam_id},
                        {"member_id": alex},
                        {"member_id": robin},
                    ],
                },
            },
        )
    )
    closes = datetime.combine(today + timedelta(days=3), datetime.min.time(), ZONE)
    _ok(
        sam.post(
            f"{hh}/decisions",
            json={
                "title": "Holiday",
                "method": "majority",
                "ballot": "open",
                "options": ["Sea", "Mountains"],
                "closes_at": closes.replace(hour=18).isoformat(),
            },
        )
    )
    _ok(
        sam.post(
            f"{hh}/goals",
            json={
                "name": "Flat deposit",
                "target": {"amount": 300000, "currency": "EUR"},
                "due_on": (today + timedelta(days=30)).isoformat(),
            },
        )
    )
    first = today.replace(day=1)
    _ok(
        sam.post(
            f"{hh}/fairness/proposals", json={"from": first.isoformat(), "to": today.isoformat()}
        )
    )
    sam.close()
    return live


@pytest.fixture(scope="session")
def live() -> Generator[Live]:
    pytest_socket.enable_socket()  # before any test's own `loopback`: this runs first
    with tempfile.TemporaryDirectory(prefix="fairstead-ha-") as folder:
        server = _serve(Path(folder))
        with server as base:
            yield _seed(base)


@pytest.fixture
async def entry(hass: Any, live: Live) -> Any:
    """The integration set up on Sam's write token, as the config flow would leave it."""
    config = MockConfigEntry(
        domain=DOMAIN,
        title="Elm Street",
        unique_id=f"{live.household_id}_{live.sam}",
        data={
            "url": live.url,
            "token": live.token,
            CONF_HOUSEHOLD_ID: live.household_id,
            CONF_MEMBER_ID: live.sam,
        },
    )
    config.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config.entry_id)
    await hass.async_block_till_done()
    return config
