"""Concurrent clients against two server processes on one database (SQLite, PostgreSQL).

Each scenario runs a few rounds of requests released at the same instant, half to each
server, then reads back what was stored. It reports requests sent, 2xx answers, rows stored,
lost (answered 2xx, not stored; or an invariant broken), duplicated and 5xx, and asserts
none lost, none duplicated, no 5xx, and the exact outcome.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

import httpx

from tests.races.world import User, call, household, join, outcome, race, sign_up

Backend = tuple[str, list[httpx.Client]]
ROUNDS = 3
CROWD = 6  # concurrent requests in the scenarios that send more than two
TODAY = date.today().isoformat()


def _page(user: User, path: str, **params: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, "limit": 200, **({"cursor": cursor} if cursor else {})}
        body = user.ok("GET", path, params=query)
        rows += body["data"]
        cursor = body.get("next_cursor")
        if cursor is None:
            return rows


def _statuses(answers: list[httpx.Response | None]) -> list[int | None]:
    return sorted((a.status_code if a is not None else None for a in answers), key=str)


def _check(result: Any) -> None:
    assert (result.lost, result.duplicated, result.server_errors) == (0, 0, 0), result


def test_two_admins_removing_each_other_leave_one_admin(backend: Backend) -> None:
    name, clients = backend
    result = outcome("last admin (demote, deactivate)", name)
    a, b = sign_up(clients, "Avery"), sign_up(clients, "Blake")
    for _ in range(ROUNDS):
        for change in ({"role": "member"}, {"active": False}):
            home, a_member = household(a)
            b_member = join(a, b, home, role="admin")
            path = f"/v1/households/{home}/members/"
            answers = race(
                [
                    call(a, "PATCH", path + b_member, json=change, server=0),
                    call(b, "PATCH", path + a_member, json=change, server=1),
                ]
            )
            result.add(answers)
            members = _page(a, f"/v1/households/{home}/members")
            admins = [m for m in members if m["role"] == "admin" and m["active"] and m["user_id"]]
            result.stored += len(admins)
            result.lost += not admins
            # The loser is refused: 409 (the last admin) or 403 (no longer an admin itself).
            assert _statuses(answers) in ([200, 403], [200, 409]), [a and a.text for a in answers]
    _check(result)


def test_one_account_accepting_two_invitations_at_once_joins_once(backend: Backend) -> None:
    name, clients = backend
    result = outcome("double accept", name)
    admin, user = sign_up(clients, "Avery"), sign_up(clients, "Casey")
    for _ in range(ROUNDS):
        home, _ = household(admin)
        codes = [
            admin.ok("POST", f"/v1/households/{home}/invitations", json={})["code"]
            for _ in range(2)
        ]
        answers = race(
            [
                call(user, "POST", f"/v1/invitations/{code}/accept", json={}, server=server)
                for server, code in enumerate(codes)
            ]
        )
        result.add(answers)
        rows = [
            m
            for m in _page(admin, f"/v1/households/{home}/members")
            if m["user_id"] == user.user_id
        ]
        result.one_kept(len(rows))
        assert _statuses(answers) == [200, 409], [a and a.text for a in answers]
    _check(result)


def test_two_accounts_claiming_one_managed_member_one_wins(backend: Backend) -> None:
    name, clients = backend
    result = outcome("double claim", name)
    admin = sign_up(clients, "Avery")
    users = [sign_up(clients, "Dana"), sign_up(clients, "Eli")]
    for _ in range(ROUNDS):
        home, _ = household(admin)
        kid = admin.ok("POST", f"/v1/households/{home}/members", json={"display_name": "Kid"})
        codes = [
            admin.ok("POST", f"/v1/households/{home}/invitations", json={"member_id": kid["id"]})[
                "code"
            ]
            for _ in users
        ]
        calls: list[Callable[[], httpx.Response]] = [
            call(user, "POST", f"/v1/invitations/{code}/accept", json={}, server=server)
            for server, (user, code) in enumerate(zip(users, codes, strict=True))
        ]
        answers = race(calls)
        result.add(answers)
        members = _page(admin, f"/v1/households/{home}/members")
        linked = {m["user_id"] for m in members if m["user_id"] in {u.user_id for u in users}}
        winners = {
            user.user_id
            for user, answer in zip(users, answers, strict=True)
            if answer is not None and answer.is_success
        }
        claimed = next(m for m in members if m["id"] == kid["id"])
        result.stored += len(linked)
        result.lost += len(winners - linked) + (claimed["user_id"] not in winners)
        result.duplicated += len(linked - winners)
        assert _statuses(answers) == [200, 409], [a and a.text for a in answers]
    _check(result)


def _pot_with(admin: User, home: str, member: str, amount: int) -> str:
    pot: str = admin.ok("POST", f"/v1/households/{home}/pots", json={"name": "Joint"})["id"]
    admin.ok(
        "POST",
        f"/v1/households/{home}/pots/{pot}/contributions",
        json={"member_id": member, "amount": amount, "currency": "EUR", "date": TODAY},
    )
    return pot


def test_concurrent_withdrawals_never_overdraw_a_pot(backend: Backend) -> None:
    name, clients = backend
    result = outcome("pot withdrawals", name)
    admin = sign_up(clients, "Avery")
    for _ in range(ROUNDS):
        home, member = household(admin)
        pot = _pot_with(admin, home, member, 10_000)
        path = f"/v1/households/{home}/pots/{pot}/contributions"
        body = {"member_id": member, "amount": -3_000, "currency": "EUR", "date": TODAY,
                "note": "cash"}  # fmt: skip
        answers = race([call(admin, "POST", path, json=body) for _ in range(CROWD)])
        result.add(answers)
        stored = sum(1 for row in _page(admin, path) if row["amount"] < 0)
        result.each_answer_kept(answers, stored)
        assert stored == 3, _statuses(answers)
        assert all(a is None or a.status_code in (201, 409, 422) for a in answers)
    _check(result)


def test_concurrent_bills_never_overdraw_a_pot(backend: Backend) -> None:
    name, clients = backend
    result = outcome("pot bills", name)
    admin = sign_up(clients, "Avery")
    for _ in range(ROUNDS):
        home, member = household(admin)
        pot = _pot_with(admin, home, member, 10_000)
        path = f"/v1/households/{home}/expenses"
        body = {"description": "Rent", "amount": 3_000, "currency": "EUR", "paid_by_pot": pot,
                "date": TODAY}  # fmt: skip
        answers = race([call(admin, "POST", path, json=body) for _ in range(CROWD)])
        result.add(answers)
        stored = len(_page(admin, path))
        result.each_answer_kept(answers, stored)
        assert stored == 3, _statuses(answers)
        assert all(a is None or a.status_code in (201, 409, 422) for a in answers)
    _check(result)


def test_one_idempotency_key_sent_at_once_creates_one_expense(backend: Backend) -> None:
    name, clients = backend
    result = outcome("same Idempotency-Key at once", name)
    admin = sign_up(clients, "Avery")
    for round_number in range(ROUNDS):
        home, member = household(admin)
        path = f"/v1/households/{home}/expenses"
        body = {"description": "Groceries", "amount": 1_250, "currency": "EUR",
                "paid_by": member, "date": TODAY}  # fmt: skip
        headers = {"Idempotency-Key": f"races-{home}-{round_number}"}
        answers = race(
            [call(admin, "POST", path, json=body, headers=headers) for _ in range(CROWD)]
        )
        result.add(answers)
        stored = _page(admin, path)
        result.one_kept(len(stored))
        created = {a.json()["id"] for a in answers if a is not None and a.status_code == 201}
        assert created <= {e["id"] for e in stored}
        assert all(a is None or a.status_code in (201, 409) for a in answers)
    _check(result)


def test_completing_one_occurrence_at_once_completes_it_once(backend: Backend) -> None:
    name, clients = backend
    result = outcome("complete one occurrence", name)
    admin = sign_up(clients, "Avery")
    for _ in range(ROUNDS):
        home, member = household(admin)
        chore = {"name": "Bins", "estimated_minutes": 10, "effort": 1, "load": "execution",
                 "recurrence": None, "starts_on": TODAY,
                 "assignment": {"strategy": "fixed", "member_id": member}}  # fmt: skip
        admin.ok("POST", f"/v1/households/{home}/chores", json=chore)
        [occurrence] = _page(admin, f"/v1/households/{home}/chore-occurrences")
        path = f"/v1/households/{home}/chore-occurrences/{occurrence['id']}/complete"
        answers = race([call(admin, "POST", path, json={}) for _ in range(CROWD)])
        result.add(answers)
        completed = [
            e
            for e in _page(admin, f"/v1/households/{home}/activity")
            if e["type"] == "chore.completed"
        ]
        result.one_kept(len(completed))
        assert all(a is None or a.status_code in (200, 201, 409) for a in answers)
    _check(result)


def test_votes_racing_a_close_are_counted_exactly_when_accepted(backend: Backend) -> None:
    name, clients = backend
    result = outcome("votes racing a close", name)
    admin = sign_up(clients, "Avery")
    for _ in range(ROUNDS):
        home, _ = household(admin)
        kids = [
            admin.ok("POST", f"/v1/households/{home}/members", json={"display_name": f"Kid {i}"})
            for i in range(CROWD)
        ]
        decision = admin.ok(
            "POST",
            f"/v1/households/{home}/decisions",
            json={"title": "Holiday", "method": "majority", "options": ["Sea", "Mountains"],
                  "ballot": "open", "quorum": 1},
        )  # fmt: skip
        base = f"/v1/households/{home}/decisions/{decision['id']}"
        ballot = {"option_id": decision["options"][0]["id"]}
        calls: list[Callable[[], httpx.Response]] = [
            call(admin, "PUT", f"{base}/votes/{kid['id']}", json=ballot) for kid in kids
        ]
        calls.insert(CROWD // 2, call(admin, "POST", f"{base}/close"))
        answers = race(calls)
        result.add(answers)
        closed = admin.ok("GET", base)
        accepted = {
            kid["id"]
            for kid, answer in zip(
                kids, answers[: CROWD // 2] + answers[CROWD // 2 + 1 :], strict=True
            )
            if answer is not None and answer.is_success
        }
        voters = set(closed["voters"])
        counted = closed["result"]["tally"]["ballots"]
        result.stored += len(voters)
        result.lost += len(accepted - voters) + max(0, len(voters) - counted)
        result.duplicated += len(voters - accepted) + max(0, counted - len(voters))
        assert closed["status"] == "closed"
        assert all(a is None or a.status_code in (200, 201, 409) for a in answers)
    _check(result)
