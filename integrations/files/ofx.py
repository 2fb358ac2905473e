"""OFX and QFX statements, 1.x SGML and 2.x XML.

`ofxtools` reads the header (version, charset) and builds the element tree; the end of every
element is checked against the element it closes, because its tree builder would otherwise
silently mis-nest a file with one empty tag, or accept a file cut off in mid-amount. We
then read the transactions from that tree ourselves rather than through `convert()`, which
turns `DTPOSTED` into a UTC datetime (20:00 EST on the 31st would become the 1st) and
refuses the whole statement for one bad value. When `ofxtools` refuses the file, the
tolerant reader in `ofx_scan` reads every complete transaction it can find instead.

Rows: `line` is the transaction's 1-based position among the file's STMTTRN blocks;
`source_id` is the FITID (kept as-is, so a FITID reused with another amount gives two rows
and the import service decides); `account` is the statement's ACCTID, or the `account`
argument when the file has none. The currency is the transaction's own CURRENCY, else the
statement's CURDEF, else the `currency` argument. XML comments are not data: they are
removed before either reader sees the file (`ofxtools` would read the tags inside them).
"""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET

from domain.errors import InvalidInput
from domain.imports.records import Batch, ImportedTransaction, Kind, RowError
from integrations.files.amounts import minor_units
from integrations.files.ofx_scan import STATEMENTS, Block, scan, unescape, without_comments
from integrations.files.rows import RowProblem, clean, kind_for

_ACCOUNT_PATHS = ("BANKACCTFROM/ACCTID", "CCACCTFROM/ACCTID", "INVACCTFROM/ACCTID")


def parse_ofx(data: bytes, *, account: str = "default", currency: str | None = None) -> Batch:
    """Every STMTTRN of every bank, card or investment statement in the file."""
    errors: list[RowError] = []
    data = without_comments(data)
    try:
        blocks = _read_tree(data)
    except Exception as refusal:  # ofxtools fails in many ways; each means "recover"
        blocks, errors = _recover(data, refusal)
    batch = Batch(transactions=[], errors=errors)
    for block in blocks:
        try:
            batch.transactions.append(_transaction(block, account=account, currency=currency))
        except RowProblem as problem:
            source_id = block.fields.get("FITID")
            batch.errors.append(RowError(str(problem), line=block.index, source_id=source_id))
    return batch


def _read_tree(data: bytes) -> list[Block]:
    # ofxtools loads on the first OFX file, not when the server starts (it is ~10 MB).
    from integrations.files.ofx_tree import read_tree

    root = read_tree(io.BytesIO(data))
    blocks: list[Block] = []
    statements = [element for element in root.iter() if element.tag in STATEMENTS]
    if not statements:
        raise InvalidInput("the OFX file holds no bank, card or investment statement", field="file")
    for statement in statements:
        currency = _leaf(statement, "CURDEF")
        account = next(filter(None, (_leaf(statement, path) for path in _ACCOUNT_PATHS)), None)
        for element in statement.iter("STMTTRN"):
            blocks.append(Block(len(blocks) + 1, _flatten(element), account, currency))
    return blocks


def _recover(data: bytes, refusal: Exception) -> tuple[list[Block], list[RowError]]:
    found = scan(data)
    if not found.blocks and not found.statements:
        if isinstance(refusal, InvalidInput):
            raise refusal
        raise InvalidInput(f"the file is not readable OFX: {refusal}", field="file")
    errors: list[RowError] = []
    if found.cut is not None:
        reason = "the file ends inside this transaction (is it cut off?); it was not imported"
        errors.append(
            RowError(reason, line=found.cut.index, source_id=found.cut.fields.get("FITID"))
        )
    elif not found.ended:
        reason = f"the file ends early (is it cut off?): only {len(found.blocks)} transactions read"
        errors.append(RowError(reason))
    return found.blocks, errors


def _leaf(element: ET.Element, path: str) -> str | None:
    found = element.find(path)
    if found is None or found.text is None:
        return None
    return unescape(found.text.strip()) or None


def _flatten(element: ET.Element, prefix: str = "") -> dict[str, str]:
    fields: dict[str, str] = {}
    for child in element:
        if len(child):
            fields.update(_flatten(child, f"{prefix}{child.tag}."))
        elif child.text and (value := unescape(child.text.strip())):
            fields.setdefault(prefix + child.tag, value)
    return fields


def _transaction(block: Block, *, account: str, currency: str | None) -> ImportedTransaction:
    fields = block.fields
    code = (fields.get("CURRENCY.CURSYM") or block.currency or currency or "").strip().upper()
    if not code:
        raise RowProblem("the statement names no currency (CURDEF): choose the account's currency")
    if "TRNAMT" not in fields:
        raise RowProblem("the transaction has no amount (TRNAMT)")
    text = fields["TRNAMT"]
    # The OFX spec allows a comma as the decimal separator, and some European banks use it.
    separator = "," if "," in text and "." not in text else "."
    amount = minor_units(text, code, decimal_separator=separator)
    return ImportedTransaction(
        source_id=fields.get("FITID"),
        account=block.account or account,
        date=_date(fields.get("DTPOSTED")),
        amount=amount,
        currency=code,
        kind=Kind.TRANSFER if fields.get("TRNTYPE") == "XFER" else kind_for(amount),
        payee=clean(fields.get("NAME") or fields.get("PAYEE.NAME")),
        memo=clean(fields.get("MEMO")),
        line=block.index,
        raw=dict(fields),
    )


def _date(text: str | None) -> dt.date:
    """The calendar date as written: the time and zone after it are ignored on purpose."""
    if not text:
        raise RowProblem("the transaction has no date (DTPOSTED)")
    digits = text.strip()[:8]
    try:
        if not (digits.isascii() and digits.isdigit() and len(digits) == 8):
            raise ValueError
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise RowProblem(f"{text!r} is not an OFX date like 20251031") from None
