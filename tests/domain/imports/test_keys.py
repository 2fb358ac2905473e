"""Idempotency keys: identical rows stay distinct, re-imports and overlaps add nothing."""

import dataclasses
import datetime as dt
import hashlib
import json
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from domain.imports.keys import content_hash, normalise_payee, row_keys, similar_payees
from domain.imports.records import ImportedTransaction, Kind, SourceShare


def row(
    amount: int = -320,
    payee: str | None = "Coffee Corner",
    *,
    day: int = 1,
    account: str = "checking",
    source_id: str | None = None,
    memo: str | None = None,
) -> ImportedTransaction:
    return ImportedTransaction(
        source_id=source_id,
        account=account,
        date=dt.date(2026, 3, day),
        amount=amount,
        currency="EUR",
        payee=payee,
        memo=memo,
    )


def test_two_identical_coffees_get_two_keys() -> None:
    first, second = row_keys([row(), row()], account_scoped_ids=True)
    assert first != second


def test_payee_case_punctuation_and_spacing_do_not_change_the_key() -> None:
    assert normalise_payee("  COFFEE-corner!! ") == "coffee corner"
    [a] = row_keys([row(payee="Coffee Corner")], account_scoped_ids=True)
    [b] = row_keys([row(payee="coffee  corner.")], account_scoped_ids=True)
    assert a == b


def test_account_date_amount_and_currency_each_change_the_key() -> None:
    base = row_keys([row()], account_scoped_ids=True)
    for other in (row(account="card"), row(day=2), row(amount=-321)):
        assert row_keys([other], account_scoped_ids=True) != base


def test_source_ids_key_per_account_for_files_and_per_connection_for_apps() -> None:
    a, b = row(source_id="FIT1", account="checking"), row(source_id="FIT1", account="card")
    assert len(set(row_keys([a, b], account_scoped_ids=True))) == 2
    assert row_keys([a], account_scoped_ids=False) == row_keys([b], account_scoped_ids=False)


def test_a_reused_source_id_within_one_file_gives_two_rows() -> None:
    keys = row_keys([row(source_id="F"), row(source_id="F", amount=-999)], account_scoped_ids=True)
    assert len(set(keys)) == 2


def test_an_edited_memo_keeps_the_key_but_changes_the_content_hash() -> None:
    before, after = row(source_id="t1"), row(source_id="t1", memo="split with Alex")
    assert row_keys([before], account_scoped_ids=False) == row_keys(
        [after], account_scoped_ids=False
    )
    assert content_hash(before) != content_hash(after)


def test_similar_payees() -> None:
    assert similar_payees("REWE Markt 1234 Berlin", "Rewe")
    assert similar_payees(None, "anything")
    assert not similar_payees("Pharmacy", "Cinema")


# Few distinct values, so that identical rows are common.
rows = st.builds(
    row,
    amount=st.sampled_from([-320, -1000, 2500]),
    payee=st.sampled_from(["Coffee", "coffee", "Bakery", None]),
    day=st.integers(1, 2),
)


@given(st.lists(rows, max_size=30))
def test_keys_are_distinct_within_a_batch(batch: list[ImportedTransaction]) -> None:
    keys = row_keys(batch, account_scoped_ids=True)
    assert len(set(keys)) == len(batch)


@given(st.lists(rows, max_size=30), st.randoms())
def test_reimporting_in_any_order_gives_the_same_keys(
    batch: list[ImportedTransaction], random: object
) -> None:
    shuffled = list(batch)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert set(row_keys(shuffled, account_scoped_ids=True)) == set(
        row_keys(batch, account_scoped_ids=True)
    )


@given(st.lists(rows, max_size=30), st.lists(rows, max_size=30))
def test_a_second_file_creates_exactly_the_rows_the_first_did_not_have(
    first: list[ImportedTransaction], second: list[ImportedTransaction]
) -> None:
    """Importing `second` after `first` creates, per kind of identical row, only the copies
    beyond those already imported: an overlapping file adds nothing twice."""
    stored = set(row_keys(first, account_scoped_ids=True))
    new = set(row_keys(second, account_scoped_ids=True)) - stored
    seen_first = Counter(row_keys([r], account_scoped_ids=True)[0] for r in first)
    seen_second = Counter(row_keys([r], account_scoped_ids=True)[0] for r in second)
    assert len(new) == sum((seen_second - seen_first).values())


def test_stored_keys_and_hashes_stay_what_earlier_versions_computed() -> None:
    """Rows already imported keep matching: these are the values before the hashing was
    written out by hand (commit 2a4f8d9), for a row with every kind of field."""
    full = ImportedTransaction(
        source_id=None,
        account='Giro "Ü"',
        date=dt.date(2026, 3, 1),
        amount=-320,
        currency="EUR",
        payee="Café Corner",
        memo="Karte 1\u20ac",
        category=("Food", "Café"),
        shares=(SourceShare("p@x", 320, 160),),
        parent_id="S1",
    )
    assert content_hash(full) == "601c2af3d0988d33d5ab992d46c183669c810e335554a61e54ab8c075dc57097"
    assert row_keys([full, full], account_scoped_ids=True) == [
        "h:e581d9f69b9203764e3ffcc569ba5600edc7ec98ab4efd6e84ce1fa2cdcc06aa",
        "h:c0ddfc65f1f16e0e5a208958bb01df618a8516ab3a52756e5ec7db2ec5050abe",
    ]
    income = ImportedTransaction(
        source_id="FIT1",
        account="checking",
        date=dt.date(2026, 3, 1),
        amount=1250,
        currency="EUR",
        kind=Kind.INCOME,
    )
    assert content_hash(income) == (
        "7cafe187cbcfd1275f0571349b63710ca75f6d27ef3424ffedee5fe7c29fe35a"
    )
    assert row_keys([income], account_scoped_ids=True) == [
        "i:ec3d351a72eac375be4582f99899ef1dae9a517fa466839e86c85adcd587cbb3"
    ]


texts = st.none() | st.text(max_size=12)
any_rows = st.builds(
    ImportedTransaction,
    source_id=texts,
    account=st.text(max_size=12),
    date=st.dates(),
    amount=st.integers(-(10**18), 10**18),
    currency=st.text(max_size=4),
    kind=st.sampled_from(Kind),
    payee=texts,
    memo=texts,
    category=st.lists(st.text(max_size=6), max_size=3).map(tuple),
    parent_id=texts,
    counterparty=texts,
    shares=st.lists(
        st.builds(SourceShare, st.text(max_size=6), st.integers(), st.integers()), max_size=3
    ).map(tuple),
)
odd_values = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)


def hashed_as_stored(row: ImportedTransaction) -> str:
    """How every stored content hash was made: SHA-256 of the fields' sorted JSON."""
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
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


@given(any_rows)
def test_the_content_hash_is_the_sorted_json_of_the_row(row: ImportedTransaction) -> None:
    assert content_hash(row) == hashed_as_stored(row)


@given(any_rows, st.sampled_from(["account", "amount", "payee", "memo", "category"]), odd_values)
def test_a_field_of_another_type_hashes_as_json_writes_it(
    row: ImportedTransaction, name: str, value: object
) -> None:
    """A connector that hands over a bool amount or a numeric payee gets the hash
    `json.dumps` gives it, as before."""
    odd = dataclasses.replace(row, **{name: (value,) if name == "category" else value})
    assert content_hash(odd) == hashed_as_stored(odd)
