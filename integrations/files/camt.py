"""CAMT.053: the ISO 20022 bank-to-customer statement, any version from 001.02 on.

The XML is read with `defusedxml`, DTDs refused outright: a statement never needs one, and
refusing them shuts out entity bombs and external entities alike. It is read as a stream,
so a file cut off or broken half way still yields every entry before the break, and the
break is reported. Namespaces are dropped as elements end, which makes every version's
`Ntry` read alike; where versions differ (`<Sts>BOOK</Sts>` before 001.08,
`<Sts><Cd>BOOK</Cd></Sts>` after) both forms are read.

Rows: `line` is the entry's 1-based position among the file's `Ntry` elements (pending
entries count even when skipped); the rows of a batch entry share it. `account` is the
statement's IBAN (or other account id), else the `account` argument.
"""

from __future__ import annotations

import io
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from domain.errors import InvalidInput
from domain.imports.records import Batch, RowError
from integrations.files.camt_entry import entry_id, entry_rows, status
from integrations.files.rows import RowProblem
from integrations.files.xml_paths import Paths

_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.053"


def parse_camt053(data: bytes, *, account: str = "default", include_pending: bool = False) -> Batch:
    """Every booked entry of every statement in the file; pending (and other unbooked)
    entries only when `include_pending`, then marked `pending`."""
    batch = Batch(transactions=[])
    path: list[str] = []
    statement_account: str | None = None
    entries = statements = 0
    try:
        for event, element in iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True):
            if event == "start":
                if not path:
                    _check_root(element.tag)
                path.append(element.tag.rpartition("}")[2])
                if path[-1] == "Stmt":
                    statement_account = None
                    statements += 1
                continue
            element.tag = path.pop()
            if element.tag == "Acct" and path[-1:] == ["Stmt"]:
                statement_account = _account_id(element)
            elif element.tag == "Ntry":
                entries += 1
                _read_entry(element, entries, statement_account or account, include_pending, batch)
                element.clear()
    except DefusedXmlException:
        raise InvalidInput(
            "the file declares a DTD or XML entities, which a bank statement never needs",
            field="file",
        ) from None
    except ParseError as error:
        line, column = error.position
        if not entries:
            raise InvalidInput(f"the file is not readable XML: {error}", field="file") from None
        reason = (
            f"the XML is cut off or malformed at line {line}, column {column}: "
            f"entries after number {entries} could not be read"
        )
        batch.errors.append(RowError(reason))
    if not statements:
        # As an OFX file without a statement: an export of the wrong thing, not an empty one.
        raise InvalidInput("the CAMT.053 file holds no statement (Stmt)", field="file")
    return batch


def _check_root(tag: str) -> None:
    namespace, _, name = tag.rpartition("}")
    if name == "Document" and (not namespace or _NAMESPACE in namespace):
        return
    if "camt.05" in namespace:
        message = f"{namespace.rsplit(':', 1)[-1]} is not supported: export a camt.053 statement"
    else:
        message = "the XML file is not a CAMT.053 bank statement"
    raise InvalidInput(message, field="file")


def _account_id(account: Element) -> str | None:
    for path in ("Id/IBAN", "Id/Othr/Id"):
        found = account.findtext(path)
        if found and found.strip():
            return found.strip()
    return None


def _read_entry(
    entry: Element, index: int, account: str, include_pending: bool, batch: Batch
) -> None:
    paths = Paths(entry)
    pending = status(paths) not in ("", "BOOK")
    if pending and not include_pending:
        return
    try:
        batch.transactions.extend(entry_rows(paths, index, account=account, pending=pending))
    except RowProblem as problem:
        batch.errors.append(RowError(str(problem), line=index, source_id=entry_id(paths)))
