"""Parse rate of each bank-file format: the floor under any import or re-import of it.

    .venv/bin/python -m bench.parse_rate [--rows N]

The same generated rows (bench.imports: eight payees, one amount each, 60 rows a day) as
CSV, OFX, QIF and CAMT.053, each parsed five times; the best CPU seconds are printed (this
process's time, which moves least with the machine's load).
"""

import argparse
import time
from typing import Any

from bench.imports import MAPPING, PAYEES, amount, csv_bytes, day, ofx_bytes
from integrations.files import parse_file


def qif_bytes(rows: int) -> bytes:
    lines = ["!Type:Bank"]
    for i in range(rows):
        lines += [f"D{day(i):%m/%d/%Y}", f"T{amount(i)}", f"P{PAYEES[i % 8]} {i % 13}", "^"]
    return ("\n".join(lines) + "\n").encode()


def camt_bytes(rows: int) -> bytes:
    entries = "".join(
        f'<Ntry><NtryRef>{i}</NtryRef><Amt Ccy="EUR">{amount(i)[1:]}</Amt>'
        f"<CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{day(i).isoformat()}</Dt>"
        f"</BookgDt><AcctSvcrRef>R{i}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Cdtr>"
        f"<Nm>{PAYEES[i % 8]} {i % 13}</Nm></Cdtr></RltdPties></TxDtls></NtryDtls></Ntry>\n"
        for i in range(rows)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>1</MsgId><CreDtTm>2025-11-01T06:00:00</CreDtTm></GrpHdr><Stmt><Id>S</Id>"
        "<CreDtTm>2025-11-01T06:00:00</CreDtTm><Acct><Id><IBAN>DE89370400440532013000</IBAN>"
        f"</Id><Ccy>EUR</Ccy></Acct>{entries}</Stmt></BkToCstmrStmt></Document>"
    ).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    rows = parser.parse_args().rows
    files: dict[str, tuple[bytes, dict[str, Any]]] = {
        "CSV": (csv_bytes(rows), {"csv_mapping": MAPPING}),
        "OFX": (ofx_bytes(rows), {}),
        "QIF": (qif_bytes(rows), {"currency": "EUR"}),
        "CAMT.053": (camt_bytes(rows), {}),
    }
    for name, (data, options) in files.items():
        best = float("inf")
        for _ in range(5):
            started = time.process_time()
            batch = parse_file(data, **options)
            best = min(best, time.process_time() - started)
        assert len(batch.transactions) == rows, (name, batch.errors[:3])
        print(f"{name:9s} parse CPU {best:6.3f} s  {rows / best:10,.0f} rows per CPU second")


if __name__ == "__main__":
    main()
