"""Bank file uploads: exactly once, good rows land, bad files refused."""

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from domain.activity.models import Event
from domain.activity.service import Actor
from domain.db import unit_of_work
from domain.households.models import Household
from domain.imports.models import ImportedRow, ImportRun
from domain.ledger.models import Expense
from domain.settings import Settings
from integrations.file_import import FileOptions, import_file
from tests.api.conftest import Caller, assert_problem, count
from tests.api.imports_builders import (
    CSV_MAPPING,
    csv_file,
    expenses,
    imported,
    member_of,
    qif,
    share_everything,
    upload,
)

MARCH = [
    ("2026-03-01", "-3.20", "Coffee Corner"),
    ("2026-03-02", "-45.10", "REWE Markt"),
    ("2026-03-03", "-12.00", "Pharmacy"),
]


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url, db_pool_size=20, max_body_bytes=1024, import_max_bytes=4096
    )


def test_upload_creates_shared_expenses_paid_by_the_uploader(sam: Caller) -> None:
    home = sam.household()
    share_everything(sam, home["id"])
    run = imported(sam, home["id"], qif(MARCH))
    assert run["status"] == "succeeded"
    assert run["format"] == "qif"
    assert run["counts"] == {
        "read": 3,
        "created": 3,
        "updated": 0,
        "deleted": 0,
        "duplicates": 0,
        "skipped": 0,
        "needs_review": 0,
        "failed": 0,
    }
    coffee = next(e for e in expenses(sam, home["id"]) if e["description"] == "Coffee Corner")
    assert coffee["amount"] == 320
    assert coffee["date"] == "2026-03-01"
    assert coffee["paid_by"] == member_of(sam, home["id"])


def test_reimporting_the_same_file_creates_nothing(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    share_everything(sam, home["id"])
    imported(sam, home["id"], qif(MARCH))
    again = imported(sam, home["id"], qif(MARCH))
    assert again["counts"]["created"] == 0
    assert again["counts"]["duplicates"] == 3
    assert count(engine, Expense) == 3


def test_an_overlapping_file_creates_only_the_new_rows(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    share_everything(sam, home["id"])
    imported(sam, home["id"], qif(MARCH))
    later = [*MARCH[1:], ("2026-03-04", "-7.50", "Bakery")]
    run = imported(sam, home["id"], qif(later))
    assert run["counts"]["created"] == 1
    assert run["counts"]["duplicates"] == 2
    assert count(engine, Expense) == 4


def test_two_identical_coffees_on_one_day_stay_two_and_reimport_keeps_two(
    sam: Caller, engine: Engine
) -> None:
    home = sam.household()
    share_everything(sam, home["id"])
    coffees = [("2026-03-01", "-3.20", "Coffee Corner")] * 2
    assert imported(sam, home["id"], qif(coffees))["counts"]["created"] == 2
    assert imported(sam, home["id"], qif(coffees))["counts"]["created"] == 0
    # A third coffee that day, in a later download of the same account, is new.
    three = imported(sam, home["id"], qif([*coffees, coffees[0]]))
    assert three["counts"] == {**three["counts"], "created": 1, "duplicates": 2}
    assert count(engine, Expense) == 3


def test_unmatched_rows_wait_for_review_and_touch_no_ledger(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    run = imported(sam, home["id"], qif(MARCH))
    assert run["counts"]["needs_review"] == 3
    assert count(engine, Expense) == 0
    queue = sam.get(f"/v1/households/{home['id']}/import-reviews").json()["data"]
    assert {r["payee"] for r in queue} == {"Coffee Corner", "REWE Markt", "Pharmacy"}
    assert all(r["outcome"] == "needs_review" and r["reason"] == "no rule matched" for r in queue)


def test_good_rows_land_when_some_rows_fail(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    share_everything(sam, home["id"])
    data = qif(MARCH).replace(b"D2026-03-02", b"D2026-13-45")
    run = imported(sam, home["id"], data)
    assert run["status"] == "succeeded"
    assert run["counts"]["created"] == 2
    assert run["counts"]["failed"] == 1
    [error] = run["errors"]
    assert error["line"] is not None and error["reason"]
    assert count(engine, Expense) == 2


def test_an_import_whose_every_row_failed_has_failed(sam: Caller, engine: Engine) -> None:
    home = sam.household()
    share_everything(sam, home["id"])
    data = qif(MARCH).replace(b"D2026-03-0", b"D2026-13-4")
    run = imported(sam, home["id"], data)
    assert run["status"] == "failed"
    assert run["counts"]["read"] == run["counts"]["failed"] == 3
    assert "every row failed" in run["reason"]
    assert [error["line"] for error in run["errors"]] == [2, 6, 10]
    assert count(engine, Expense) == 0


def test_a_row_the_ledger_refuses_is_reported_and_retried_on_the_next_import(
    sam: Caller, engine: Engine
) -> None:
    home = sam.household()
    share_everything(sam, home["id"])
    dollars = [("2026-03-05", "-10.00", "Diner")]
    run = imported(sam, home["id"], qif(dollars), currency="USD")
    assert run["counts"]["failed"] == 1
    assert "exchange_rate" in run["errors"][0]["reason"] or "rate" in run["errors"][0]["reason"]
    assert count(engine, ImportedRow) == 0
    rate = sam.put(
        f"/v1/households/{home['id']}/exchange-rates",
        json={"rates": [{"currency": "USD", "date": "2026-03-05", "rate": "0.9"}]},
    )
    assert rate.status_code in (200, 204), rate.text
    again = imported(sam, home["id"], qif(dollars), currency="USD")
    assert again["counts"]["created"] == 1
    assert expenses(sam, home["id"])[0]["amount"] == 900


def test_csv_through_a_file_connection_with_a_preamble_and_decimal_commas(sam: Caller) -> None:
    home = sam.household()
    share_everything(sam, home["id"])
    connection = sam.post(
        f"/v1/households/{home['id']}/connections",
        json={
            "provider": "file",
            "name": "Sparkasse",
            "config": {"csv_mapping": {**CSV_MAPPING, "skip_rows": 2}},
        },
    )
    assert connection.status_code == 201, connection.text
    data = csv_file(MARCH, preamble=["Kontoauszug", "Konto DE89;;"])
    run = imported(
        sam, home["id"], data, filename="umsatz.csv", connection_id=connection.json()["id"]
    )
    assert run["format"] == "csv", run
    assert run["counts"]["created"] == 3, run
    assert sorted(e["amount"] for e in expenses(sam, home["id"])) == [320, 1200, 4510]


def test_a_csv_without_a_mapping_names_the_connection(sam: Caller) -> None:
    home = sam.household()
    response = upload(sam, home["id"], csv_file(MARCH), filename="x.csv")
    assert_problem(response, 422, field="connection_id")


def test_a_file_over_the_import_limit_is_413_but_larger_than_the_json_limit_is_fine(
    sam: Caller, engine: Engine
) -> None:
    home = sam.household()
    medium = qif([("2026-03-01", "-1.00", f"Shop {i}") for i in range(40)])
    assert 1024 < len(medium) < 4096
    assert upload(sam, home["id"], medium).status_code == 201
    big = qif([("2026-03-01", "-1.00", f"Shop {i}") for i in range(200)])
    assert len(big) > 4096
    assert_problem(upload(sam, home["id"], big), 413)
    assert count(engine, ImportRun) == 1


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"", "empty.qif"),
        (b"   \n\n", "blank.csv"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "picture.png"),
        (b"hello, this is a letter\nnot a statement at all", "letter.txt"),
    ],
)
def test_unreadable_files_are_422_and_leave_no_run(
    sam: Caller, engine: Engine, data: bytes, filename: str
) -> None:
    home = sam.household()
    response = upload(sam, home["id"], data, filename=filename)
    assert response.status_code == 422, response.text
    assert_problem(response, 422)
    assert count(engine, ImportRun) == 0


def test_an_unknown_format_name_is_422(sam: Caller) -> None:
    home = sam.household()
    assert_problem(upload(sam, home["id"], qif(MARCH), format="xls"), 422, field="format")


def test_runs_are_listed_newest_first_and_record_import_finished(
    sam: Caller, engine: Engine
) -> None:
    home = sam.household()
    first = imported(sam, home["id"], qif(MARCH))
    second = imported(sam, home["id"], qif(MARCH))
    listed = sam.get(f"/v1/households/{home['id']}/imports").json()["data"]
    assert [r["id"] for r in listed] == [second["id"], first["id"]]
    got = sam.get(f"/v1/households/{home['id']}/imports/{first['id']}")
    assert got.status_code == 200
    assert got.json()["counts"]["needs_review"] == 3
    assert count(engine, Event, Event.type == "import.finished") == 2


def test_other_households_imports_are_404(sam: Caller, alex: Caller) -> None:
    home = sam.household()
    run = imported(sam, home["id"], qif(MARCH))
    theirs = alex.household()
    assert_problem(alex.get(f"/v1/households/{home['id']}/imports/{run['id']}"), 404)
    assert_problem(alex.get(f"/v1/households/{theirs['id']}/imports/{run['id']}"), 404)
    assert_problem(upload(alex, home["id"], qif(MARCH)), 404)


def test_a_connection_of_another_household_is_404(sam: Caller, alex: Caller) -> None:
    home = sam.household()
    connection = sam.post(
        f"/v1/households/{home['id']}/connections", json={"provider": "file"}
    ).json()
    theirs = alex.household()
    response = upload(alex, theirs["id"], qif(MARCH), connection_id=connection["id"])
    assert_problem(response, 404)


def test_two_concurrent_imports_of_one_file_book_it_once(sam: Caller, engine: Engine) -> None:
    """The unique key, not a check before inserting, keeps it exactly once: on PostgreSQL
    the second import waits on the first's keys and then counts them as duplicates."""
    home = sam.household()
    share_everything(sam, home["id"])
    member = member_of(sam, home["id"])
    barrier = threading.Barrier(2)
    runs: list[ImportRun] = []

    def work() -> None:
        barrier.wait()
        with unit_of_work(engine) as session:
            household = session.get(Household, home["id"])
            assert household is not None
            runs.append(
                import_file(
                    session,
                    household=household,
                    actor=Actor(user_id=None, member_id=None),
                    data=qif(MARCH),
                    filename="march.qif",
                    options=FileOptions(currency="EUR"),
                    connection=None,
                    default_member=member,
                    now=datetime.now(UTC),
                )
            )

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.counts["created"] for r in runs) == [0, 3]
    assert sorted(r.counts["duplicates"] for r in runs) == [0, 3]
    assert count(engine, Expense) == 3


def test_a_payee_the_bank_respelled_is_flagged_not_booked_twice(
    sam: Caller, engine: Engine
) -> None:
    home = sam.household()
    share_everything(sam, home["id"])
    imported(sam, home["id"], qif([("2026-03-02", "-45.10", "REWE Markt")]))
    run = imported(sam, home["id"], qif([("2026-03-02", "-45.10", "REWE Markt 1234 Berlin")]))
    assert run["counts"] == {**run["counts"], "created": 0, "needs_review": 1}
    [flagged] = sam.get(f"/v1/households/{home['id']}/import-reviews").json()["data"]
    assert flagged["duplicate_of_id"] is not None
    assert count(engine, Expense) == 1


def test_imported_expenses_are_split_and_recorded_like_typed_ones(sam: Caller) -> None:
    """Shared rows are written many at a time (domain.ledger.expenses.ExpenseWriter): each
    still gets its uneven split, its payer and its activity event, as a typed expense."""
    home = sam.household()
    sam.member(home["id"])
    sam.member(home["id"], display_name="Kim")
    share_everything(sam, home["id"])
    me = member_of(sam, home["id"])
    imported(sam, home["id"], qif(MARCH))
    listed = expenses(sam, home["id"])
    assert sorted(e["amount"] for e in listed) == [320, 1200, 4510]
    for expense in listed:
        shares = [s["amount"] for s in expense["shares"]]
        assert len(shares) == 3 and sum(shares) == expense["amount"]
        assert max(shares) - min(shares) <= 1
        assert expense["payers"] == [{"member_id": me, "amount": expense["amount"]}]
    feed = sam.get(f"/v1/households/{home['id']}/activity", params={"limit": 200})
    assert feed.status_code == 200, feed.text
    created = [e for e in feed.json()["data"] if e["type"] == "expense.created"]
    assert sorted(e["subject_id"] for e in created) == sorted(e["id"] for e in listed)
