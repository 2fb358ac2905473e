"""Which format a bank file is in, from what it holds rather than what it is called.

Banks name files "export.txt", "statement.xml" or "download"; and a renamed file keeps
its content. So the content decides: an OFX header or `<OFX>` tag, QIF records (a `!Type:`
line, or a first record of code-letter lines ended by `^`, after any `#` comment lines),
the CAMT.053 namespace, or else delimited text is CSV. The file name only breaks a tie
when the content says nothing (a one-column text file named "x.qif").
"""

from __future__ import annotations

import csv
import re
from pathlib import PurePath

from domain.errors import InvalidInput
from integrations.files.formats import BY_EXTENSION
from integrations.files.text import decode_text

_HEAD = 65536
_OFX = re.compile(r"\AOFXHEADER\s*:|<\?OFX\s|<OFX>", re.IGNORECASE)
_QIF = re.compile(r"\A!(type|account|option|clear)\b", re.IGNORECASE)
_QIF_CODES = frozenset("DTUPMLNCAIQ$%ES")
_ISO20022 = "urn:iso:std:iso:20022:tech:xsd:"
_DELIMITERS = ",;\t|"


def detect_format(data: bytes, filename: str | None = None) -> str:
    """One of "ofx", "qif", "csv", "camt053"; `InvalidInput` (field "file") for an empty,
    binary or unrecognised file."""
    head = decode_text(data)[:_HEAD].lstrip()
    if not head:
        raise InvalidInput("the file is empty", field="file")
    if _OFX.search(head):
        return "ofx"
    if _looks_like_qif(head):
        return "qif"
    if _ISO20022 in head:
        if f"{_ISO20022}camt.053" in head:
            return "camt053"
        message = head.split(_ISO20022, 1)[1].split('"', 1)[0]
        raise InvalidInput(
            f"ISO 20022 {message} is not supported: export a camt.053 statement", field="file"
        )
    if head.startswith("<"):
        raise InvalidInput("the XML file is neither OFX nor a CAMT.053 statement", field="file")
    if _looks_delimited(head):
        return "csv"
    by_name = BY_EXTENSION.get(PurePath(filename or "").suffix.lower())
    if by_name is not None:
        return by_name
    raise InvalidInput("the file is not OFX, QFX, QIF, CSV or a CAMT.053 statement", field="file")


def _looks_like_qif(head: str) -> bool:
    lines = [
        stripped
        for line in head.splitlines()[:200]
        if (stripped := line.strip()) and not stripped.startswith("#")
    ]
    if not lines:
        return False
    if _QIF.match(lines[0]):
        return True
    if "^" not in lines:
        return False
    record = lines[: lines.index("^")]
    codes = {line[0] for line in record}
    return bool(record) and codes <= _QIF_CODES and "D" in codes and bool(codes & {"T", "U"})


def _looks_delimited(head: str) -> bool:
    lines = [line for line in head.splitlines()[:20] if line.strip()]
    try:
        csv.Sniffer().sniff("\n".join(lines), delimiters=_DELIMITERS)
    except csv.Error:
        return any(delimiter in line for line in lines for delimiter in _DELIMITERS)
    return True
