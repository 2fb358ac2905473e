"""A tolerant reader of OFX transaction blocks, for files `ofxtools` refuses as a whole.

Real bank files break the OFX grammar in small ways: one empty element (`<NAME>` with no
value) mis-nests everything after it, an unknown or misspelt tag, a header with a charset
the spec does not list, a file cut off in the middle. This reader ignores the nesting and
walks the tags in order, collecting the fields of each `<STMTTRN>` block with the currency
and account of the statement around it, so every complete transaction is still read.
A block the file ends inside is reported, never imported: its last value may be cut short.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

STATEMENTS = frozenset({"STMTRS", "CCSTMTRS", "INVSTMTRS"})
# Aggregates that may sit inside a STMTTRN; their fields are kept as "PAYEE.NAME" etc.
_INNER_AGGREGATES = frozenset(
    {"PAYEE", "CURRENCY", "ORIGCURRENCY", "BANKACCTTO", "CCACCTTO", "IMAGEDATA"}
)
_TAG = re.compile(r"<(/?)([A-Za-z0-9._]+)\s*>([^<]*)")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
# A comment, or a CDATA section kept as it is (a "<!--" inside one is text). A comment the
# file never closes runs to its end, as an XML reader would take it.
_COMMENT = re.compile(rb"(<!\[CDATA\[.*?\]\]>)|<!--.*?(?:-->|\Z)", re.DOTALL)
_ENTITY = re.compile(r"&(amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_CHARSET = re.compile(rb"CHARSET:\s*([\w-]+)")
_CODECS = {b"1252": "cp1252", b"ISO-8859-1": "latin-1", b"8859-1": "latin-1"}


@dataclass(slots=True)
class Block:
    """The fields of one STMTTRN, with the statement's account id and currency."""

    index: int  # 1-based position among the file's STMTTRN blocks
    fields: dict[str, str]
    account: str | None
    currency: str | None


@dataclass(slots=True)
class Scan:
    blocks: list[Block] = field(default_factory=list)
    statements: int = 0
    cut: Block | None = None  # the block the file ends inside
    ended: bool = False  # whether </OFX> was seen


def unescape(text: str) -> str:
    """Resolve the five XML entities and character references, leaving a bare `&` alone
    (SGML files often carry "AT&T" unescaped)."""
    if "&" not in text:
        return text

    def resolve(match: re.Match[str]) -> str:
        name = match.group(1)
        if not name.startswith("#"):
            return _NAMED[name]
        code = int(name[2:], 16) if name.startswith("#x") else int(name[1:])
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ENTITY.sub(resolve, text)


def without_comments(data: bytes) -> bytes:
    """The file with its `<!-- ... -->` comments removed; CDATA sections are left alone."""
    if b"<!--" not in data:
        return data
    return _COMMENT.sub(lambda match: match.group(1) or b"", data)


def scan(data: bytes) -> Scan:
    """Walk every tag of the file once, in order."""
    text = _CDATA.sub(lambda match: escape(match.group(1), quote=False), _decode(data))
    result = Scan()
    account: str | None = None
    currency: str | None = None
    current: Block | None = None
    prefix = ""
    for match in _TAG.finditer(text):
        closing, tag, value = match.group(1) == "/", match.group(2).upper(), match.group(3)
        if tag == "STMTTRN":
            if current is not None:
                result.blocks.append(current)
            current = None
            if not closing:
                index = len(result.blocks) + 1
                current, prefix = Block(index, {}, account, currency), ""
        elif current is not None:
            if tag in _INNER_AGGREGATES:
                prefix = "" if closing else f"{tag}."
            elif not closing and (content := unescape(value.strip())):
                current.fields.setdefault(prefix + tag, content)
        elif closing:
            result.ended = result.ended or tag == "OFX"
        elif tag in STATEMENTS:
            result.statements += 1
            account = currency = None
        elif tag == "CURDEF":
            currency = value.strip() or None
        elif tag == "ACCTID" and account is None:
            account = unescape(value.strip()) or None
    if current is not None:
        result.cut = current
    return result


def _decode(data: bytes) -> str:
    declared = _CHARSET.search(data, 0, 1024)
    candidates = ["utf-8", "cp1252"]
    if declared is not None and declared.group(1).upper() in _CODECS:
        candidates.insert(0, _CODECS[declared.group(1).upper()])
    for codec in candidates:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
