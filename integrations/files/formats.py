"""Every bank-file format, one registry line each: its name, the file extensions that break
a tie when the content says nothing, and its parser. `detect` recognises the content,
`dispatch.parse_file` reads it, and the help text of the CLI and the API is `HELP`.

Adding a format: a parser module here, its content check in `detect.detect_format`, and one
line below. A test checks every format `detect_format` can answer has a line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.errors import InvalidInput
from domain.imports.records import Batch, CsvMapping
from integrations.files.camt import parse_camt053
from integrations.files.csv_file import parse_csv
from integrations.files.ofx import parse_ofx
from integrations.files.qif import parse_qif


@dataclass(frozen=True)
class Options:
    account: str
    currency: str | None
    csv_mapping: CsvMapping | None
    qif_day_first: bool
    include_pending: bool


@dataclass(frozen=True)
class FileFormat:
    name: str
    extensions: tuple[str, ...]
    parse: Callable[[bytes, Options], Batch]


def _csv(data: bytes, o: Options) -> Batch:
    if o.csv_mapping is None:
        raise InvalidInput("a CSV file needs a column mapping", field="csv_mapping")
    return parse_csv(data, mapping=o.csv_mapping, account=o.account)


REGISTRY: dict[str, FileFormat] = {
    f.name: f
    for f in (
        FileFormat(
            "ofx",
            (".ofx", ".qfx"),
            lambda data, o: parse_ofx(data, account=o.account, currency=o.currency),
        ),
        FileFormat(
            "qif",
            (".qif",),
            lambda data, o: parse_qif(
                data, account=o.account, currency=o.currency, day_first=o.qif_day_first
            ),
        ),
        FileFormat("csv", (".csv", ".tsv"), _csv),
        FileFormat(
            "camt053",
            (),
            lambda data, o: parse_camt053(
                data, account=o.account, include_pending=o.include_pending
            ),
        ),
    )
}
FORMATS = tuple(REGISTRY)
BY_EXTENSION = {ext: f.name for f in REGISTRY.values() for ext in f.extensions}
HELP = ", ".join(FORMATS[:-1]) + " or " + FORMATS[-1]  # "ofx, qif, csv or camt053"
