"""Import throughput: a 100,000-row CSV and OFX file through the whole import service.

    .venv/bin/python bench/imports.py [--rows N]

For each format: parse the file, then dedupe, apply rules and store (imported rows, and the
expenses the rules share, through the ledger service) into a fresh SQLite database built by
the migrations, in one transaction as the API does; then import the same file again (every
row a duplicate). Beside it, in the same run, a raw `sqlite3` `executemany` of the same
parsed rows into a bare table, as the floor no importer goes below.

Rules: "Supermarket" and "Rent" rows are shared, "Streaming" rows personal, the rest wait
for review, so 1 row in 4 becomes an expense (most of the time goes to the ledger service
making those). The last line shares nothing: deduplication, rules and storing alone.
"""

import argparse
import sqlite3
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from domain.activity.service import Actor
from domain.db import make_engine, unit_of_work, yielding_commit
from domain.households.models import Household, Member
from domain.imports.models import FILE_SCOPE, ImportRule
from domain.imports.pipeline import Source, import_batch
from domain.imports.records import Batch, CsvMapping
from domain.imports.runs import Tally, finish_run, start_run
from integrations.files import parse_file
from migrations.runner import upgrade

PAYEES = ["Supermarket", "Bakery", "Streaming", "Rent", "Pharmacy", "Cinema", "Fuel", "Cafe"]
START = date(2024, 1, 1)
MAPPING = CsvMapping(
    date_column="Date",
    amount_column="Amount",
    payee_column="Payee",
    currency="EUR",
    delimiter=",",
)


def amount(i: int) -> str:
    cents = 100 + (i * 7919) % 20000
    return f"-{cents // 100}.{cents % 100:02d}"


def day(i: int) -> date:
    return START + timedelta(days=i // 60)


def csv_bytes(rows: int) -> bytes:
    lines = ["Date,Amount,Payee"]
    lines += [f"{day(i).isoformat()},{amount(i)},{PAYEES[i % 8]} {i % 13}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def ofx_bytes(rows: int) -> bytes:
    head = (
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
        "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
        "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>"
        "<DTSERVER>20260301<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>"
        "<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>"
        "<STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>1<ACCTID>DE89<ACCTTYPE>CHECKING"
        "</BANKACCTFROM><BANKTRANLIST><DTSTART>20240101<DTEND>20260301\n"
    )
    body = [
        f"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>{day(i):%Y%m%d}<TRNAMT>{amount(i)}"
        f"<FITID>F{i}<NAME>{PAYEES[i % 8]} {i % 13}</STMTTRN>"
        for i in range(rows)
    ]
    tail = (
        "\n</BANKTRANLIST><LEDGERBAL><BALAMT>0<DTASOF>20260301</LEDGERBAL></STMTRS>"
        "</STMTTRNRS></BANKMSGSRSV1></OFX>\n"
    )
    return (head + "\n".join(body) + tail).encode()


def fresh_database(folder: Path, *, share: bool) -> tuple[str, str, str]:
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    engine = make_engine(url, pool_size=2)
    with unit_of_work(engine) as session:
        household = Household(name="Bench", currency="EUR", timezone="Europe/Berlin")
        session.add(household)
        session.flush()
        member = Member(household_id=household.id, display_name="Sam", role="admin")
        session.add(member)
        rules = [("Supermarket", "shared"), ("Rent", "shared"), ("Streaming", "personal")]
        for position, (payee, action) in enumerate(rules if share else rules[2:]):
            session.add(
                ImportRule(household_id=household.id, position=position, payee=payee, action=action)
            )
        ids = household.id, member.id
    engine.dispose()
    return url, *ids


def store(
    url: str, household_id: str, member_id: str, batch: Batch, *, chunked: bool = False
) -> Tally:
    """One import run; `chunked` commits in short chunks as the API and the CLI do."""
    engine = make_engine(url, pool_size=2)
    now = datetime.now(UTC)
    actor = Actor(user_id=None, member_id=None)
    with unit_of_work(engine) as session:
        household = session.get(Household, household_id)
        assert household is not None
        run = start_run(session, household_id=household_id, actor=actor, source="file", now=now)
        tally = import_batch(
            session,
            household=household,
            actor=actor,
            run=run,
            source=Source(scope=FILE_SCOPE, default_member=member_id),
            batch=batch,
            now=now,
            checkpoint=yielding_commit(session) if chunked else None,
        )
        finish_run(session, run=run, actor=actor, tally=tally, now=now)
    engine.dispose()
    return tally


def raw_executemany(folder: Path, batch: Batch) -> float:
    connection = sqlite3.connect(folder / "raw.db")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(
        "CREATE TABLE rows (source_id TEXT, account TEXT, date TEXT, amount INTEGER, "
        "currency TEXT, payee TEXT)"
    )
    values = [
        (t.source_id, t.account, t.date.isoformat(), t.amount, t.currency, t.payee)
        for t in batch.transactions
    ]
    started = time.perf_counter()
    with connection:
        connection.executemany("INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?)", values)
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def timed(work: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def bench(name: str, data: bytes, rows: int, *, share: bool = True) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        url, household_id, member_id = fresh_database(Path(folder), share=share)
        parse_s, batch = timed(lambda: parse_file(data, csv_mapping=MAPPING))
        assert isinstance(batch, Batch) and len(batch.transactions) == rows, batch.errors[:3]
        store_s, tally = timed(lambda: store(url, household_id, member_id, batch))
        again_s, again = timed(lambda: store(url, household_id, member_id, batch))
        raw_s = raw_executemany(Path(folder), batch)
    assert isinstance(tally, Tally) and isinstance(again, Tally)
    assert again.counts.duplicates == rows, again.counts
    total = parse_s + store_s
    return [
        name,
        f"{rows:,}",
        f"{tally.counts.created:,}",
        f"{parse_s:.2f}",
        f"{store_s:.2f}",
        f"{rows / total:,.0f}",
        f"{rows / (parse_s + again_s):,.0f}",
        f"{rows / raw_s:,.0f}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    header = [
        "format",
        "rows",
        "expenses",
        "parse s",
        "store s",
        "import rows/s",
        "re-import rows/s",
        "raw executemany rows/s",
    ]
    table = [
        header,
        bench("CSV", csv_bytes(rows), rows),
        bench("OFX", ofx_bytes(rows), rows),
        bench("CSV, nothing shared", csv_bytes(rows), rows, share=False),
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        print("  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True)))


if __name__ == "__main__":
    main()
