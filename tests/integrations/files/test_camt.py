import datetime as dt
from pathlib import Path

import pytest

from domain.errors import InvalidInput
from domain.imports.records import Batch, Kind, RowError
from integrations.files import parse_camt053

FIXTURES = Path(__file__).parent / "fixtures"
IBAN = "DE89370400440532013000"


def rows(batch: Batch) -> list[tuple[object, ...]]:
    return [
        (row.line, row.source_id, row.date, row.amount, row.payee, row.memo, row.parent_id)
        for row in batch.transactions
    ]


def document(entries: str, version: str = "02") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}">'
        f"<BkToCstmrStmt><Stmt><Acct><Id><IBAN>{IBAN}</IBAN></Id></Acct>{entries}"
        "</Stmt></BkToCstmrStmt></Document>"
    ).encode()


def entry(
    amount: str = '<Amt Ccy="EUR">1.00</Amt>',
    *,
    indicator: str = "DBIT",
    date: str = "<BookgDt><Dt>2025-10-31</Dt></BookgDt>",
    more: str = "",
) -> str:
    return f"<Ntry>{amount}<CdtDbtInd>{indicator}</CdtDbtInd><Sts>BOOK</Sts>{date}{more}</Ntry>"


def test_booked_entries_with_a_batch_split_into_its_transactions() -> None:
    batch = parse_camt053((FIXTURES / "camt053_v02.xml").read_bytes())
    assert batch.errors == []
    assert rows(batch) == [
        (
            1,
            "2025103100000101",
            dt.date(2025, 10, 31),
            -123456,
            "Stadtwerke München",
            "Strom Oktober Kundennr 4711",
            None,
        ),
        (
            3,
            "2025103000000303/1",
            dt.date(2025, 10, 30),
            10000,
            "Sam Housemate",
            "Miete Anteil Sam",
            "camt:2025103000000303",
        ),
        (
            3,
            "2025103000000303/2",
            dt.date(2025, 10, 30),
            15000,
            "Kim Housemate",
            "Miete Anteil Kim",
            "camt:2025103000000303",
        ),
        (
            3,
            "2025103000000303/3",
            dt.date(2025, 10, 30),
            5000,
            "Jo Housemate",
            "SAMMELGUTSCHRIFT",
            "camt:2025103000000303",
        ),
        (
            4,
            "PAYROLL-2025-10-0042",
            dt.date(2025, 10, 29),
            250000,
            "Arbeitgeber GmbH",
            "Gehalt Oktober",
            None,
        ),
        (
            5,
            "2025102800000505",
            dt.date(2025, 10, 28),
            1999,
            "Streaming Dienst AG",
            "Rueckbuchung Lastschrift",
            None,
        ),
    ]
    assert {(row.account, row.currency, row.pending) for row in batch.transactions} == {
        (IBAN, "EUR", False)
    }
    assert [row.kind for row in batch.transactions][:2] == [Kind.EXPENSE, Kind.INCOME]


def test_a_booking_datetime_keeps_its_own_calendar_date() -> None:
    payroll = parse_camt053((FIXTURES / "camt053_v02.xml").read_bytes()).transactions[4]
    assert payroll.raw["BookgDt"] == "2025-10-29T23:30:00+01:00"
    assert payroll.date == dt.date(2025, 10, 29)


def test_raw_records_the_entry_and_the_transaction() -> None:
    first = parse_camt053((FIXTURES / "camt053_v02.xml").read_bytes()).transactions[0]
    assert first.raw == {
        "entry": 1,
        "NtryRef": "1",
        "AcctSvcrRef": "2025103100000101",
        "Sts": "BOOK",
        "Amt": "1234.56",
        "Ccy": "EUR",
        "CdtDbtInd": "DBIT",
        "BookgDt": "2025-10-31",
        "ValDt": "2025-10-31",
        "AddtlNtryInf": "SEPA-LASTSCHRIFT",
        "EndToEndId": "STROM-2025-10",
        "party": "Stadtwerke München",
        "party_iban": "DE02700500000000012345",
        "Ustrd": "Strom Oktober Kundennr 4711",
    }


def test_pending_entries_are_skipped_unless_asked_for() -> None:
    data = (FIXTURES / "camt053_v02.xml").read_bytes()
    assert all(not row.pending for row in parse_camt053(data).transactions)
    pending = [row for row in parse_camt053(data, include_pending=True).transactions if row.pending]
    assert rows(Batch(transactions=pending)) == [
        (2, "2", dt.date(2025, 11, 2), -5000, "Hotel Alpenblick", "Kartenreservierung", None)
    ]


def test_newer_versions_status_codes_parties_and_transaction_amounts() -> None:
    data = (FIXTURES / "camt053_v08.xml").read_bytes()
    batch = parse_camt053(data, account="unused")
    assert batch.errors == []
    # Entry 3's transactions repeat the entry's reference, so they are numbered instead.
    assert rows(batch) == [
        (
            1,
            "CH-0001",
            dt.date(2025, 10, 31),
            -8990,
            "Swisscom (Schweiz) AG",
            "Mobile Abo Oktober",
            None,
        ),
        (3, "CH-0003/1", dt.date(2025, 10, 30), 6000, "Lee Flatmate", None, "camt:CH-0003"),
        (3, "CH-0003/2", dt.date(2025, 10, 30), -2000, "Bank Fee Account", None, "camt:CH-0003"),
    ]
    assert {(row.account, row.currency) for row in batch.transactions} == {
        ("0235-123456.01", "CHF")
    }
    with_pending = parse_camt053(data, include_pending=True).transactions
    assert [(row.line, row.pending) for row in with_pending] == [
        (1, False),
        (2, True),
        (3, False),
        (3, False),
    ]


def test_a_batch_whose_transactions_do_not_add_up_stays_one_row() -> None:
    details = "".join(
        f'<TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls></TxDtls>'
        for amount in ("1.00", "2.00")
    )
    data = document(
        entry(
            '<Amt Ccy="EUR">5.00</Amt>',
            more=f"<AcctSvcrRef>R-9</AcctSvcrRef><NtryDtls>{details}</NtryDtls>",
        )
    )
    batch = parse_camt053(data, account="x")
    assert rows(batch) == [(1, "R-9", dt.date(2025, 10, 31), -500, None, None, None)]
    assert batch.transactions[0].raw["transactions"] == 2


def test_a_statement_without_an_account_id_uses_the_account_argument() -> None:
    data = document(entry()).replace(f"<IBAN>{IBAN}</IBAN>".encode(), b"")
    assert parse_camt053(data, account="joint").transactions[0].account == "joint"


def test_each_statement_of_a_file_names_its_own_account() -> None:
    second = f"</Stmt><Stmt>{entry()}"
    data = document(entry() + second)
    batch = parse_camt053(data, account="fallback")
    assert [(row.line, row.account) for row in batch.transactions] == [(1, IBAN), (2, "fallback")]


def test_bad_entries_are_reported_and_the_good_ones_kept() -> None:
    data = document(
        entry(more="<NtryRef>OK</NtryRef>")
        + entry('<Amt Ccy="EUR">1.005</Amt>', more="<NtryRef>PRECISE</NtryRef>")
        + entry('<Amt Ccy="XYZ">1.00</Amt>')
        + entry("<Amt>1.00</Amt>")
        + entry(indicator="BOTH")
        + entry(date="")
        + entry(date="<BookgDt><Dt>31.10.2025</Dt></BookgDt>")
        + entry("")
    )
    batch = parse_camt053(data)
    assert [row.source_id for row in batch.transactions] == ["OK"]
    assert [(error.line, error.source_id, error.reason) for error in batch.errors] == [
        (2, "PRECISE", "1.005 has more decimals than EUR allows (2)"),
        (3, None, "'XYZ' is not a known ISO 4217 currency"),
        (4, None, "the entry's amount names no currency (Ccy)"),
        (5, None, "the entry says neither CRDT nor DBIT (CdtDbtInd)"),
        (6, None, "the entry has no booking date (BookgDt)"),
        (7, None, "'31.10.2025' is not a date like 2025-10-31"),
        (8, None, "the entry has no amount (Amt)"),
    ]


def test_a_truncated_file_keeps_the_entries_before_the_break() -> None:
    batch = parse_camt053((FIXTURES / "camt053_truncated.xml").read_bytes())
    assert [row.source_id for row in batch.transactions] == ["2025103100000101"]
    assert batch.errors == [
        RowError(
            "the XML is cut off or malformed at line 60, column 25: "
            "entries after number 2 could not be read"
        )
    ]


def test_an_xml_bomb_is_refused_without_expanding_it() -> None:
    with pytest.raises(InvalidInput, match="DTD or XML entities") as caught:
        parse_camt053((FIXTURES / "xml_bomb.xml").read_bytes())
    assert caught.value.field == "file"


def test_an_external_entity_is_refused() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&x;</Document>'
    )
    with pytest.raises(InvalidInput, match="DTD or XML entities") as caught:
        parse_camt053(data)
    assert caught.value.field == "file"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not readable XML"),
        (b"<Document", "not readable XML"),
        (b"Date,Amount\n", "not readable XML"),
        (document("")[:120], "not readable XML"),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"/>',
            "camt.054.001.02 is not supported",
        ),
        (b"<rss/>", "not a CAMT.053"),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
            b"<BkToCstmrStmt><GrpHdr><MsgId>1</MsgId></GrpHdr></BkToCstmrStmt></Document>",
            "holds no statement",
        ),
        (b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"/>', "no statement"),
    ],
)
def test_a_file_with_nothing_readable_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        parse_camt053(data)
    assert caught.value.field == "file"


def test_a_statement_without_entries_is_an_empty_batch() -> None:
    assert parse_camt053(document("")) == Batch(transactions=[])
