"""Random ledgers through the API: what GET /balances says is what the pure definition gives
for the shares, payers and settlements actually stored; it sums to zero; the settle-up plan
is minimal, and paying its transfers one by one never reshuffles the rest and clears
every balance.

Each example is a fresh user and household in the test's database: households never see
each other, so examples stay independent without a database per example.
"""

from decimal import Decimal
from itertools import pairwise
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.ledger.models import Expense, ExpensePayer, ExpenseShare, Settlement
from domain.ledger.reference_balances import ExpenseEntry, balances
from domain.ledger.values import MemberAmount, Transfer
from tests.api.conftest import Caller, sign_up
from tests.api.ledger_builders import DAY
from tests.domain.ledger.oracles import fewest_transfers

RATES = {"JPY": ["0.0061", "0.0066"], "USD": [None]}  # None: the household's rate of the day
AMOUNTS = st.one_of(st.integers(1, 200_000), st.sampled_from([3000, 6000, 90_000, 1200]))


@st.composite
def _cuts(draw: st.DrawFn, total: int, parts: int, minimum: int) -> list[int]:
    spare = total - parts * minimum
    points = sorted(draw(st.lists(st.integers(0, spare), min_size=parts - 1, max_size=parts - 1)))
    return [minimum + high - low for low, high in pairwise([0, *points, spare])]


@st.composite
def _expense(draw: st.DrawFn, members: list[str]) -> dict[str, Any]:
    currency = draw(st.sampled_from(["EUR", "EUR", "JPY", "USD"]))
    size = draw(AMOUNTS) + (100 if currency == "JPY" else 0)  # never converts to 0 cents
    sign = -1 if draw(st.integers(0, 4)) == 0 else 1  # one in five is a refund
    method = draw(st.sampled_from(["equal", "shares", "percent", "exact", "agreement"]))
    chosen = draw(st.permutations(members))[: draw(st.integers(1, len(members)))]
    body: dict[str, Any] = {
        "description": "Random",
        "amount": sign * size,
        "currency": currency,
        "date": DAY,
        "split": {"method": method, "participants": [{"member_id": m} for m in chosen]},
    }
    if currency != "EUR" and (rate := draw(st.sampled_from(RATES[currency]))) is not None:
        body["exchange_rate"] = rate
    participants = body["split"]["participants"]
    if method == "agreement" and draw(st.booleans()):
        body["split"]["participants"] = []
    elif method == "shares":
        for p in participants:
            p["shares"] = draw(st.integers(1, 5))
    elif method == "percent":
        for p, hundredths in zip(participants, draw(_cuts(10_000, len(chosen), 1)), strict=True):
            p["percent"] = hundredths // 100 if hundredths % 100 == 0 else hundredths / 100
    elif method == "exact":
        for p, part in zip(participants, draw(_cuts(size, len(chosen), 0)), strict=True):
            p["amount"] = sign * part
    payers = draw(st.permutations(members))[: draw(st.integers(1, min(len(members), size)))]
    if len(payers) == 1 and draw(st.booleans()):
        body["paid_by"] = payers[0]
    else:
        parts = draw(_cuts(size, len(payers), 1))
        body["payers"] = [
            {"member_id": m, "amount": sign * a} for m, a in zip(payers, parts, strict=True)
        ]
    return body


@st.composite
def _settlement(draw: st.DrawFn, members: list[str]) -> dict[str, Any]:
    from_id, to_id = draw(st.permutations(members))[:2]
    return {
        "from_member_id": from_id,
        "to_member_id": to_id,
        "amount": draw(st.integers(1, 100_000)),
        "currency": "EUR",
        "date": DAY,
    }


def _stored(engine: Engine, household_id: str) -> tuple[list[ExpenseEntry], list[Transfer]]:
    """The ledger as stored, read past the API; checks every expense's parts on the way."""
    with Session(engine) as session:
        expenses = session.scalars(select(Expense).where(Expense.household_id == household_id))
        entries = []
        for expense in expenses:
            parts = []
            for table in (ExpensePayer, ExpenseShare):
                rows = session.scalars(select(table).where(table.expense_id == expense.id))
                parts.append([MemberAmount(r.member_id, r.amount) for r in rows])
            assert sum(p.amount for p in parts[0]) == sum(s.amount for s in parts[1])
            assert sum(s.amount for s in parts[1]) == expense.amount
            entries.append(ExpenseEntry(payers=parts[0], shares=parts[1]))
        settlements = session.scalars(
            select(Settlement).where(Settlement.household_id == household_id)
        )
        transfers = [Transfer(s.from_member_id, s.to_member_id, s.amount) for s in settlements]
    return entries, transfers


def _plan(caller: Caller, household_id: str) -> list[dict[str, Any]]:
    response = caller.get(f"/v1/households/{household_id}/settle-up")
    assert response.status_code == 200, response.text
    plan = response.json()
    assert plan["exact"] is True
    transfers: list[dict[str, Any]] = plan["transfers"]
    return transfers


def _nets(caller: Caller, household_id: str) -> dict[str, dict[str, int]]:
    response = caller.get(f"/v1/households/{household_id}/balances")
    assert response.status_code == 200, response.text
    return {b.pop("member_id"): b for b in response.json()["data"]}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), size=st.integers(1, 5))
def test_random_ledgers_balance_to_zero_and_settle_up_clears_them(
    client: TestClient, engine: Engine, data: st.DataObject, size: int
) -> None:
    sam = sign_up(client, "Sam")
    household_id = sam.household()["id"]
    url = f"/v1/households/{household_id}"
    members = [sam.get(f"{url}/members").json()["data"][0]["id"]]
    members += [sam.member(household_id, display_name=f"M{i}")["id"] for i in range(1, size)]
    rate = {"currency": "USD", "date": DAY, "rate": str(Decimal("0.92"))}
    assert sam.put(f"{url}/exchange-rates", json={"rates": [rate]}).status_code == 200

    for _ in range(data.draw(st.integers(1, 5), label="operations")):
        if size > 1 and data.draw(st.integers(0, 3), label="settle?") == 0:
            body, path = data.draw(_settlement(members)), "/settlements"
        else:
            body, path = data.draw(_expense(members)), "/expenses"
        response = sam.post(url + path, json=body)
        assert response.status_code == 201, (body, response.text)

    entries, transfers = _stored(engine, household_id)
    expected = balances(entries, transfers, members=members)
    got = _nets(sam, household_id)
    assert got == {m: {"paid": b.paid, "owed": b.owed, "net": b.net} for m, b in expected.items()}
    assert sum(b["net"] for b in got.values()) == 0

    plan = _plan(sam, household_id)
    assert len(plan) == fewest_transfers([b["net"] for b in got.values()])
    for paid in data.draw(st.permutations(plan), label="payment order"):
        body = {k: paid[k] for k in ("from_member_id", "to_member_id", "amount", "currency")}
        assert sam.post(f"{url}/settlements", json={**body, "date": DAY}).status_code == 201
        plan.remove(paid)
        assert _plan(sam, household_id) == plan
    assert {b["net"] for b in _nets(sam, household_id).values()} == {0}
