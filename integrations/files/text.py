"""Bytes to text for the line-based formats (QIF, CSV) and for format detection.

Banks export UTF-8 (often with a byte-order mark), Windows-1252 (Excel on Windows) or, from
Excel's "Unicode text", UTF-16 with a byte-order mark. Anything else, or anything with
control characters a text file never holds, is refused as binary rather than read as noise.
"""

from __future__ import annotations

import codecs
import re

from domain.errors import InvalidInput

# C0 controls other than tab, line feed, vertical tab, form feed and carriage return, plus
# DEL. Ctrl-Z (\x1a) is allowed: old DOS tools end QIF files with it.
_BINARY = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
_SNIFF = 8192


def decode_text(data: bytes, encoding: str | None = None, *, field: str = "file") -> str:
    """The file as text: `encoding` when given, else UTF-16 by its BOM, UTF-8, cp1252."""
    if encoding is not None:
        try:
            return _checked(data.decode(encoding))
        except LookupError:
            raise InvalidInput(f"{encoding!r} is not a known encoding", field=field) from None
        except UnicodeDecodeError as error:
            raise InvalidInput(
                f"the file is not {encoding} text (byte {error.start})", field="file"
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _checked(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise InvalidInput("the file is not UTF-16 text", field="file") from None
    for candidate in ("utf-8-sig", "cp1252"):
        try:
            return _checked(data.decode(candidate))
        except UnicodeDecodeError:
            continue
    raise InvalidInput("the file is not text (neither UTF-8 nor Windows-1252)", field="file")


def _checked(text: str) -> str:
    if _BINARY.search(text, 0, _SNIFF) or "\x00" in text:
        raise InvalidInput("the file is binary, not a bank statement", field="file")
    return text.rstrip("\x1a")
