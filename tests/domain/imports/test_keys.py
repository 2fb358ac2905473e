"""Idempotency keys: identical rows stay distinct, re-imports and overlaps add nothing."""

import datetime as dt
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from domain.imports.keys import content_hash, normalise_payee, row_keys, similar_payees
from domain.imports.records import ImportedTransaction


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
