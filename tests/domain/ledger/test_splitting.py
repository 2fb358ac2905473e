from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.ledger.splitting import Participant, SplitMethod, split_expense
from domain.ledger.values import MemberAmount
from tests.domain.ledger.strategies import ExpenseRequest, expense_requests, members

P = Participant


def shares(amount: int, method: SplitMethod, *participants: Participant) -> list[tuple[str, int]]:
    result = split_expense(amount=amount, method=method, participants=participants)
    return [(share.member_id, share.amount) for share in result]


def test_equal_split_gives_extra_cent_to_first_participant() -> None:
    assert shares(100, SplitMethod.EQUAL, P("b"), P("a"), P("c")) == [
        ("b", 34),
        ("a", 33),
        ("c", 33),
    ]


def test_equal_refund_mirrors_the_expense() -> None:
    assert shares(-100, SplitMethod.EQUAL, P("b"), P("a"), P("c")) == [
        ("b", -34),
        ("a", -33),
        ("c", -33),
    ]


def test_rent_splits_evenly_three_ways() -> None:
    assert shares(150_000, SplitMethod.EQUAL, P("a"), P("b"), P("c")) == [
        ("a", 50_000),
        ("b", 50_000),
        ("c", 50_000),
    ]


def test_shares_split_is_proportional() -> None:
    assert shares(1000, SplitMethod.SHARES, P("a", shares=3), P("b", shares=1)) == [
        ("a", 750),
        ("b", 250),
    ]


def test_percent_split_accepts_two_decimals() -> None:
    result = shares(
        1001,
        SplitMethod.PERCENT,
        P("a", percent=Decimal("33.33")),
        P("b", percent=Decimal("33.33")),
        P("c", percent=Decimal("33.34")),
    )
    assert result == [("a", 334), ("b", 333), ("c", 334)]


def test_percent_split_accepts_whole_numbers() -> None:
    assert shares(999, SplitMethod.PERCENT, P("a", percent=50), P("b", percent=50)) == [
        ("a", 500),
        ("b", 499),
    ]


def test_exact_split_keeps_the_given_amounts() -> None:
    assert shares(1999, SplitMethod.EXACT, P("a", amount=1500), P("b", amount=499)) == [
        ("a", 1500),
        ("b", 499),
    ]


def test_agreement_without_participants_uses_every_weighted_member_in_agreement_order() -> None:
    result = split_expense(
        amount=1000,
        method=SplitMethod.AGREEMENT,
        participants=[],
        agreement_weights={"b": Fraction(2, 3), "z": 0, "a": Fraction(1, 3)},
    )
    assert result == [MemberAmount("b", 667), MemberAmount("a", 333)]


def test_agreement_with_participants_renormalises_among_them() -> None:
    result = split_expense(
        amount=900,
        method=SplitMethod.AGREEMENT,
        participants=[P("c"), P("a")],
        agreement_weights={"a": 1, "b": 5, "c": 2},
    )
    assert result == [MemberAmount("c", 600), MemberAmount("a", 300)]


@pytest.mark.parametrize(
    ("amount", "method", "participants", "field", "message"),
    [
        (100, SplitMethod.EQUAL, [], "split.participants", "at least one"),
        (0, SplitMethod.EQUAL, [P("a")], "amount", "0"),
        (100, SplitMethod.EQUAL, [P("a"), P("b"), P("a")], "split.participants.2.member_id", "a"),
        (100, SplitMethod.EQUAL, [P("a", shares=1)], "split.participants.0.shares", "not used"),
        (
            100,
            SplitMethod.SHARES,
            [P("a", shares=1), P("b")],
            "split.participants.1.shares",
            "required",
        ),
        (100, SplitMethod.SHARES, [P("a", shares=0)], "split.participants.0.shares", "positive"),
        (100, SplitMethod.SHARES, [P("a", shares=-2)], "split.participants.0.shares", "positive"),
        (
            100,
            SplitMethod.PERCENT,
            [P("a", percent=Decimal("49.5")), P("b", percent=50)],
            "split.participants",
            "percents sum to 99.5, not 100",
        ),
        (
            100,
            SplitMethod.PERCENT,
            [P("a", percent=Decimal("50.005")), P("b", percent=Decimal("49.995"))],
            "split.participants.0.percent",
            "2 decimals",
        ),
        (
            100,
            SplitMethod.PERCENT,
            [P("a", percent=0), P("b", percent=100)],
            "split.participants.0.percent",
            "positive",
        ),
        (
            100,
            SplitMethod.PERCENT,
            [P("a", percent=Decimal("NaN"))],
            "split.participants.0.percent",
            "not a percent",
        ),
        (
            100,
            SplitMethod.PERCENT,
            [P("a", percent=100.0)],  # type: ignore[arg-type]
            "split.participants.0.percent",
            "decimal",
        ),
        (
            1999,
            SplitMethod.EXACT,
            [P("a", amount=1000), P("b", amount=998)],
            "split.participants",
            "amounts sum to 1998, not 1999",
        ),
        (
            -100,
            SplitMethod.EXACT,
            [P("a", amount=-150), P("b", amount=50)],
            "split.participants.1.amount",
            "sign",
        ),
    ],
)
def test_invalid_split_names_the_field(
    amount: int, method: SplitMethod, participants: list[Participant], field: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        split_expense(amount=amount, method=method, participants=participants)
    assert caught.value.field == field


def test_agreement_split_needs_the_agreement() -> None:
    with pytest.raises(InvalidInput) as caught:
        split_expense(amount=100, method=SplitMethod.AGREEMENT, participants=[])
    assert caught.value.field == "split.method"


def test_agreement_split_refuses_a_participant_outside_the_agreement() -> None:
    with pytest.raises(InvalidInput) as caught:
        split_expense(
            amount=100,
            method=SplitMethod.AGREEMENT,
            participants=[P("a"), P("x")],
            agreement_weights={"a": 1},
        )
    assert caught.value.field == "split.participants.1.member_id"


def test_agreement_split_refuses_participants_the_agreement_gives_nothing() -> None:
    with pytest.raises(InvalidInput) as caught:
        split_expense(
            amount=100,
            method=SplitMethod.AGREEMENT,
            participants=[P("b")],
            agreement_weights={"a": 1, "b": 0},
        )
    assert caught.value.field == "split.participants"


@given(members().flatmap(expense_requests))
def test_shares_sum_to_the_amount_in_participant_order(expense: ExpenseRequest) -> None:
    result = split_expense(
        amount=expense.amount,
        method=expense.method,
        participants=expense.participants,
        agreement_weights=expense.agreement_weights,
    )
    assert sum(share.amount for share in result) == expense.amount
    if expense.participants:
        assert [s.member_id for s in result] == [p.member_id for p in expense.participants]
    assert all((share.amount < 0) == (expense.amount < 0) for share in result if share.amount)


@given(members().flatmap(expense_requests))
def test_a_refund_takes_back_exactly_what_the_expense_gave(expense: ExpenseRequest) -> None:
    def split(amount: int) -> list[int]:
        participants = expense.participants
        if expense.method is SplitMethod.EXACT:
            sign = 1 if amount == expense.amount else -1
            participants = [P(p.member_id, amount=sign * (p.amount or 0)) for p in participants]
        result = split_expense(
            amount=amount,
            method=expense.method,
            participants=participants,
            agreement_weights=expense.agreement_weights,
        )
        return [share.amount for share in result]

    assert split(-expense.amount) == [-part for part in split(expense.amount)]


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=1, max_value=12))
def test_equal_split_differs_by_at_most_one_unit_and_favours_earlier(
    amount: int, count: int
) -> None:
    parts = shares(amount, SplitMethod.EQUAL, *(P(f"m{i}") for i in range(count)))
    values = [value for _, value in parts]
    assert values == sorted(values, reverse=True)
    assert max(values) - min(values) <= 1
