"""Bank files (OFX/QFX, QIF, CSV, CAMT.053) read into `ImportedTransaction` batches.

Pure readers: bytes in, a `Batch` of rows and row errors out; no database, no network.
A file that cannot be read at all raises `InvalidInput` (field "file", "currency" or
"csv_mapping.<setting>"); a row that cannot be read becomes a `RowError` with its line,
and the other rows are still returned. Amounts are exact minor units, dates the file's
own calendar dates, and the sign is the account's: negative is money out.
"""

from integrations.files.camt import parse_camt053
from integrations.files.csv_file import parse_csv
from integrations.files.detect import detect_format
from integrations.files.dispatch import parse_file
from integrations.files.formats import FORMATS
from integrations.files.ofx import parse_ofx
from integrations.files.qif import parse_qif

__all__ = [
    "FORMATS",
    "detect_format",
    "parse_camt053",
    "parse_csv",
    "parse_file",
    "parse_ofx",
    "parse_qif",
]
