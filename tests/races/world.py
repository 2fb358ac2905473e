"""Clients of the two servers, races between them, and the table every scenario reports."""

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


@dataclass
class Outcome:
    """One scenario on one backend, over all its rounds."""

    scenario: str
    backend: str
    sent: int = 0
    ok: int = 0  # 2xx
    stored: int = 0  # the rows (or states) the database holds afterwards
    lost: int = 0  # answered 2xx, yet not stored (or an invariant broken)
    duplicated: int = 0  # stored more often than it may be
    server_errors: int = 0  # 5xx and connection failures

    def add(self, responses: list[httpx.Response | None]) -> None:
        self.sent += len(responses)
        self.ok += sum(1 for r in responses if r is not None and r.is_success)
        self.server_errors += sum(1 for r in responses if r is None or r.status_code >= 500)

    def one_kept(self, stored: int) -> None:
        """Exactly one of the racing calls may take effect: `stored` of them did."""
        self.stored += stored
        self.lost += stored == 0
        self.duplicated += max(0, stored - 1)

    def each_answer_kept(self, responses: list[httpx.Response | None], stored: int) -> None:
        """Every 2xx answer is one stored row, no more and no fewer."""
        ok = sum(1 for r in responses if r is not None and r.is_success)
        self.stored += stored
        self.lost += max(0, ok - stored)
        self.duplicated += max(0, stored - ok)


REPORT: list[Outcome] = []


def outcome(scenario: str, backend: str) -> Outcome:
    found = Outcome(scenario, backend)
    REPORT.append(found)
    return found


def table() -> list[str]:
    header = ("scenario", "backend", "sent", "2xx", "stored", "lost", "duplicated", "5xx")
    rows = [header] + [
        (o.scenario, o.backend, *map(str, (o.sent, o.ok, o.stored, o.lost, o.duplicated)),
         str(o.server_errors))
        for o in REPORT
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]


@dataclass
class User:
    """An account, and a client of each server; calls alternate between them."""

    clients: list[httpx.Client]
    token: str
    user_id: str
    _turn: "itertools.count[int]" = field(default_factory=itertools.count)

    def request(self, method: str, path: str, *, server: int | None = None, **kw: Any) -> Any:
        index = next(self._turn) if server is None else server
        headers = {"Authorization": f"Bearer {self.token}", **kw.pop("headers", {})}
        return self.clients[index % 2].request(method, path, headers=headers, **kw)

    def ok(self, method: str, path: str, **kw: Any) -> Any:
        response = self.request(method, path, **kw)
        assert response.is_success, (method, path, response.status_code, response.text)
        return response.json() if response.content else None


def sign_up(clients: list[httpx.Client], name: str) -> User:
    email = f"{name.lower()}{next(_numbers)}@example.org"
    created = clients[0].post(
        "/v1/users", json={"email": email, "password": PASSWORD, "display_name": name}
    )
    assert created.status_code == 201, created.text
    token = clients[1].post(
        "/v1/tokens", json={"email": email, "password": PASSWORD, "name": "races"}
    )
    assert token.status_code == 201, token.text
    return User(clients, token.json()["token"], created.json()["id"])


def household(admin: User) -> tuple[str, str]:
    """A new household of `admin`: its id and the admin's member id."""
    body = {"name": "Home", "currency": "EUR", "timezone": "Europe/Berlin"}
    home = admin.ok("POST", "/v1/households", json=body)["id"]
    members = admin.ok("GET", f"/v1/households/{home}/members")["data"]
    return home, members[0]["id"]


def join(admin: User, user: User, home: str, **invitation: Any) -> str:
    code = admin.ok("POST", f"/v1/households/{home}/invitations", json=invitation)["code"]
    member: str = user.ok("POST", f"/v1/invitations/{code}/accept", json={})["id"]
    return member


def call(user: User, method: str, path: str, **kw: Any) -> Callable[[], httpx.Response]:
    """One request, to be sent later by `race`."""
    return lambda: user.request(method, path, **kw)


def race(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response | None]:
    """Every call at once, each in its own thread, released together; None for a call that
    got no answer (connection refused or reset, timeout)."""
    barrier = threading.Barrier(len(calls))
    answers: list[httpx.Response | None] = [None] * len(calls)

    def run(index: int, call: Callable[[], httpx.Response]) -> None:
        barrier.wait()
        try:
            answers[index] = call()
        except httpx.HTTPError:
            answers[index] = None

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers
