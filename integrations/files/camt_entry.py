"""One CAMT.053 `Ntry` (namespaces already dropped) into rows.

An entry is one booking; a batch entry (several `TxDtls`) is split into one row per
transaction when the transactions carry amounts that add up to the entry's, and kept as one
row otherwise, so the account's balance is always right. The sign comes from `CdtDbtInd`
(DBIT is money out; a reversal's indicator already says which way the money moved), the
date from `BookgDt` (or `ValDt` for a pending entry that has none), as written.

`source_id`: the entry's `AcctSvcrRef`, else its `NtryRef`, else the transaction's
`AcctSvcrRef` or `EndToEndId` ("NOTPROVIDED" is no id). The rows of a batch entry use
their own `AcctSvcrRef` when each has a distinct one, else "<entry id>/<n>", else their
`EndToEndId`, and share `parent_id` "camt:<entry id or position>".
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from domain.imports.records import ImportedTransaction
from integrations.files.amounts import minor_units
from integrations.files.rows import RowProblem, clean, kind_for
from integrations.files.xml_paths import Paths

_SIGNS = {"CRDT": 1, "DBIT": -1}


class _Row(NamedTuple):
    detail: Paths | None
    amount: int
    sign: int
    source_id: str | None
    raw: dict[str, Any]


def status(entry: Paths) -> str:
    """BOOK, PDNG, INFO or FUTR, from either the old or the new form of `Sts`."""
    found = entry.find("Sts")
    if found is None:
        return ""
    code = found.findtext("Cd") or found.findtext("Prtry") or found.text or ""
    return code.strip().upper()


def entry_id(entry: Paths) -> str | None:
    return _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")


def entry_rows(
    entry: Paths, index: int, *, account: str, pending: bool
) -> list[ImportedTransaction]:
    amount, currency, sign = _amount(entry, None)
    date = _date(entry)
    raw = _entry_raw(entry, index)
    own_id = entry_id(entry)
    details = [Paths(detail) for detail in entry.findall("NtryDtls/TxDtls")]
    split = _split(details, amount, currency, sign) if len(details) > 1 else None
    rows: list[_Row] = []
    if split is None:
        # One booking. Only a single transaction's details can name its other party.
        detail = details[0] if len(details) == 1 else None
        if detail is None:
            raw = {**raw, "transactions": len(details)} if details else raw
            rows.append(_Row(None, amount, sign, own_id, raw))
        else:
            source_id = own_id or next(filter(None, _detail_ids(detail)), None)
            rows.append(_Row(detail, amount, sign, source_id, {**raw, **_detail_raw(detail, sign)}))
    ids = _batch_ids([detail for detail, _, _ in split or []], own_id)
    for number, ((detail, part, part_sign), source_id) in enumerate(
        zip(split or [], ids, strict=True), 1
    ):
        row_raw = {**raw, **_detail_raw(detail, part_sign), "transaction": number}
        rows.append(_Row(detail, part, part_sign, source_id, row_raw))
    parent = None if split is None else f"camt:{own_id or index}"
    # A reversal keeps the parties of the booking it undoes: a returned direct debit still
    # names the company that collected it as the creditor.
    reversal = (_text(entry, "RvslInd") or "").lower() in ("true", "1")
    return [
        ImportedTransaction(
            source_id=row.source_id,
            account=account,
            date=date,
            amount=row.amount,
            currency=currency,
            kind=kind_for(row.amount),
            payee=_payee(row.detail, -row.sign if reversal else row.sign),
            memo=_memo(row.detail) or _text(entry, "AddtlNtryInf"),
            parent_id=parent,
            pending=pending,
            line=index,
            raw=row.raw,
        )
        for row in rows
    ]


def _split(
    details: list[Paths], total: int, currency: str, sign: int
) -> list[tuple[Paths, int, int]] | None:
    """Each transaction of a batch entry with its signed amount, or None when the amounts
    are missing or do not add up to the entry's."""
    parts = []
    for detail in details:
        if detail.find("Amt") is None and detail.find("AmtDtls/TxAmt/Amt") is None:
            return None
        try:
            amount, part_currency, part_sign = _amount(detail, sign)
        except RowProblem:
            return None
        if part_currency != currency:
            return None
        parts.append((detail, amount, part_sign))
    return parts if sum(amount for _, amount, _ in parts) == total else None


def _batch_ids(details: list[Paths], entry_key: str | None) -> list[str | None]:
    """The transactions' own references when each has a distinct one (some banks repeat
    the entry's in every transaction), else the entry's id and the position."""
    own = [_detail_ids(detail)[0] for detail in details]
    if all(own) and len(set(own)) == len(own) and entry_key not in own:
        return own
    if entry_key is not None:
        return [f"{entry_key}/{number}" for number in range(1, len(details) + 1)]
    ends = [_detail_ids(detail)[1] for detail in details]
    return ends if len(set(ends)) == len(ends) else [None] * len(details)


def _amount(element: Paths, default_sign: int | None) -> tuple[int, str, int]:
    found = element.find("Amt")
    if found is None:
        found = element.find("AmtDtls/TxAmt/Amt")
    if found is None or not (found.text or "").strip():
        raise RowProblem("the entry has no amount (Amt)")
    currency = found.get("Ccy", "").strip().upper()
    if not currency:
        raise RowProblem("the entry's amount names no currency (Ccy)")
    sign = _SIGNS.get((element.findtext("CdtDbtInd") or "").strip().upper(), default_sign)
    if sign is None:
        raise RowProblem("the entry says neither CRDT nor DBIT (CdtDbtInd)")
    return sign * minor_units(found.text or "", currency), currency, sign


def _date(entry: Paths) -> dt.date:
    for path in ("BookgDt/Dt", "BookgDt/DtTm", "ValDt/Dt", "ValDt/DtTm"):
        text = _text(entry, path)
        if text:
            try:
                return dt.date.fromisoformat(text[:10])
            except ValueError:
                raise RowProblem(f"{text!r} is not a date like 2025-10-31") from None
    raise RowProblem("the entry has no booking date (BookgDt)")


def _detail_ids(detail: Paths) -> tuple[str | None, str | None]:
    end_to_end = _text(detail, "Refs/EndToEndId")
    if end_to_end is not None and end_to_end.upper() == "NOTPROVIDED":
        end_to_end = None
    return _text(detail, "Refs/AcctSvcrRef"), end_to_end


def _payee(detail: Paths | None, sign: int) -> str | None:
    """The creditor of money going out, the debtor of money coming in."""
    return None if detail is None else _party(detail, "Cdtr" if sign < 0 else "Dbtr")


def _party(detail: Paths, role: str) -> str | None:
    for path in (f"{role}/Nm", f"{role}/Pty/Nm", f"Ultmt{role}/Nm", f"Ultmt{role}/Pty/Nm"):
        name = clean(detail.findtext(f"RltdPties/{path}"))
        if name:
            return name
    return None


def _memo(detail: Paths | None) -> str | None:
    if detail is None:
        return None
    lines = [text for found in detail.findall("RmtInf/Ustrd") if (text := clean(found.text))]
    return " ".join(lines) or clean(detail.findtext("AddtlTxInf"))


def _text(element: Paths, path: str) -> str | None:
    return clean(element.findtext(path))


def _entry_raw(entry: Paths, index: int) -> dict[str, Any]:
    amount = entry.find("Amt")
    raw = {
        "entry": index,
        "NtryRef": _text(entry, "NtryRef"),
        "AcctSvcrRef": _text(entry, "AcctSvcrRef"),
        "Sts": status(entry) or None,
        "Amt": _text(entry, "Amt"),
        "Ccy": None if amount is None else amount.get("Ccy"),
        "CdtDbtInd": _text(entry, "CdtDbtInd"),
        "RvslInd": _text(entry, "RvslInd"),
        "BookgDt": _text(entry, "BookgDt/Dt") or _text(entry, "BookgDt/DtTm"),
        "ValDt": _text(entry, "ValDt/Dt") or _text(entry, "ValDt/DtTm"),
        "AddtlNtryInf": _text(entry, "AddtlNtryInf"),
    }
    return {key: value for key, value in raw.items() if value is not None}


def _detail_raw(detail: Paths, sign: int) -> dict[str, Any]:
    role = "Cdtr" if sign < 0 else "Dbtr"
    own, end_to_end = _detail_ids(detail)
    raw = {
        "TxAcctSvcrRef": own,
        "EndToEndId": end_to_end,
        "TxAmt": _text(detail, "Amt") or _text(detail, "AmtDtls/TxAmt/Amt"),
        "party": _party(detail, role),
        "party_iban": _text(detail, f"RltdPties/{role}Acct/Id/IBAN"),
        "Ustrd": _memo(detail),
    }
    return {key: value for key, value in raw.items() if value is not None}
