"""The pot's kept state (pot_days: its stakes after each day) and its expenses' payers equal
a full replay of its history after every step of a random sequence of contributions,
withdrawals, bills, refunds, back-dated entries, edits and deletes, through the API on the
real database; a rejected step changes neither."""

from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.ledger.models import ExpensePayer
from domain.ledger.pots import verify
from domain.ledger.pots.days import kept_days
from domain.ledger.pots.models import Pot
from tests.api.conftest import Caller, sign_up

# Added in a shuffled order of dates, so most steps are back-dated against some entry.
DATES = ["2026-03-01", "2026-03-02", "2026-03-04", "2026-03-09", "2026-04-01"]


def _kept(engine: Engine, pot_id: str) -> tuple[object, ...]:
    with Session(engine) as session:
        payers = session.execute(
            select(ExpensePayer.expense_id, ExpensePayer.member_id, ExpensePayer.amount).order_by(
                ExpensePayer.expense_id, ExpensePayer.position
            )
        ).all()
        return tuple(kept_days(session, pot_id)), tuple(payers)


def _drift(engine: Engine, pot_id: str) -> verify.PotDrift | None:
    with Session(engine) as session:
        return verify.pot_drift(session, session.get_one(Pot, pot_id))


@st.composite
def _step(
    draw: st.DrawFn, members: list[str], pot_id: str, expenses: list[str]
) -> tuple[str, str, dict[str, Any] | None]:
    day = draw(st.sampled_from(DATES))
    amount = draw(st.integers(1, 30_000))
    kinds = ["contribute", "contribute", "withdraw", "bill", "bill", "refund", "own"]
    kind = draw(st.sampled_from(kinds + (["edit"] * 4 + ["delete"] if expenses else [])))
    if kind in ("contribute", "withdraw"):
        body = {
            "member_id": draw(st.sampled_from(members)),
            "amount": -amount if kind == "withdraw" else amount * 3,
            "currency": "EUR",
            "date": day,
            "note": "Random",
        }
        return "POST", f"/pots/{pot_id}/contributions", body
    if kind == "delete":
        return "DELETE", f"/expenses/{draw(st.sampled_from(expenses))}", None
    if kind == "edit":
        changes = draw(st.sets(st.sampled_from(["date", "amount", "payer"]), min_size=1))
        patch: dict[str, Any] = {}
        if "date" in changes:
            patch["date"] = day
        if "amount" in changes:
            patch["amount"] = amount
        if "payer" in changes:
            own = draw(st.booleans())
            patch |= {"paid_by": draw(st.sampled_from(members))} if own else {"paid_by_pot": pot_id}
        return "PATCH", f"/expenses/{draw(st.sampled_from(expenses))}", patch
    body = {
        "description": "Random",
        "amount": -amount if kind == "refund" else amount,
        "currency": "EUR",
        "date": day,
        "split": {"method": "equal", "participants": [{"member_id": m} for m in members]},
    }
    if kind == "own":
        body["paid_by"] = draw(st.sampled_from(members))
    else:
        body["paid_by_pot"] = pot_id
    return "POST", "/expenses", body


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), size=st.integers(2, 3))
def test_kept_pot_state_equals_a_full_replay_after_every_step(
    client: TestClient, engine: Engine, data: st.DataObject, size: int
) -> None:
    sam: Caller = sign_up(client, "Sam")
    household_id = sam.household()["id"]
    url = f"/v1/households/{household_id}"
    members = [sam.get(f"{url}/members").json()["data"][0]["id"]]
    members += [sam.member(household_id, display_name=f"M{i}")["id"] for i in range(1, size)]
    pot_id = sam.post(f"{url}/pots", json={"name": "Joint"}).json()["id"]
    expenses: list[str] = []
    for member_id in members:  # so that most bills find money, whatever their date
        opening = {
            "member_id": member_id,
            "amount": 20_000,
            "currency": "EUR",
            "date": "2026-02-27",
        }
        assert sam.post(f"{url}/pots/{pot_id}/contributions", json=opening).status_code == 201

    for _ in range(data.draw(st.integers(1, 12), label="steps")):
        method, path, body = data.draw(_step(members, pot_id, expenses))
        before = _kept(engine, pot_id)
        response = sam.request(method, url + path, json=body)
        assert response.status_code in (200, 201, 204, 409), (body, response.text)
        if response.status_code == 409:
            assert _kept(engine, pot_id) == before
        elif method == "POST" and path == "/expenses":
            expenses.append(response.json()["id"])
        elif method == "DELETE":
            expenses.remove(path.rsplit("/", 1)[1])
        assert _drift(engine, pot_id) is None
        days = _kept(engine, pot_id)[0]
        stakes = {m: stake for m, _, stake, _ in days[-1][1]["members"]} if days else {}
        detail = sam.get(f"{url}/pots/{pot_id}").json()
        assert detail["balance"] == sum(stakes.values())
        assert {m["member_id"]: m["held"] for m in detail["members"]} == {
            m["member_id"]: stakes.get(m["member_id"], 0) for m in detail["members"]
        }
