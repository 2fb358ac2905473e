"""One entry point for every bank-file format."""

from __future__ import annotations

from domain.errors import InvalidInput
from domain.imports.records import Batch, CsvMapping
from integrations.files.camt import parse_camt053
from integrations.files.csv_file import parse_csv
from integrations.files.detect import FORMATS, detect_format
from integrations.files.ofx import parse_ofx
from integrations.files.qif import parse_qif


def parse_file(
    data: bytes,
    *,
    format: str | None = None,
    account: str = "default",
    currency: str | None = None,
    csv_mapping: CsvMapping | None = None,
    qif_day_first: bool = False,
    include_pending: bool = False,
) -> Batch:
    """Read a bank file in `format`, detected from the content when not given.

    `currency` is needed by QIF (which has none) and is the fallback for an OFX statement
    without CURDEF; CSV takes its currency from the mapping, CAMT.053 from each amount.
    """
    chosen = format if format is not None else detect_format(data)
    if chosen == "ofx":
        return parse_ofx(data, account=account, currency=currency)
    if chosen == "qif":
        return parse_qif(data, account=account, currency=currency, day_first=qif_day_first)
    if chosen == "csv":
        if csv_mapping is None:
            raise InvalidInput("a CSV file needs a column mapping", field="csv_mapping")
        return parse_csv(data, mapping=csv_mapping, account=account)
    if chosen == "camt053":
        return parse_camt053(data, account=account, include_pending=include_pending)
    raise InvalidInput(f"the format is one of {', '.join(FORMATS)}", field="format")
