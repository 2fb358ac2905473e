"""Synthetic bank files of any size, for the import benchmark and for load tests.

Deterministic for a given seed, so two runs read the same rows. Every row is valid: the
benchmark measures reading and storing, not error reporting.

    from tests.integrations.files.generate import CSV_MAPPING, write_csv, write_ofx
    write_csv(path, 100_000)  # then parse_csv(path.read_bytes(), mapping=CSV_MAPPING)
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from domain.imports.records import CsvMapping

CSV_MAPPING = CsvMapping(
    date_column="Date",
    amount_column="Amount",
    payee_column="Payee",
    memo_column="Memo",
    id_column="Id",
    currency="EUR",
    date_format="%d.%m.%Y",
    decimal_separator=",",
    thousands_separator=".",
    delimiter=";",
)
OFX_ACCOUNT = "000123456789"
_PAYEES = (
    "Supermarkt Nord",
    "Stadtwerke",
    "Bäckerei am Markt",
    "Drogerie",
    "Tankstelle 24",
    "Buchhandlung",
    "Apotheke",
    "Café Central",
)
_START = dt.date(2024, 1, 1)
_OFX_HEADER = (
    "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\n"
    "CHARSET:1252\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n"
)


def _rows(count: int, seed: int) -> list[tuple[dt.date, int, str, str]]:
    """(date, cents, payee, memo): mostly small expenses, some income."""
    rng = random.Random(seed)
    rows = []
    for number in range(count):
        cents = rng.randint(50, 25_000) * (1 if rng.random() < 0.1 else -1)
        date = _START + dt.timedelta(days=number * 366 // max(count, 1))
        rows.append((date, cents, rng.choice(_PAYEES), f"Beleg {number + 1}"))
    return rows


def _german(cents: int) -> str:
    """-123456 as "-1.234,56"."""
    whole, fraction = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{whole:,}".replace(",", ".") + f",{fraction:02d}"


def csv_bytes(count: int, *, seed: int = 0) -> bytes:
    """A semicolon CSV with decimal commas, read with `CSV_MAPPING`."""
    lines = ["Id;Date;Payee;Memo;Amount"]
    for number, (date, cents, payee, memo) in enumerate(_rows(count, seed), 1):
        lines.append(f"T{number:08d};{date:%d.%m.%Y};{payee};{memo};{_german(cents)}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def ofx_bytes(count: int, *, seed: int = 0) -> bytes:
    """An OFX 1.02 SGML checking statement in USD with unique FITIDs."""
    parts = [
        _OFX_HEADER,
        "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>"
        "<DTSERVER>20250101<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>"
        "<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>"
        f"<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>121000248<ACCTID>{OFX_ACCOUNT}"
        "<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST><DTSTART>20240101<DTEND>20250101\r\n",
    ]
    for number, (date, cents, payee, memo) in enumerate(_rows(count, seed), 1):
        sign, whole, fraction = "-" if cents < 0 else "", *divmod(abs(cents), 100)
        parts.append(
            f"<STMTTRN>\r\n<TRNTYPE>{'DEBIT' if cents < 0 else 'CREDIT'}\r\n"
            f"<DTPOSTED>{date:%Y%m%d}120000.000[-5:EST]\r\n<TRNAMT>{sign}{whole}.{fraction:02d}\r\n"
            f"<FITID>{number:010d}\r\n<NAME>{payee}\r\n<MEMO>{memo}\r\n</STMTTRN>\r\n"
        )
    parts.append(
        "</BANKTRANLIST><LEDGERBAL><BALAMT>0.00<DTASOF>20250101</LEDGERBAL>"
        "</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\r\n"
    )
    return "".join(parts).encode("cp1252")


def write_csv(path: Path, count: int, *, seed: int = 0) -> Path:
    path.write_bytes(csv_bytes(count, seed=seed))
    return path


def write_ofx(path: Path, count: int, *, seed: int = 0) -> Path:
    path.write_bytes(ofx_bytes(count, seed=seed))
    return path
