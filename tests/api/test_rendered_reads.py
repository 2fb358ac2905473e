"""The hot reads built from plain rows (api/rendered.py) answer byte for byte what the
routes built from ORM objects and schema models answered.

An expense page is built from plain rows, a single expense (`GET …/expenses/{id}`) still
from its ORM object through FastAPI's own serialisation: a page's body must be exactly the
bodies of its expenses, joined (for a mixed household, and for random ones). Balances,
settle-up and the report must equal their schema models built from the same domain values,
dumped as FastAPI dumps a returned model (the report's values come from the same
`report_json`: what is checked there is the one validation and serialisation). The mixed
household has several currencies, a refund, percent, shares and exact splits, two payers,
a pot paying a bill, settlements, and non-ASCII text.
"""

from datetime import date

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from api.routers.fairness import report_json
from api.schemas import fairness as fairness_schemas
from api.schemas import ledger as schemas
from domain.fairness.reporting import build_report
from domain.households.models import Household
from domain.ledger import settlements as ledger
from tests.api.conftest import Caller, sign_up
from tests.api.ledger_builders import DAY, Home, equal, expense, home_of_three, post_expense, settle
from tests.api.pots_builders import contribute, open_pot, pot_expense
from tests.api.test_ledger_properties import _expense

# Printable text in any script, quotes and backslashes among it: what JSON must escape or not.
TEXT = st.text(
    st.characters(categories=["L", "M", "N", "P", "S", "Zs"]), min_size=1, max_size=40
).filter(str.strip)


def _page(caller: Caller, url: str) -> tuple[bytes, list[str], str | None]:
    response = caller.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["etag"]
    body = response.json()
    return response.content, [e["id"] for e in body["data"]], body["next_cursor"]


def _single_bodies(caller: Caller, household_id: str, ids: list[str]) -> list[bytes]:
    bodies = []
    for expense_id in ids:
        response = caller.get(f"/v1/households/{household_id}/expenses/{expense_id}")
        assert response.status_code == 200, response.text
        bodies.append(response.content)
    return bodies


def _joined(bodies: list[bytes], next_cursor: str | None) -> bytes:
    cursor = b"null" if next_cursor is None else b'"' + next_cursor.encode() + b'"'
    return b'{"data":[' + b",".join(bodies) + b'],"next_cursor":' + cursor + b"}"


def _mixed_household(sam: Caller, alex: Caller) -> Home:
    home = home_of_three(sam, alex)
    rate = {"currency": "USD", "date": DAY, "rate": "0.9312"}
    assert sam.put(home.url("/exchange-rates"), json={"rates": [rate]}).status_code == 200
    percent = {
        "method": "percent",
        "participants": [
            {"member_id": home.sam, "percent": 33.33},
            {"member_id": home.alex, "percent": 33.33},
            {"member_id": home.robin, "percent": 33.34},
        ],
    }
    bodies = [
        expense(home.sam, 10_000, split=equal(*home.members), category="food"),
        expense(home.alex, 9_999, split=percent, description="Café — Ärger 🍜 \"quoted\"\n"),
        expense(home.robin, 3_000, currency="JPY", exchange_rate="0.0061", notes="Ramen"),
        expense(home.sam, 4_000, currency="USD"),
        expense(home.sam, -2_500, split=equal(home.sam, home.alex)),
        {
            **expense(home.sam, 8_400),
            "paid_by": None,
            "payers": [
                {"member_id": home.sam, "amount": 5_000},
                {"member_id": home.robin, "amount": 3_400},
            ],
            "split": {
                "method": "exact",
                "participants": [
                    {"member_id": home.sam, "amount": 3_000},
                    {"member_id": home.robin, "amount": 5_400},
                ],
            },
        },
        expense(
            home.alex,
            7_000,
            split={
                "method": "shares",
                "participants": [
                    {"member_id": home.alex, "shares": 2},
                    {"member_id": home.robin, "shares": 1},
                ],
            },
            date="2026-03-02",
        ),
    ]
    for body in bodies:
        post_expense(sam, home, {k: v for k, v in body.items() if v is not None})
    pot = open_pot(sam, home)
    contribute(sam, home, pot["id"], home.sam, 20_000)
    contribute(sam, home, pot["id"], home.alex, 10_000)
    post_expense(sam, home, pot_expense(pot["id"], 6_000))
    settle(sam, home, home.robin, home.sam, 1_234)
    settle(sam, home, home.alex, home.robin, 500, date="2026-03-02")
    return home


def test_an_expense_page_is_its_expenses_own_bodies_joined(sam: Caller, alex: Caller) -> None:
    home = _mixed_household(sam, alex)
    content, ids, cursor = _page(sam, home.url("/expenses"))
    assert len(ids) == 8 and cursor is None
    assert content == _joined(_single_bodies(sam, home.id, ids), None)
    # Pages with a cursor, and filters, are built the same way.
    seen: list[str] = []
    url = home.url("/expenses?limit=3")
    while True:
        content, ids, cursor = _page(sam, url)
        assert content == _joined(_single_bodies(sam, home.id, ids), cursor)
        seen += ids
        if cursor is None:
            break
        url = home.url(f"/expenses?limit=3&cursor={cursor}")
    assert len(seen) == 8
    content, ids, _ = _page(sam, home.url(f"/expenses?paid_by={home.robin}&category=food"))
    assert content == _joined(_single_bodies(sam, home.id, ids), None)


def test_balances_and_settle_up_are_their_schema_models_dumped(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = _mixed_household(sam, alex)
    with Session(engine) as session:
        rows = ledger.balances(session, household_id=home.id)
        plan, _ = ledger.current_plan(session, household_id=home.id)
    balances = schemas.Balances(
        currency="EUR",
        data=[
            schemas.Balance(member_id=b.member_id, paid=b.paid, owed=b.owed, net=b.net)
            for b in rows
        ],
    )
    response = sam.get(home.url("/balances"))
    assert response.content == TypeAdapter(schemas.Balances).dump_json(balances, by_alias=True)
    settle_up = schemas.SettleUp(
        transfers=[
            schemas.Transfer(
                from_member_id=t.from_member_id,
                to_member_id=t.to_member_id,
                amount=t.amount,
                currency="EUR",
            )
            for t in plan.transfers
        ],
        exact=plan.exact,
        currency="EUR",
    )
    response = sam.get(home.url("/settle-up"))
    assert plan.transfers
    assert response.content == TypeAdapter(schemas.SettleUp).dump_json(settle_up, by_alias=True)


def test_the_fairness_report_is_its_schema_model_dumped(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home = _mixed_household(sam, alex)
    response = sam.get(home.url("/fairness/report?from=2026-03-01&to=2026-03-31"))
    assert response.status_code == 200, response.text
    with Session(engine) as session:
        household = session.get_one(Household, home.id)
        report, _ = build_report(
            session,
            household=household,
            first=date(2026, 3, 1),
            last=date(2026, 3, 31),
        )
    model = fairness_schemas.FairnessReport.model_validate(report_json(report))
    adapter = TypeAdapter(fairness_schemas.FairnessReport)
    assert response.content == adapter.dump_json(model, by_alias=True)
    assert response.json()["dimensions"]["money"]["members"]


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), size=st.integers(1, 4), limit=st.integers(1, 6))
def test_random_expense_pages_are_their_expenses_bodies_joined(
    client: TestClient, data: st.DataObject, size: int, limit: int
) -> None:
    sam = sign_up(client, "Sam")
    household_id = sam.household()["id"]
    url = f"/v1/households/{household_id}"
    members = [sam.get(f"{url}/members").json()["data"][0]["id"]]
    members += [sam.member(household_id, display_name=f"M{i}")["id"] for i in range(1, size)]
    rate = {"currency": "USD", "date": DAY, "rate": "0.92"}
    assert sam.put(f"{url}/exchange-rates", json={"rates": [rate]}).status_code == 200
    for _ in range(data.draw(st.integers(1, 8))):
        body = data.draw(_expense(members))
        body["description"] = data.draw(TEXT)
        response = sam.post(f"{url}/expenses", json=body)
        assert response.status_code == 201, response.text
    page = f"{url}/expenses?limit={limit}"
    while True:
        content, ids, cursor = _page(sam, page)
        assert content == _joined(_single_bodies(sam, household_id, ids), cursor)
        if cursor is None:
            break
        page = f"{url}/expenses?limit={limit}&cursor={cursor}"
