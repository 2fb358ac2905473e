"""Random ledgers with a joint account in the mix, through the API: balances still sum to
zero and match the stored parts, the pot's balance is contributions minus spending after
every step, a rejected step changes nothing, and settle-up still clears everything."""

from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from domain.ledger.models import Expense
from domain.ledger.pots.models import PotContribution
from tests.api.conftest import Caller, sign_up
from tests.api.ledger_builders import DAY

DATES = ["2026-03-01", "2026-03-02", "2026-03-03"]


def _sums(engine: Engine, pot_id: str) -> tuple[int, int]:
    with Session(engine) as session:
        put_in = session.scalar(
            select(func.coalesce(func.sum(PotContribution.amount), 0)).where(
                PotContribution.pot_id == pot_id
            )
        )
        spent = session.scalar(
            select(func.coalesce(func.sum(Expense.pot_amount), 0)).where(Expense.pot_id == pot_id)
        )
    return int(put_in or 0), int(spent or 0)


def _nets(caller: Caller, url: str) -> dict[str, int]:
    response = caller.get(f"{url}/balances")
    assert response.status_code == 200, response.text
    return {b["member_id"]: b["net"] for b in response.json()["data"]}


@st.composite
def _step(draw: st.DrawFn, members: list[str], pot_id: str) -> tuple[str, dict[str, Any]]:
    day = draw(st.sampled_from(DATES))
    amount = draw(st.integers(1, 50_000))
    kind = draw(st.sampled_from(["contribute", "withdraw", "pot", "pot", "refund", "own"]))
    if kind in ("contribute", "withdraw"):
        sign = -1 if kind == "withdraw" else 1
        body = {
            "member_id": draw(st.sampled_from(members)),
            "amount": sign * amount,
            "currency": "EUR",
            "date": day,
            "note": "Random",
        }
        return f"/pots/{pot_id}/contributions", body
    chosen = draw(st.permutations(members))[: draw(st.integers(1, len(members)))]
    body = {
        "description": "Random",
        "amount": -amount if kind == "refund" else amount,
        "currency": "EUR",
        "date": day,
        "split": {"method": "equal", "participants": [{"member_id": m} for m in chosen]},
    }
    if kind == "own":
        body["paid_by"] = draw(st.sampled_from(members))
    else:
        body["paid_by_pot"] = pot_id
    return "/expenses", body


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), size=st.integers(2, 4))
def test_pots_keep_balances_at_zero_and_settle_up_clears_them(
    client: TestClient, engine: Engine, data: st.DataObject, size: int
) -> None:
    sam = sign_up(client, "Sam")
    household_id = sam.household()["id"]
    url = f"/v1/households/{household_id}"
    members = [sam.get(f"{url}/members").json()["data"][0]["id"]]
    members += [sam.member(household_id, display_name=f"M{i}")["id"] for i in range(1, size)]
    pot_id = sam.post(f"{url}/pots", json={"name": "Joint"}).json()["id"]

    for _ in range(data.draw(st.integers(1, 8), label="steps")):
        path, body = data.draw(_step(members, pot_id))
        before = (_sums(engine, pot_id), _nets(sam, url))
        response = sam.post(url + path, json=body)
        assert response.status_code in (201, 409), (body, response.text)
        if response.status_code == 409:
            assert (_sums(engine, pot_id), _nets(sam, url)) == before
        put_in, spent = _sums(engine, pot_id)
        detail = sam.get(f"{url}/pots/{pot_id}").json()
        assert detail["balance"] == put_in - spent >= 0
        assert sum(m["held"] for m in detail["members"]) == detail["balance"]
        assert sum(_nets(sam, url).values()) == 0

    plan = sam.get(f"{url}/settle-up").json()["transfers"]
    for paid in plan:
        body = {k: paid[k] for k in ("from_member_id", "to_member_id", "amount", "currency")}
        assert sam.post(f"{url}/settlements", json={**body, "date": DAY}).status_code == 201
    assert set(_nets(sam, url).values()) == {0}
