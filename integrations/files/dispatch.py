"""One entry point for every bank-file format."""

from __future__ import annotations

from domain.errors import InvalidInput
from domain.imports.records import Batch, CsvMapping
from integrations.files.detect import detect_format
from integrations.files.formats import FORMATS, REGISTRY, Options


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
    if chosen not in REGISTRY:
        raise InvalidInput(f"the format is one of {', '.join(FORMATS)}", field="format")
    options = Options(account, currency, csv_mapping, qif_day_first, include_pending)
    return REGISTRY[chosen].parse(data, options)
