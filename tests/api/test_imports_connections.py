"""Connections: credentials write-only and encrypted, syncs exactly once, failures keep the
cursor, and the worker syncs on schedule."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.routers.connections import http_client
from domain.activity.models import Event
from domain.imports.models import Connection, ImportedRow, ImportRun
from domain.ledger.models import Expense, Settlement
from domain.settings import Settings, get_settings
from integrations import jobs
from tests.api.conftest import Caller, assert_problem, count, fetch, join
from tests.api.imports_builders import (
    expenses,
    imported,
    member_of,
    qif,
    reviews,
    rule,
)
from tests.api.imports_fakes import (
    BUDGET,
    CHECKING,
    SAVINGS,
    TOKEN,
    FakeSplitwise,
    FakeYnab,
    splitwise_expense,
    ynab_transaction,
)

SECRET = "a-test-secret-key-of-some-length"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, db_pool_size=20, secret_key=SECRET)


@pytest.fixture
def serve(app: FastAPI) -> Callable[[Any], None]:
    """Route every connector request of the app to `handler`."""

    def install(handler: Any) -> None:
        app.dependency_overrides[http_client] = lambda: httpx.Client(
            transport=httpx.MockTransport(handler)
        )

    return install


def ynab(caller: Caller, household_id: str, **fields: Any) -> dict[str, Any]:
    body = {
        "provider": "ynab",
        "name": "Our budget",
        "credentials": {"token": TOKEN},
        "config": {"budget_id": BUDGET},
        **fields,
    }
    response = caller.post(f"/v1/households/{household_id}/connections", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def sync(caller: Caller, household_id: str, connection_id: str, **params: Any) -> dict[str, Any]:
    response = caller.post(
        f"/v1/households/{household_id}/connections/{connection_id}/sync", params=params
    )
    assert response.status_code == 201, response.text
    run: dict[str, Any] = response.json()
    return run


def test_credentials_are_never_returned_and_encrypted_at_rest(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    created = ynab(sam, home["id"])
    assert created["has_credentials"] is True
    assert "credentials" not in created
    url = f"/v1/households/{home['id']}/connections"
    for response in (sam.get(url), sam.get(f"{url}/{created['id']}")):
        assert response.status_code == 200
        assert TOKEN not in response.text
    stored = fetch(engine, Connection, created["id"])
    assert stored.credentials and TOKEN not in stored.credentials


def test_credentials_are_refused_without_a_secret_key(sam: Caller, app: FastAPI) -> None:
    app.state.settings = app.state.settings.model_copy(update={"secret_key": None})
    home = sam.household()
    response = sam.post(
        f"/v1/households/{home['id']}/connections",
        json={"provider": "ynab", "credentials": {"token": TOKEN}, "config": {"budget_id": "b"}},
    )
    assert "FAIRSTEAD_SECRET_KEY" in assert_problem(response, 409)["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"provider": "ynab", "config": {"budget_id": "b"}}, "credentials.token"),
        ({"provider": "ynab", "credentials": {"token": "t"}}, "config.budget_id"),
        ({"provider": "mint", "credentials": {"token": "t"}}, "provider"),
        (
            {
                "provider": "ynab",
                "credentials": {"token": "t"},
                "config": {"budget_id": "b"},
                "account_map": {"x": "not-a-member"},
            },
            "account_map.x",
        ),
        ({"provider": "file", "config": {"csv_mapping": {"date_col": "D"}}}, "config.csv_mapping"),
        ({"provider": "file", "credentials": {"token": "t"}}, "credentials"),
        (
            {
                "provider": "ynab",
                "credentials": {"token": "t"},
                "config": {"budget_id": "b"},
                "sync_interval_minutes": 1,
            },
            "sync_interval_minutes",
        ),
    ],
)
def test_bad_connections_are_422_naming_the_field(
    sam: Caller, body: dict[str, Any], field: str
) -> None:
    home = sam.household()
    response = sam.post(f"/v1/households/{home['id']}/connections", json=body)
    assert_problem(response, 422, field=field)


def test_only_admins_manage_connections_and_other_households_get_404(
    sam: Caller, alex: Caller
) -> None:
    home = sam.household()
    join(sam, alex, home["id"])
    created = ynab(sam, home["id"])
    url = f"/v1/households/{home['id']}/connections"
    assert_problem(alex.post(url, json={"provider": "file"}), 403)
    assert_problem(alex.delete(f"{url}/{created['id']}"), 403)
    assert alex.get(f"{url}/{created['id']}").status_code == 200
    stranger = Caller(alex.client, alex.token, alex.user_id, alex.email)
    other = stranger.household()
    assert_problem(stranger.get(f"/v1/households/{other['id']}/connections/{created['id']}"), 404)


def test_patch_replaces_credentials_keeps_them_hidden_and_checks_if_match(
    sam: Caller, engine: Engine
) -> None:
    home = sam.household()
    created = ynab(sam, home["id"])
    url = f"/v1/households/{home['id']}/connections/{created['id']}"
    before = fetch(engine, Connection, created["id"]).credentials
    changed = sam.patch(
        url, json={"credentials": {"token": "new"}, "name": "YNAB"}, headers={"If-Match": '"1"'}
    )
    assert changed.status_code == 200, changed.text
    assert "new" not in changed.text.replace('"name":"YNAB"', "")
    assert fetch(engine, Connection, created["id"]).credentials != before
    assert_problem(sam.patch(url, json={"name": "x"}, headers={"If-Match": '"1"'}), 412)
    renamed = sam.patch(url, json={"config": {"budget_id": "other"}})
    assert renamed.status_code == 200, renamed.text
    assert_problem(sam.patch(url, json={"config": {"nonsense": 1}}), 422, field="config.nonsense")
    assert sam.delete(url).status_code == 204
    assert_problem(sam.get(url), 404)


def test_sync_books_new_rows_then_follows_changes_and_deletions(
    sam: Caller, engine: Engine, serve: Callable[[Any], None]
) -> None:
    home = sam.household()
    me = member_of(sam, home["id"])
    rule(sam, home["id"], payee="rewe", action="shared")
    connection = ynab(sam, home["id"], account_map={CHECKING: me})
    fake = FakeYnab(
        pages={
            None: (
                [
                    ynab_transaction("t1", "2026-03-01", -45_100, "REWE"),
                    ynab_transaction("t2", "2026-03-02", -3_200, "Coffee"),
                ],
                10,
            ),
            "10": (
                [
                    ynab_transaction("t1", "2026-03-01", -47_000, "REWE"),
                    ynab_transaction("t3", "2026-03-03", -20_000, "REWE", deleted=True),
                ],
                12,
            ),
            "12": ([ynab_transaction("t1", "2026-03-01", -47_000, "REWE", deleted=True)], 13),
        }
    )
    serve(fake)
    first = sync(sam, home["id"], connection["id"])
    assert first["status"] == "succeeded"
    assert first["counts"] == {**first["counts"], "read": 2, "created": 1, "needs_review": 1}
    [expense] = expenses(sam, home["id"])
    assert (expense["amount"], expense["paid_by"]) == (4510, me)

    second = sync(sam, home["id"], connection["id"])
    assert second["counts"] == {**second["counts"], "updated": 1, "skipped": 1, "created": 0}
    assert expenses(sam, home["id"])[0]["amount"] == 4700
    row = _row(engine, "t1")
    assert row.revision == 2 and row.amount == -4700

    third = sync(sam, home["id"], connection["id"])
    assert third["counts"]["deleted"] == 1
    assert count(engine, Expense) == 0
    assert _row(engine, "t1").outcome == "deleted"
    assert fake.cursors == [None, "10", "12"]
    assert count(engine, Event, Event.type == "imported_transaction.revised") == 2
    assert fetch(engine, Connection, connection["id"]).cursor == "13"


def test_a_failing_source_fails_the_run_and_keeps_the_cursor(
    sam: Caller, engine: Engine, serve: Callable[[Any], None]
) -> None:
    home = sam.household()
    connection = ynab(sam, home["id"])
    fake = FakeYnab(pages={None: ([ynab_transaction("t1", "2026-03-01", -1000, "A")], 5)})
    serve(fake)
    sync(sam, home["id"], connection["id"])
    for status, body in ((401, None), (200, b"{not json")):
        fake.status, fake.body = status, body
        failed = sync(sam, home["id"], connection["id"])
        assert failed["status"] == "failed"
        assert failed["reason"]
        assert TOKEN not in failed["reason"]
        assert fetch(engine, Connection, connection["id"]).cursor == "5"
    fake.status, fake.body = 200, None
    sync(sam, home["id"], connection["id"])
    assert fake.cursors[-1] == "5"
    runs = sam.get(
        f"/v1/households/{home['id']}/imports", params={"connection_id": connection["id"]}
    ).json()["data"]
    assert [r["status"] for r in runs] == ["succeeded", "failed", "failed", "succeeded"]


def test_credentials_unreadable_after_the_key_changes_fail_the_run(
    sam: Caller, app: FastAPI, engine: Engine, serve: Callable[[Any], None]
) -> None:
    home = sam.household()
    connection = ynab(sam, home["id"])
    serve(FakeYnab())
    app.state.settings = app.state.settings.model_copy(
        update={"secret_key": SecretStr("another-secret-key-entirely")}
    )
    failed = sync(sam, home["id"], connection["id"])
    assert failed["status"] == "failed" and "FAIRSTEAD_SECRET_KEY" in failed["reason"]
    assert fetch(engine, Connection, connection["id"]).cursor is None


def test_the_same_purchase_from_a_bank_file_and_ynab_is_flagged_not_dropped(
    sam: Caller, engine: Engine, serve: Callable[[Any], None]
) -> None:
    home = sam.household()
    me = member_of(sam, home["id"])
    rule(sam, home["id"], payee="rewe", action="shared")
    imported(sam, home["id"], qif([("2026-03-01", "-45.10", "REWE Markt 1234 Berlin")]))
    connection = ynab(sam, home["id"], account_map={CHECKING: me})
    serve(FakeYnab(pages={None: ([ynab_transaction("t1", "2026-03-01", -45_100, "Rewe")], 3)}))
    run = sync(sam, home["id"], connection["id"])
    assert run["counts"]["needs_review"] == 1 and run["counts"]["created"] == 0
    [flagged] = reviews(sam, home["id"])
    assert flagged["duplicate_of_id"] is not None
    assert "another source" in flagged["reason"]
    url = f"/v1/households/{home['id']}/import-reviews/{flagged['id']}/resolve"
    assert sam.post(url, json={"action": "duplicate"}).json()["outcome"] == "ignored"
    assert count(engine, Expense) == 1


def test_transfers_are_not_spending_and_splits_become_one_expense_per_leaf(
    sam: Caller, engine: Engine, serve: Callable[[Any], None]
) -> None:
    home = sam.household()
    me = member_of(sam, home["id"])
    rule(sam, home["id"], action="shared")
    connection = ynab(sam, home["id"], account_map={CHECKING: me, SAVINGS: "joint"})
    split = ynab_transaction(
        "s1",
        "2026-03-04",
        -30_000,
        "Market",
        subtransactions=[
            {"id": "s1a", "amount": -20_000, "memo": "food", "category_name": "Groceries"},
            {"id": "s1b", "amount": -10_000, "memo": "flowers", "category_name": "Gifts"},
        ],
    )
    transfer = ynab_transaction(
        "x1",
        "2026-03-05",
        -50_000,
        "Transfer : Savings",
        transfer_account_id=SAVINGS,
        transfer_transaction_id="x2",
    )
    serve(FakeYnab(pages={None: ([split, transfer], 4)}))
    run = sync(sam, home["id"], connection["id"])
    assert run["counts"] == {**run["counts"], "created": 2, "skipped": 1}, run
    assert sorted(e["amount"] for e in expenses(sam, home["id"])) == [1000, 2000]


def test_splitwise_shares_and_payments_map_to_members(
    sam: Caller, alex: Caller, engine: Engine, serve: Callable[[Any], None]
) -> None:
    home = sam.household()
    join(sam, alex, home["id"])
    me, them = member_of(sam, home["id"]), member_of(alex, home["id"])
    response = sam.post(
        f"/v1/households/{home['id']}/connections",
        json={
            "provider": "splitwise",
            "credentials": {"api_key": "k"},
            "member_map": {"1": me, "2": them},
        },
    )
    assert response.status_code == 201, response.text
    serve(
        FakeSplitwise(
            expenses=[
                splitwise_expense(100, "50.00", [(1, "50.00", "20.00"), (2, "0.00", "30.00")]),
                splitwise_expense(
                    101, "30.00", [(2, "30.00", "0.00"), (1, "0.00", "30.00")], payment=True
                ),
            ]
        )
    )
    run = sync(sam, home["id"], response.json()["id"])
    assert run["counts"]["created"] == 2, run
    [expense] = expenses(sam, home["id"])
    assert expense["paid_by"] == me
    assert {s["member_id"]: s["amount"] for s in expense["shares"]} == {me: 2000, them: 3000}
    with Session(engine) as session:
        settlement = session.scalars(select(Settlement)).one()
    assert (settlement.from_member_id, settlement.to_member_id, settlement.amount) == (
        them,
        me,
        3000,
    )
    balances = sam.get(f"/v1/households/{home['id']}/balances").json()["data"]
    assert all(b["net"] == 0 for b in balances)


def test_a_file_connection_cannot_sync_and_unknown_ids_are_404(sam: Caller, alex: Caller) -> None:
    home = sam.household()
    file = sam.post(f"/v1/households/{home['id']}/connections", json={"provider": "file"})
    url = f"/v1/households/{home['id']}/connections/{file.json()['id']}/sync"
    assert_problem(sam.post(url), 409)
    other = alex.household()
    assert_problem(alex.post(url.replace(home["id"], other["id"])), 404)


def test_the_worker_syncs_due_connections_once_per_interval(
    sam: Caller,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    home = sam.household()
    connection = ynab(sam, home["id"], sync_interval_minutes=60)
    fake = FakeYnab(pages={None: ([ynab_transaction("t1", "2026-03-01", -1000, "A")], 7)})
    monkeypatch.setattr(
        jobs, "http_client", lambda: httpx.Client(transport=httpx.MockTransport(fake))
    )
    monkeypatch.setenv("FAIRSTEAD_SECRET_KEY", SECRET)
    get_settings.cache_clear()
    try:
        now = datetime.now(UTC) + timedelta(seconds=1)
        for at, expected in (
            (now, 1),
            (now + timedelta(minutes=5), 0),
            (now + timedelta(minutes=61), 1),
        ):
            with Session(engine) as session:
                synced = jobs.JOBS["connection_sync"](session, at)
                session.commit()
            # A sync that raised is logged and skipped: show why (this failed once under load).
            assert synced == expected, (at - now, caplog.text[-3000:])
    finally:
        get_settings.cache_clear()
    assert count(engine, ImportRun) == 2
    assert fetch(engine, Connection, connection["id"]).cursor == "7"
    assert count(engine, ImportedRow) == 1


def _row(engine: Engine, source_id: str) -> ImportedRow:
    with Session(engine) as session:
        return session.scalars(select(ImportedRow).where(ImportedRow.source_id == source_id)).one()
