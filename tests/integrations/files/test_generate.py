from integrations.files import parse_csv, parse_ofx
from tests.integrations.files.generate import CSV_MAPPING, OFX_ACCOUNT, csv_bytes, ofx_bytes


def test_the_generated_csv_reads_back_without_errors() -> None:
    batch = parse_csv(csv_bytes(300, seed=7), mapping=CSV_MAPPING)
    assert batch.errors == []
    assert len(batch.transactions) == 300
    assert len({row.source_id for row in batch.transactions}) == 300


def test_the_generated_ofx_reads_back_as_the_same_rows() -> None:
    ofx = parse_ofx(ofx_bytes(300, seed=7))
    csv = parse_csv(csv_bytes(300, seed=7), mapping=CSV_MAPPING)
    assert ofx.errors == []
    assert {row.account for row in ofx.transactions} == {OFX_ACCOUNT}
    assert [(row.date, row.amount, row.payee) for row in ofx.transactions] == [
        (row.date, row.amount, row.payee) for row in csv.transactions
    ]


def test_generation_is_deterministic() -> None:
    assert csv_bytes(50, seed=1) == csv_bytes(50, seed=1) != csv_bytes(50, seed=2)
