"""Idempotency keys and content fingerprints for imported rows (pure).

A row with a source id keys on it. A row without one (QIF, most CSV) keys on a hash of
account, date, amount, currency and normalised payee plus its occurrence number among the
identical rows of the same batch: two genuine coffees of 3.20 on one day become occurrences
1 and 2 and stay two, and importing the same (or an overlapping) file again produces the
same keys, so nothing new is created. The fingerprint (`content_hash`) covers everything a
source can change under the same key; a different fingerprint means "update".
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from json.encoder import encode_basestring_ascii as _text

from domain.imports.records import ImportedTransaction

PURE = True  # imports no database, web or HTTP framework: tests/contract/test_pure_core.py

_SEP = "\x1f"
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=4096)
def normalise_payee(payee: str | None) -> str:
    """Case, punctuation and spacing differences are not different payees. Cached: a
    statement names the same few shops on many rows."""
    return " ".join(_NOT_WORD.sub(" ", (payee or "").casefold()).split())


def _digest(*parts: object) -> str:
    return hashlib.sha256(_SEP.join(map(str, parts)).encode()).hexdigest()


_IDENTITY = _SEP.join(["%s"] * 5)  # `_digest`'s text of the five parts below


def identity(row: ImportedTransaction) -> str:
    """What makes rows "identical" for occurrence numbering, when there is no source id."""
    parts = row.account, row.date.isoformat(), row.amount, row.currency, normalise_payee(row.payee)
    return hashlib.sha256((_IDENTITY % parts).encode()).hexdigest()


def row_keys(rows: Sequence[ImportedTransaction], *, account_scoped_ids: bool) -> list[str]:
    """One key per row, distinct within the batch and stable across re-imports.

    File formats promise ids unique per account only (an OFX FITID), so for files the
    account is part of an id key; budgeting apps' ids are unique in the whole budget, so a
    transaction moved between accounts there stays the same row here. A source id repeated
    within one batch (banks do reuse FITIDs) gets an occurrence number like a hash key.
    """
    seen: dict[str, int] = {}
    keys = []
    for row in rows:
        if row.source_id is not None:
            base = _digest("id", row.account if account_scoped_ids else "", row.source_id)
            prefix = "i:"
        else:
            base = identity(row)
            prefix = "h:"
        occurrence = seen[base] = seen.get(base, 0) + 1
        keys.append(prefix + (base if occurrence == 1 else _digest(base, occurrence)))
    return keys


def content_hash(row: ImportedTransaction) -> str:
    """Everything the source may change under one key; equal hashes mean "already have it".

    The stored hashes are of `json.dumps(..., sort_keys=True)` of these fields
    (`_content_json`); a row of the declared types is written out directly, to the same
    text, because a re-import hashes every row of the file."""
    return hashlib.sha256(_fast_json(row) or _content_json(row)).hexdigest()


def _content_json(row: ImportedTransaction) -> bytes:
    content = {
        "account": row.account,
        "date": row.date.isoformat(),
        "amount": row.amount,
        "currency": row.currency,
        "kind": str(row.kind),
        "payee": row.payee,
        "memo": row.memo,
        "category": list(row.category),
        "parent_id": row.parent_id,
        "counterparty": row.counterparty,
        "shares": [[s.person, s.paid, s.owed] for s in row.shares],
    }
    return json.dumps(content, sort_keys=True).encode()


_CONTENT = (
    '{"account": %s, "amount": %d, "category": [%s], "counterparty": %s, "currency": %s, '
    '"date": %s, "kind": %s, "memo": %s, "parent_id": %s, "payee": %s, "shares": [%s]}'
)


def _fast_json(row: ImportedTransaction) -> bytes | None:
    """`_content_json`'s text when every field has its declared type, else None. A text
    field of another type makes `_text` raise; numbers are checked, as `%d` would take a
    bool or a float."""
    if type(row.amount) is not int or not all(
        type(share.paid) is type(share.owed) is int for share in row.shares
    ):
        return None
    payee, memo, parent_id, counterparty = row.payee, row.memo, row.parent_id, row.counterparty
    try:
        text = _CONTENT % (
            _text(row.account),
            row.amount,
            ", ".join(map(_text, row.category)),
            "null" if counterparty is None else _text(counterparty),
            _text(row.currency),
            _text(row.date.isoformat()),
            _text(str(row.kind)),
            "null" if memo is None else _text(memo),
            "null" if parent_id is None else _text(parent_id),
            "null" if payee is None else _text(payee),
            ", ".join(f"[{_text(s.person)}, {s.paid}, {s.owed}]" for s in row.shares),
        )
    except TypeError:
        return None
    return text.encode()


def similar_payees(a: str | None, b: str | None) -> bool:
    """Could these two payee texts name the same shop? Generous on purpose: a false "maybe"
    costs a click in the review queue, a false "no" costs a double-counted expense. A
    missing payee on either side cannot rule anything out."""
    left, right = normalise_payee(a), normalise_payee(b)
    if not left or not right or left in right or right in left:
        return True
    left_words, right_words = set(left.split()), set(right.split())
    overlap = len(left_words & right_words) / min(len(left_words), len(right_words))
    return overlap >= 0.5 or difflib.SequenceMatcher(None, left, right).ratio() >= 0.6
