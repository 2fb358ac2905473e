from pathlib import Path

import pytest

from domain.errors import InvalidInput
from integrations.files import detect_format

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ofx1_checking.ofx", "ofx"),
        ("ofx2_creditcard.ofx", "ofx"),
        ("ofx_empty_tag.ofx", "ofx"),
        ("ofx_truncated.ofx", "ofx"),
        ("qif_us_splits.qif", "qif"),
        ("qif_day_first.qif", "qif"),
        ("csv_decimal_comma.csv", "csv"),
        ("csv_cp1252.csv", "csv"),
        ("csv_debit_credit.csv", "csv"),
        ("camt053_v02.xml", "camt053"),
        ("camt053_v08.xml", "camt053"),
        ("camt053_truncated.xml", "camt053"),
    ],
)
def test_every_fixture_is_recognised_by_its_content(name: str, expected: str) -> None:
    assert detect_format((FIXTURES / name).read_bytes()) == expected


@pytest.mark.parametrize("misleading", ["statement.csv", "export.txt", "download", None])
def test_content_wins_over_a_misleading_file_name(misleading: str | None) -> None:
    assert detect_format((FIXTURES / "ofx1_checking.ofx").read_bytes(), misleading) == "ofx"
    assert detect_format((FIXTURES / "qif_day_first.qif").read_bytes(), misleading) == "qif"


def test_the_file_name_breaks_a_tie_when_the_content_says_nothing() -> None:
    one_column = b"Coffee\nTea\n"
    assert detect_format(one_column, "Export.QIF") == "qif"
    assert detect_format(one_column, "export.csv") == "csv"
    with pytest.raises(InvalidInput, match="not OFX, QFX, QIF, CSV") as caught:
        detect_format(one_column, "notes.txt")
    assert caught.value.field == "file"


@pytest.mark.parametrize(
    "data",
    [
        b"# Exported by HomeBank\n# 2025-10-31\n!Type:Bank\nD10/31/25\nT-1.00\n^\n",
        b"\n# comment\n!Option:AutoSwitch\n!Account\nNChecking\n^\n",
        b"D10/31/25\nT-1,000.00\nPShop, Inc.\nMa; b\n^\nD11/01/25\nT2.00\n^\n",
        b"# only records\nD2025-10-31\nU-1.00\nT-1.00\n^",
    ],
)
def test_qif_is_recognised_by_its_records_after_comments(data: bytes) -> None:
    assert detect_format(data, "export.txt") == "qif"


def test_a_csv_with_a_caret_line_is_still_csv() -> None:
    assert detect_format(b"Date,Amount\n2025-10-31,-1.00\n^\n") == "csv"


def test_a_utf16_excel_export_is_csv() -> None:
    data = "Date\tAmount\n2025-10-31\t-4,50\n".encode("utf-16")
    assert detect_format(data) == "csv"


@pytest.mark.parametrize("data", [b"", b"   \r\n\t", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(InvalidInput, match="empty") as caught:
        detect_format(data, "statement.ofx")
    assert caught.value.field == "file"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"PK\x03\x04\x14\x00\x06\x00",  # an .xlsx is a zip
        b"Date,Amount\n2025-10-31,1.00\x00\n",
        b"%PDF-1.7\n\x01\x02\x03",
    ],
)
def test_a_binary_file_is_refused(data: bytes) -> None:
    with pytest.raises(InvalidInput, match="binary") as caught:
        detect_format(data, "statement.csv")
    assert caught.value.field == "file"


def test_bytes_that_are_neither_utf8_nor_cp1252_are_refused() -> None:
    with pytest.raises(InvalidInput, match="not text") as caught:
        detect_format(b"Date,Amount\n\x81\x8d\x8f\x90\x9d,1\n")
    assert caught.value.field == "file"


def test_other_iso20022_messages_are_named_and_refused() -> None:
    data = (
        b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"/>'
    )
    with pytest.raises(InvalidInput, match=r"camt\.052\.001\.02 is not supported"):
        detect_format(data)


def test_unknown_xml_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"neither OFX nor a CAMT\.053"):
        detect_format(b'<?xml version="1.0"?><rss><channel/></rss>', "feed.xml")


def test_plain_prose_without_a_usable_name_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not OFX, QFX, QIF, CSV"):
        detect_format(b"Dear customer\nyour statement is attached\n")
