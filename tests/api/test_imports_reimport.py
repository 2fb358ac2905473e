"""Importing a file again: every row it booked, sent to review or skipped is a duplicate,
whatever happened since (an expense deleted, the rules changed); the rows it could not
read fail again with the same reasons; nothing in the ledger or the review queue moves.

One scenario per file format, so both kinds of key are covered: source ids (OFX FITIDs,
CAMT references) and content hashes (QIF, CSV, CAMT entries without a reference).
"""

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.imports.models import ImportedRow
from domain.ledger.models import Expense
from tests.api.conftest import Caller
from tests.api.imports_builders import CSV_MAPPING, Row, csv_file, imported, qif, rule

FIXTURES = Path(__file__).parents[1] / "integrations" / "files" / "fixtures"
ROWS: list[Row] = [
    ("2026-03-01", "-3.20", "Coffee Corner"),
    ("2026-03-01", "-3.20", "Coffee Corner"),  # a second coffee that day: its own row
    ("2026-03-02", "-45.10", "REWE Markt"),  # no rule: waits for review
    ("2026-03-03", "-12.00", "Pharmacy"),  # looks like the other source's row: review
    ("2026-03-04", "-7.50", "Bakery"),  # refused: no date
]
OTHER_SOURCE: list[Row] = [("2026-03-03", "-12.00", "Pharmacy Berlin")]


def ofx(rows: list[Row]) -> bytes:
    entries = "".join(
        f"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>{day.replace('-', '')}<TRNAMT>{amount}"
        f"<FITID>F{index}<NAME>{payee}</STMTTRN>\n"
        for index, (day, amount, payee) in enumerate(rows)
    )
    return (
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
        "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
        "<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>"
        "<STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>1<ACCTID>DE89<ACCTTYPE>CHECKING"
        "</BANKACCTFROM><BANKTRANLIST><DTSTART>20260301<DTEND>20260331\n"
        f"{entries}</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"
    ).encode()


def other_source(sam: Caller, home: str) -> None:
    """A card statement, through its own connection, holding a row like one of `ROWS`."""
    connection = sam.post(
        f"/v1/households/{home}/connections",
        json={"provider": "file", "name": "Card", "config": {}},
    )
    assert connection.status_code == 201, connection.text
    form = {"connection_id": connection.json()["id"], "account": "card"}
    imported(sam, home, qif(OTHER_SOURCE), filename="card.qif", **form)


def unreadable(rows: list[Row]) -> list[Row]:
    """The last row with a date no format reads."""
    *good, (_, amount, payee) = rows
    return [*good, ("2026-13-45", amount, payee)]


def upload_form(sam: Caller, home: str, format: str) -> tuple[bytes, dict[str, str]]:
    if format == "qif":
        return qif(unreadable(ROWS)), {}
    if format == "ofx":
        return ofx(unreadable(ROWS)), {"filename": "statement.ofx"}
    if format == "csv":
        connection = sam.post(
            f"/v1/households/{home}/connections",
            json={"provider": "file", "name": "Bank", "config": {"csv_mapping": CSV_MAPPING}},
        )
        assert connection.status_code == 201, connection.text
        form = {"filename": "umsatz.csv", "connection_id": connection.json()["id"]}
        return csv_file(unreadable(ROWS)), form
    data = (FIXTURES / "camt053_v02.xml").read_bytes()
    return data, {"filename": "statement.xml", "include_pending": "true"}


def stored(engine: Engine) -> list[tuple[Any, ...]]:
    """Everything a re-import could change about the imported rows."""
    table = ImportedRow
    with Session(engine) as session:
        query = select(
            table.id,
            table.key,
            table.content_hash,
            table.outcome,
            table.reason,
            table.rule_id,
            table.expense_id,
            table.duplicate_of_id,
            table.run_id,
            table.revision,
            table.version,
        ).order_by(table.id)
        return [tuple(row) for row in session.execute(query)]


def expense_ids(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return sorted(session.scalars(select(Expense.id)))


@pytest.mark.parametrize("format", ["qif", "csv", "ofx", "camt053"])
def test_a_file_imported_again_is_all_duplicates_and_changes_nothing(
    sam: Caller, engine: Engine, format: str
) -> None:
    home = sam.household()["id"]
    coffee = rule(sam, home, name="coffee", payee="Coffee", action="shared")
    rule(sam, home, name="utilities", payee="Stadtwerke", action="shared")
    other_source(sam, home)
    data, form = upload_form(sam, home, format)
    first = imported(sam, home, data, **form)
    assert first["format"] == format
    counts = first["counts"]
    assert counts["created"] >= 1 and counts["needs_review"] >= 1, counts
    # What the first import left may change in the ledger: neither changes a re-import.
    deleted = sam.delete(f"/v1/households/{home}/expenses/{expense_ids(engine)[0]}")
    assert deleted.status_code == 204, deleted.text
    assert sam.delete(f"/v1/households/{home}/import-rules/{coffee['id']}").status_code == 204
    rule(sam, home, name="everything", action="shared")
    rows, expenses = stored(engine), expense_ids(engine)
    queue = sam.get(f"/v1/households/{home}/import-reviews", params={"limit": 200}).json()

    again = imported(sam, home, data, **form)

    written = counts["created"] + counts["needs_review"] + counts["skipped"]
    pending = counts["skipped"] if format == "camt053" else 0  # pending rows: never stored
    assert again["counts"] == {
        "read": counts["read"],
        "created": 0,
        "updated": 0,
        "deleted": 0,
        "duplicates": written - pending,
        "skipped": pending,
        "needs_review": 0,
        "failed": counts["failed"],
    }
    assert again["errors"] == first["errors"]
    assert again["status"] == first["status"] == "succeeded"
    assert stored(engine) == rows
    assert expense_ids(engine) == expenses
    assert sam.get(f"/v1/households/{home}/import-reviews", params={"limit": 200}).json() == queue


def test_the_look_alike_and_the_unread_row_are_reported_as_before(
    sam: Caller, engine: Engine
) -> None:
    """The QIF scenario's first import, spelled out: what the re-import above repeats."""
    home = sam.household()["id"]
    rule(sam, home, name="coffee", payee="Coffee", action="shared")
    other_source(sam, home)
    first = imported(sam, home, qif(unreadable(ROWS)))
    assert first["counts"] == {
        "read": 5,
        "created": 2,
        "updated": 0,
        "deleted": 0,
        "duplicates": 0,
        "skipped": 0,
        "needs_review": 2,
        "failed": 1,
    }
    [error] = first["errors"]
    assert error["line"] == 18 and "2026-13-45" in error["reason"]
    queue = sam.get(f"/v1/households/{home}/import-reviews", params={"limit": 200}).json()["data"]
    by_payee = {row["payee"]: row for row in queue}
    assert by_payee["Pharmacy"]["duplicate_of_id"] == by_payee["Pharmacy Berlin"]["id"]
    assert by_payee["Pharmacy"]["reason"].startswith("looks like imported transaction")
    assert by_payee["REWE Markt"]["reason"] == "no rule matched"


def test_a_row_whose_date_moved_at_the_bank_is_found_by_its_id_and_updated(
    sam: Caller, engine: Engine
) -> None:
    """Stored keys are read by the file's days first; a row keyed by its id is found on
    another day too."""
    home = sam.household()["id"]
    rows: list[Row] = [("2026-03-01", "-3.20", "Coffee Corner"), ("2026-03-02", "-9.00", "Kiosk")]
    imported(sam, home, ofx(rows), filename="statement.ofx")
    moved = [rows[0], ("2026-03-09", "-9.00", "Kiosk")]
    run = imported(sam, home, ofx(moved), filename="statement.ofx")
    assert run["counts"] == {**run["counts"], "read": 2, "duplicates": 1, "updated": 1}
    with Session(engine) as session:
        days = session.scalars(select(ImportedRow.date).order_by(ImportedRow.date)).all()
    assert [day.isoformat() for day in days] == ["2026-03-01", "2026-03-09"]


def test_a_new_row_in_a_file_imported_again_is_still_matched_to_a_look_alike(
    sam: Caller,
) -> None:
    home = sam.household()["id"]
    other_source(sam, home)
    imported(sam, home, qif(ROWS[:3]))
    run = imported(sam, home, qif(ROWS[:4]))
    assert run["counts"] == {**run["counts"], "duplicates": 3, "needs_review": 1}
    queue = sam.get(f"/v1/households/{home}/import-reviews", params={"limit": 200}).json()["data"]
    by_payee = {row["payee"]: row for row in queue}
    assert by_payee["Pharmacy"]["duplicate_of_id"] == by_payee["Pharmacy Berlin"]["id"]
