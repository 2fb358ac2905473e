"""A joint account's bank statement: members' transfers in become contributions, card
payments and bills become expenses paid from the pot, each counted once."""

from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from domain.ledger.models import Expense
from domain.ledger.pots.models import PotContribution
from tests.api.conftest import Caller, assert_problem, count
from tests.api.imports_builders import expenses, imported, qif, share_everything
from tests.api.ledger_builders import Home, home_of_three, nets, payers
from tests.api.pots_builders import open_pot, pot

JOINT_IBAN = "DE44500105175407324931"
STATEMENT = (Path(__file__).parent / "fixtures" / "camt053_joint_account.xml").read_bytes()


def _connection(caller: Caller, home: Home, pot_id: str) -> str:
    response = caller.post(
        home.url("/connections"),
        json={
            "provider": "file",
            "name": "Joint account",
            "account_map": {JOINT_IBAN: f"pot:{pot_id}", "sam-checking": home.sam},
            "member_map": {"Sam Example": home.sam, "Alex Example": home.alex},
        },
    )
    assert response.status_code == 201, response.text
    connection_id: str = response.json()["id"]
    return connection_id


def _joint_month(sam: Caller, alex: Caller) -> tuple[Home, str, str, dict[str, Any]]:
    home = home_of_three(sam, alex)
    share_everything(sam, home.id)
    pot_id = open_pot(sam, home)["id"]
    connection_id = _connection(sam, home, pot_id)
    run = imported(sam, home.id, STATEMENT, filename="joint.xml", connection_id=connection_id)
    return home, pot_id, connection_id, run


def test_a_joint_account_statement_yields_contributions_and_pot_expenses(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home, pot_id, _, run = _joint_month(sam, alex)
    assert run["format"] == "camt053", run
    assert run["counts"]["created"] == 4, run
    listed = sam.get(home.url(f"/pots/{pot_id}/contributions")).json()["data"]
    assert sorted((c["member_id"], c["amount"]) for c in listed) == sorted(
        [(home.sam, 125_000), (home.alex, 75_000)]
    )
    by_amount = {e["amount"]: e for e in expenses(sam, home.id)}
    rent, groceries = by_amount[140_000], by_amount[8_640]
    assert rent["paid_by_pot"] == groceries["paid_by_pot"] == pot_id
    assert payers(rent) == [(home.sam, 87_500), (home.alex, 52_500)]
    assert payers(groceries) == [(home.sam, 5_400), (home.alex, 3_240)]
    assert pot(sam, home, pot_id)["balance"] == 200_000 - 148_640
    assert sum(nets(sam, home).values()) == 0


def test_reimporting_the_statement_creates_nothing(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home, _, connection_id, _ = _joint_month(sam, alex)
    before = (count(engine, PotContribution), count(engine, Expense))
    again = imported(sam, home.id, STATEMENT, filename="joint.xml", connection_id=connection_id)
    assert again["counts"]["created"] == 0, again
    assert again["counts"]["duplicates"] == 4, again
    assert (count(engine, PotContribution), count(engine, Expense)) == before


def test_the_members_side_of_a_transfer_already_imported_is_not_counted_again(
    sam: Caller, alex: Caller, engine: Engine
) -> None:
    home, pot_id, connection_id, _ = _joint_month(sam, alex)
    own = qif([("2026-03-01", "-1250.00", "Joint account")]).replace(
        b"PJoint account", f"PJoint account\nL[{JOINT_IBAN}]".encode()
    )
    run = imported(
        sam,
        home.id,
        own,
        filename="sam.qif",
        connection_id=connection_id,
        account="sam-checking",
    )
    assert (run["counts"]["created"], run["counts"]["skipped"]) == (0, 1), run
    assert count(engine, PotContribution) == 2
    assert pot(sam, home, pot_id)["contributed"] == 200_000


def test_a_transfer_from_a_members_account_into_the_pot_is_a_contribution(
    sam: Caller, alex: Caller
) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    connection_id = _connection(sam, home, pot_id)
    own = qif([("2026-03-02", "-300.00", "Joint account")]).replace(
        b"PJoint account", f"PJoint account\nL[{JOINT_IBAN}]".encode()
    )
    run = imported(
        sam, home.id, own, filename="sam.qif", connection_id=connection_id, account="sam-checking"
    )
    assert run["counts"]["created"] == 1, run
    assert pot(sam, home, pot_id)["members"][0]["contributed"] == 30_000


def test_an_account_map_naming_another_households_pot_is_422(
    sam: Caller, alex: Caller, new_user: Any
) -> None:
    home = home_of_three(sam, alex)
    kim = new_user("Kim")
    theirs = home_of_three(kim, new_user("Lee"))
    their_pot = open_pot(kim, theirs)["id"]
    response = sam.post(
        home.url("/connections"),
        json={"provider": "file", "account_map": {JOINT_IBAN: f"pot:{their_pot}"}},
    )
    assert_problem(response, 422, field="account_map")


def test_an_income_rule_records_payroll_credits_as_the_members_income(
    sam: Caller, alex: Caller
) -> None:
    home = home_of_three(sam, alex)
    pot_id = open_pot(sam, home)["id"]
    connection_id = _connection(sam, home, pot_id)
    made = sam.post(
        home.url("/import-rules"),
        json={"name": "payroll", "action": "income", "payee": "ACME payroll"},
    )
    assert made.status_code == 201, made.text
    pay = qif([("2026-03-25", "3100.00", "ACME Payroll")])
    run = imported(
        sam, home.id, pay, filename="sam.qif", connection_id=connection_id, account="sam-checking"
    )
    assert run["counts"]["created"] == 1, run
    history = sam.get(home.url(f"/members/{home.sam}/incomes")).json()["data"]
    assert [(i["amount"], i["effective_from"]) for i in history] == [(310_000, "2026-03-25")]


def test_an_account_map_naming_no_pot_is_422(sam: Caller, alex: Caller) -> None:
    home = home_of_three(sam, alex)
    for target in ("pot:missing", "pot:a\x00b"):
        response = sam.post(
            home.url("/connections"),
            json={"provider": "file", "account_map": {JOINT_IBAN: target}},
        )
        assert_problem(response, 422, field="account_map")
