"""How household A gets one of every kind of object, for the tenant-isolation suite and
the schemathesis run.

`FIXTURES` maps every path-parameter name in the route table to a builder that makes that
kind of object in household A and returns its ids. A route with a path parameter missing
here fails `test_every_path_parameter_has_a_fixture`: add one line, and a builder.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from domain.hooks.dispatch import drain
from integrations.webhooks import WebhookSender
from tests.api.conftest import PASSWORD, TEST_SECRET_KEY, Caller
from tests.api.imports_builders import qif
from tests.integrations.receiver import Receiver

# Text only household A holds: a response to anyone else that contains it is a leak.
MARK = "ALPHA-PRIVATE"


@dataclass
class Seed:
    """What a fixture builder gets: household A's admin and the ids made so far."""

    owner: Caller
    household_id: str
    engine: Engine
    receiver: Receiver
    ids: dict[str, list[str]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"/v1/households/{self.household_id}{path}"

    def made(self, path: str, body: Any, *, key: str = "id", **kwargs: Any) -> str:
        response = self.owner.post(self.url(path), json=body, **kwargs)
        assert response.status_code in (200, 201, 202), f"{path}: {response.text}"
        value: str = response.json()[key]
        return value

    def first(self, name: str) -> str:
        return self.ids[name][0]


DAY = "2026-03-01"


def _household(seed: Seed) -> list[str]:
    return [seed.household_id]


def _members(seed: Seed) -> list[str]:
    rows = seed.owner.get(seed.url("/members")).json()["data"]
    own = next(m["id"] for m in rows if m["user_id"] == seed.owner.user_id)
    managed = seed.made("/members", {"display_name": f"Robin {MARK}"})
    return [own, managed]


def _tokens(seed: Seed) -> list[str]:
    """A spare token, so a DELETE that goes through cannot lock the owner out."""
    body = {"email": seed.owner.email, "password": PASSWORD, "name": "spare"}
    response = seed.owner.client.post("/v1/tokens", json=body)
    assert response.status_code == 201, response.text
    return [response.json()["id"]]


def _invitation(seed: Seed) -> list[str]:
    return [seed.made("/invitations", {}, key="code")]


def _expense(seed: Seed) -> list[str]:
    own, managed = seed.ids["member_id"]
    body = {
        "description": f"Rent {MARK}",
        "amount": 90000,
        "currency": "EUR",
        "paid_by": own,
        "date": DAY,
        "category": "rent",
        "split": {"method": "equal", "participants": [{"member_id": own}, {"member_id": managed}]},
    }
    return [seed.made("/expenses", body)]


def _settlement(seed: Seed) -> list[str]:
    own, managed = seed.ids["member_id"]
    body = {"from_member_id": managed, "to_member_id": own, "amount": 100, "currency": "EUR"}
    return [seed.made("/settlements", {**body, "date": DAY, "note": MARK})]


def _recurring(seed: Seed) -> list[str]:
    own = seed.first("member_id")
    body = {
        "description": f"Internet {MARK}",
        "amount": 3999,
        "currency": "EUR",
        "paid_by": own,
        "rrule": "FREQ=MONTHLY",
        "starts_on": "2026-01-01",
    }
    return [seed.made("/recurring-expenses", body)]


def _decisions(seed: Seed) -> list[str]:
    """A secret ballot with a vote in it, and an open one."""
    own = seed.first("member_id")
    ids = []
    for ballot in ("secret", "open"):
        body = {"title": f"Holiday {MARK}", "method": "majority", "options": ["Sea", "Hills"]}
        response = seed.owner.post(seed.url("/decisions"), json={**body, "ballot": ballot})
        assert response.status_code == 201, response.text
        decision = response.json()
        vote = {"option_id": decision["options"][0]["id"]}
        voted = seed.owner.put(seed.url(f"/decisions/{decision['id']}/votes/{own}"), json=vote)
        assert voted.status_code == 200, voted.text
        ids.append(decision["id"])
    return ids


def _chore(seed: Seed) -> list[str]:
    body = {
        "name": f"Dishes {MARK}",
        "estimated_minutes": 30,
        "effort": 2,
        "load": "execution",
        "recurrence": "FREQ=DAILY",
        "starts_on": datetime.now(UTC).date().isoformat(),
        "assignment": {"strategy": "fixed", "member_id": seed.first("member_id")},
    }
    return [seed.made("/chores", body)]


def _occurrences(seed: Seed) -> list[str]:
    """The occurrence of a one-off chore: a change to the daily chore replans that one's
    open occurrences, which would take a seeded id away mid-run."""
    body = {
        "name": f"Fix the tap {MARK}",
        "estimated_minutes": 45,
        "effort": 3,
        "load": "execution",
        "recurrence": None,
        "starts_on": datetime.now(UTC).date().isoformat(),
    }
    chore = seed.made("/chores", body)
    rows = seed.owner.get(seed.url("/chore-occurrences")).json()["data"]
    mine = [row["id"] for row in rows if row["chore_id"] == chore]
    assert mine, "the one-off chore has no occurrence"
    return mine


def _absence(seed: Seed) -> list[str]:
    own = seed.first("member_id")
    return [seed.made(f"/members/{own}/absences", {"from": "2026-08-01", "to": "2026-08-14"})]


def _proposals(seed: Seed) -> list[str]:
    response = seed.owner.post(
        seed.url("/fairness/proposals"), json={"from": "2026-03-01", "to": "2026-03-31"}
    )
    assert response.status_code == 201, response.text
    ids = [p["id"] for p in response.json()["data"]]
    assert ids, "the unequal March gave no proposal"
    return ids


def _check_in(seed: Seed) -> None:
    body = {"member_id": seed.first("member_id"), "fairness": 2, "heard": 3, "note": MARK}
    seed.made("/check-ins", body)


def _import(seed: Seed) -> list[str]:
    data = qif([(DAY, "-12.50", f"Bakery {MARK}")])
    response = seed.owner.post(
        seed.url("/imports"),
        files={"file": ("statement.qif", data, "application/octet-stream")},
        data={"currency": "EUR"},
    )
    assert response.status_code == 201, response.text
    return [response.json()["id"]]


def _imported_transactions(seed: Seed) -> list[str]:
    rows = seed.owner.get(seed.url("/import-reviews")).json()["data"]
    assert rows, "the imported row does not wait for review"
    return [rows[0]["id"]]


def _connection(seed: Seed) -> list[str]:
    body = {
        "provider": "ynab",
        "name": f"Budget {MARK}",
        "credentials": {"token": "ynab-secret-token-123"},
        "config": {"budget_id": "budget-1"},
    }
    return [seed.made("/connections", body)]


def _rule(seed: Seed) -> list[str]:
    body = {"name": f"Coffee {MARK}", "payee": "coffee", "action": "ignore"}
    return [seed.made("/import-rules", body)]


def _webhook(seed: Seed) -> list[str]:
    body = {"url": seed.receiver.url, "events": ["expense.*"], "description": MARK}
    return [seed.made("/webhooks", body)]


def _deliveries(seed: Seed) -> list[str]:
    sender = WebhookSender(timeout=1.0, allow_private=True)
    try:
        drain(seed.engine, now=datetime.now(UTC), send=sender, secret_key=TEST_SECRET_KEY)
    finally:
        sender.close()
    webhook = seed.first("webhook_id")
    rows = seed.owner.get(seed.url(f"/webhooks/{webhook}/deliveries")).json()["data"]
    assert rows, "the webhook got no delivery"
    return [rows[0]["id"]]


def _notification_target(seed: Seed) -> list[str]:
    body = {"url": seed.receiver.url.replace("http://", "json://"), "label": MARK}
    return [seed.made(f"/members/{seed.first('member_id')}/notification-targets", body)]


def _goal(seed: Seed) -> list[str]:
    body = {"name": f"Deposit {MARK}", "target": {"amount": 100000, "currency": "EUR"}}
    goal = seed.made("/goals", body)
    contribution = {
        "member_id": seed.first("member_id"),
        "amount": 2500,
        "currency": "EUR",
        "date": DAY,
        "note": MARK,
    }
    seed.made(f"/goals/{goal}/contributions", contribution)
    return [goal]


def _pot(seed: Seed) -> list[str]:
    pot = seed.made("/pots", {"name": f"Joint {MARK}", "currency": "EUR"})
    contribution = {
        "member_id": seed.first("member_id"),
        "amount": 5000,
        "currency": "EUR",
        "date": DAY,
        "note": MARK,
    }
    seed.made(f"/pots/{pot}/contributions", contribution)
    return [pot]


def _income(seed: Seed) -> None:
    body = {"amount": 300000, "currency": "EUR", "effective_from": DAY}
    seed.made(f"/members/{seed.first('member_id')}/incomes", body)


Builder = Callable[[Seed], list[str] | None]

# Path-parameter name -> how household A gets one, in dependency order. An entry whose
# builder returns None makes objects no path names (check-ins) but that lists must not leak.
FIXTURES: dict[str, Builder] = {
    "household_id": _household,
    "member_id": _members,
    "token_id": _tokens,
    "code": _invitation,
    "webhook_id": _webhook,
    "expense_id": _expense,
    "settlement_id": _settlement,
    "goal_id": _goal,
    "pot_id": _pot,
    "income": _income,
    "recurring_id": _recurring,
    "decision_id": _decisions,
    "chore_id": _chore,
    "occurrence_id": _occurrences,
    "absence_id": _absence,
    "proposal_id": _proposals,
    "check_in": _check_in,
    "rule_id": _rule,
    "import_id": _import,
    "imported_transaction_id": _imported_transactions,
    "connection_id": _connection,
    "delivery_id": _deliveries,
    "target_id": _notification_target,
}
