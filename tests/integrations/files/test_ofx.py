import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ofxtools.Parser import OFXTree
from ofxtools.Types import OFXSpecError

from domain.errors import InvalidInput
from domain.imports.records import Batch, Kind, RowError
from integrations.files import parse_ofx

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = (
    "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
    "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
)


def statement(transactions: str, *, curdef: str = "<CURDEF>USD") -> bytes:
    return (
        f"{HEADER}<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STMTRS>{curdef}"
        "<BANKACCTFROM><BANKID>1<ACCTID>ACC-1<ACCTTYPE>CHECKING</BANKACCTFROM>"
        f"<BANKTRANLIST><DTSTART>20251001<DTEND>20251101{transactions}</BANKTRANLIST>"
        "</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
    ).encode()


def transaction(amount: str, *, fitid: str = "F1", posted: str = "20251031") -> str:
    return (
        f"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>{posted}<TRNAMT>{amount}<FITID>{fitid}"
        "<NAME>SHOP</STMTTRN>"
    )


def rows(batch: Batch) -> list[tuple[object, ...]]:
    return [
        (row.line, row.source_id, row.date, row.amount, row.kind, row.payee, row.memo)
        for row in batch.transactions
    ]


def test_sgml_statement_reads_every_transaction_exactly() -> None:
    batch = parse_ofx((FIXTURES / "ofx1_checking.ofx").read_bytes())
    assert batch.errors == []
    assert rows(batch) == [
        (
            1,
            "2025103100001",
            dt.date(2025, 10, 31),
            -4217,
            Kind.EXPENSE,
            "CITY MARKET #12",
            "POS PURCHASE 10/31",
        ),
        (2, "2025101500001", dt.date(2025, 10, 15), 250000, Kind.INCOME, "ACME CORP PAYROLL", None),
        (
            3,
            "2025101000002",
            dt.date(2025, 10, 10),
            -1549,
            Kind.EXPENSE,
            "STREAMFLIX.COM",
            "MONTHLY PLAN",
        ),
        (
            4,
            "2025101000002",
            dt.date(2025, 10, 11),
            -1799,
            Kind.EXPENSE,
            "STREAMFLIX.COM",
            "MONTHLY PLAN",
        ),
        (
            5,
            "2025102000001",
            dt.date(2025, 10, 20),
            -50000,
            Kind.TRANSFER,
            "TRANSFER TO SAVINGS",
            None,
        ),
        (
            6,
            "2025102100001",
            dt.date(2025, 10, 21),
            -380,
            Kind.EXPENSE,
            "CAFÉ OLÉ",
            "AT&T Plaza kiosk",
        ),
    ]
    assert {(row.account, row.currency) for row in batch.transactions} == {("987654321", "USD")}


def test_a_posting_at_8pm_eastern_on_the_31st_stays_on_the_31st() -> None:
    first = parse_ofx((FIXTURES / "ofx1_checking.ofx").read_bytes()).transactions[0]
    assert first.raw["DTPOSTED"] == "20251031200000.000[-5:EST]"
    assert first.date == dt.date(2025, 10, 31)


def test_a_reused_fitid_with_another_amount_gives_both_rows() -> None:
    batch = parse_ofx((FIXTURES / "ofx1_checking.ofx").read_bytes())
    reused = [row.amount for row in batch.transactions if row.source_id == "2025101000002"]
    assert reused == [-1549, -1799]


def test_raw_keeps_every_source_field_including_nested_aggregates() -> None:
    transfer = parse_ofx((FIXTURES / "ofx1_checking.ofx").read_bytes()).transactions[4]
    assert transfer.raw == {
        "TRNTYPE": "XFER",
        "DTPOSTED": "20251020",
        "TRNAMT": "-500.00",
        "FITID": "2025102000001",
        "NAME": "TRANSFER TO SAVINGS",
        "BANKACCTTO.BANKID": "121000248",
        "BANKACCTTO.ACCTID": "987650000",
        "BANKACCTTO.ACCTTYPE": "SAVINGS",
    }


def test_xml_credit_card_statement() -> None:
    batch = parse_ofx((FIXTURES / "ofx2_creditcard.ofx").read_bytes(), account="ignored")
    assert batch.errors == []
    assert rows(batch) == [
        (
            1,
            "CC-77001",
            dt.date(2025, 11, 1),
            -6490,
            Kind.EXPENSE,
            "Deutsche Bahn",
            "Fahrkarte Berlin – München",
        ),
        (2, "CC-77002", dt.date(2025, 10, 28), -2340, Kind.EXPENSE, "Pret A Manger London", None),
        (3, "CC-77003", dt.date(2025, 10, 25), 1500, Kind.INCOME, "Refund & Co", None),
    ]
    assert [row.currency for row in batch.transactions] == ["EUR", "GBP", "EUR"]
    assert {row.account for row in batch.transactions} == {"4111XXXXXXXX1111"}


GHOST = (
    "<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20251001</DTPOSTED><TRNAMT>-99.00</TRNAMT>"
    "<FITID>GHOST</FITID><NAME>GHOST</NAME></STMTTRN>"
)


@pytest.mark.parametrize(
    "comment",
    [
        f"<!-- {GHOST} -->",
        f"<!--\n{GHOST}\n<STMTTRN><TRNAMT>1.00</TRNAMT>\n-->",
        "<!-- an old <STMTTRN> left open -->",
    ],
)
def test_xml_comments_are_not_data(comment: str) -> None:
    text = (FIXTURES / "ofx2_creditcard.ofx").read_text()
    first = text.index("<STMTTRN>")
    batch = parse_ofx((text[:first] + comment + text[first:]).encode())
    assert batch.errors == []
    assert [row.source_id for row in batch.transactions] == ["CC-77001", "CC-77002", "CC-77003"]


def test_comments_are_not_data_in_a_file_ofxtools_refuses_either() -> None:
    text = (FIXTURES / "ofx_empty_tag.ofx").read_text()
    first = text.index("<STMTTRN>")
    batch = parse_ofx((text[:first] + f"<!-- {GHOST} -->" + text[first:]).encode())
    assert [row.source_id for row in batch.transactions] == ["E-1", "E-2", "E-3"]


def test_a_comment_marker_inside_cdata_is_text() -> None:
    memo = "<MEMO><![CDATA[a <!-- b]]></MEMO>"
    data = statement(transaction("-1.00").replace("</STMTTRN>", memo + "</STMTTRN>"))
    batch = parse_ofx(data + b"<!-- c -->")
    assert [row.amount for row in batch.transactions] == [-100]


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_the_empty_tag_fixture_is_one_ofxtools_refuses() -> None:
    tree = OFXTree()
    tree.parse(io.BytesIO((FIXTURES / "ofx_empty_tag.ofx").read_bytes()))
    with pytest.raises(OFXSpecError):
        tree.convert()


def test_a_file_ofxtools_refuses_is_still_read_in_full() -> None:
    batch = parse_ofx((FIXTURES / "ofx_empty_tag.ofx").read_bytes())
    assert batch.errors == []
    assert rows(batch) == [
        (1, "E-1", dt.date(2025, 10, 3), -999, Kind.EXPENSE, "PHONE BILL", None),
        (2, "E-2", dt.date(2025, 10, 4), -2000, Kind.EXPENSE, None, "ATM WITHDRAWAL"),
        (3, "E-3", dt.date(2025, 10, 5), 10000, Kind.INCOME, "GIFT FROM MUM", None),
    ]
    assert batch.transactions[1].raw["XBANKREF"] == "77-1234"
    assert {row.account for row in batch.transactions} == {"987654321"}


def test_a_truncated_file_keeps_the_complete_rows_and_never_the_cut_one() -> None:
    batch = parse_ofx((FIXTURES / "ofx_truncated.ofx").read_bytes())
    assert [row.source_id for row in batch.transactions] == ["2025103100001", "2025101500001"]
    assert batch.errors == [
        RowError(
            "the file ends inside this transaction (is it cut off?); it was not imported", line=3
        )
    ]


def test_a_file_cut_between_transactions_says_so() -> None:
    data = statement(transaction("-1.00"))
    cut = data[: data.index(b"</BANKTRANLIST>")]
    batch = parse_ofx(cut)
    assert [row.amount for row in batch.transactions] == [-100]
    assert [error.line for error in batch.errors] == [None]
    assert "ends early" in batch.errors[0].reason


def test_bad_rows_are_reported_and_the_good_ones_kept() -> None:
    data = statement(
        transaction("-1.00", fitid="OK")
        + transaction("-1.005", fitid="TOO-PRECISE")
        + transaction("abc", fitid="NOT-A-NUMBER")
        + transaction("-1.00", fitid="BAD-DATE", posted="2025-10-31")
        + "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20251031<FITID>NO-AMOUNT<NAME>X</STMTTRN>"
    )
    batch = parse_ofx(data)
    assert [row.source_id for row in batch.transactions] == ["OK"]
    assert [(error.line, error.source_id, error.reason) for error in batch.errors] == [
        (2, "TOO-PRECISE", "-1.005 has more decimals than USD allows (2)"),
        (3, "NOT-A-NUMBER", "'abc' is not an amount like 1234.56"),
        (4, "BAD-DATE", "'2025-10-31' is not an OFX date like 20251031"),
        (5, "NO-AMOUNT", "the transaction has no amount (TRNAMT)"),
    ]


def test_an_unknown_currency_is_a_row_error() -> None:
    batch = parse_ofx(statement(transaction("-1.00"), curdef="<CURDEF>ABC"))
    assert batch.transactions == []
    assert batch.errors[0].reason == "'ABC' is not a known ISO 4217 currency"


def test_without_curdef_the_currency_argument_is_used_or_each_row_fails() -> None:
    data = statement(transaction("-1.00"), curdef="")
    assert parse_ofx(data, currency="cad").transactions[0].currency == "CAD"
    assert "names no currency" in parse_ofx(data).errors[0].reason


def test_curdef_wins_over_the_currency_argument() -> None:
    assert (
        parse_ofx(statement(transaction("-1.00")), currency="EUR").transactions[0].currency == "USD"
    )


def test_a_decimal_comma_is_read_as_the_ofx_spec_allows() -> None:
    assert parse_ofx(statement(transaction("-1234,50"))).transactions[0].amount == -123450


def test_a_statement_without_an_account_id_uses_the_account_argument() -> None:
    data = statement(transaction("-1.00")).replace(b"<ACCTID>ACC-1", b"")
    assert parse_ofx(data, account="joint").transactions[0].account == "joint"


@pytest.mark.parametrize("empty_tag", ["", "<NAME>"])
def test_each_statement_of_a_file_names_its_own_account_and_currency(empty_tag: str) -> None:
    """Checked on both readers: the second variant has an empty tag ofxtools refuses."""
    card = (
        "<CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>2<CCSTMTRS><CURDEF>EUR"
        "<CCACCTFROM><ACCTID>CARD-9</CCACCTFROM><BANKTRANLIST>"
        f"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20251030<TRNAMT>-2.50<FITID>C1{empty_tag}</STMTTRN>"
        "</BANKTRANLIST></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>"
    )
    data = statement(transaction("-1.00")).replace(b"</OFX>", card.encode())
    batch = parse_ofx(data)
    assert batch.errors == []
    assert [(row.account, row.currency, row.amount) for row in batch.transactions] == [
        ("ACC-1", "USD", -100),
        ("CARD-9", "EUR", -250),
    ]


def test_a_statement_without_transactions_is_an_empty_batch() -> None:
    assert parse_ofx(statement("")) == Batch(transactions=[])


@pytest.mark.parametrize(
    "data",
    [
        b"OFXHEADER:100\nnothing else",
        (HEADER + "<OFX><SIGNONMSGSRSV1></SIGNONMSGSRSV1></OFX>").encode(),
        b"<OFX>",
    ],
)
def test_a_file_with_nothing_readable_is_refused(data: bytes) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_ofx(data)
    assert caught.value.field == "file"


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9
    )
)
def test_trnamt_is_read_exactly(value: Decimal) -> None:
    batch = parse_ofx(statement(transaction(f"{value:f}")))
    assert batch.transactions[0].amount == int(value * 100)
