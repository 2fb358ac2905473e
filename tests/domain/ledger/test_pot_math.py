"""The pot replay: stakes, payers and balance stay consistent whatever the history."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import Conflict
from domain.ledger.pots.replay import Contribution, Entry, Spending, replay

MEMBERS = ["sam", "alex", "robin"]


@st.composite
def histories(draw: st.DrawFn) -> list[Entry]:
    """Histories the pot can carry: built step by step against a running replay."""
    entries: list[Entry] = []
    for index in range(draw(st.integers(1, 25))):
        state = replay(entries)
        kind = draw(st.sampled_from(["in", "in", "out", "spend", "spend", "refund"]))
        member = draw(st.sampled_from(MEMBERS))
        stake = state.stakes.get(member, 0)
        paid = sum(state.paid_for.values())
        if kind == "out" and stake > 0:
            entries.append(Contribution(member, -draw(st.integers(1, stake))))
        elif kind == "spend" and state.balance > 0:
            entries.append(Spending(f"e{index}", draw(st.integers(1, state.balance))))
        elif kind == "refund" and paid > 0:
            entries.append(Spending(f"e{index}", -draw(st.integers(1, paid))))
        else:
            entries.append(Contribution(member, draw(st.integers(1, 10**12))))
    return entries


@given(histories())
def test_the_balance_is_contributions_minus_spending_at_every_step(entries: list[Entry]) -> None:
    for end in range(1, len(entries) + 1):
        state = replay(entries[:end])
        put_in = sum(e.amount for e in entries[:end] if isinstance(e, Contribution))
        spent = sum(e.amount for e in entries[:end] if isinstance(e, Spending))
        assert state.balance == put_in - spent
        assert state.spent == spent
        assert all(stake >= 0 for stake in state.stakes.values())


@given(histories())
def test_every_expense_is_paid_exactly_and_nobody_pays_beyond_what_they_put_in(
    entries: list[Entry],
) -> None:
    state = replay(entries)
    for entry in entries:
        if isinstance(entry, Spending):
            parts = state.payers[entry.key]
            assert sum(p.amount for p in parts) == entry.amount
            assert all(p.amount != 0 and (p.amount > 0) == (entry.amount > 0) for p in parts)
    for member, contributed in state.contributed.items():
        assert state.paid_for[member] + state.stakes[member] == contributed
        assert state.paid_for[member] <= contributed


def test_an_expense_splits_by_stake_with_the_extra_unit_to_the_first_contributor() -> None:
    state = replay([Contribution("sam", 1000), Contribution("alex", 2000), Spending("rent", 1001)])
    assert [(p.member_id, p.amount) for p in state.payers["rent"]] == [
        ("sam", 334),
        ("alex", 667),
    ]


def test_a_refund_returns_to_whoever_the_pot_paid_for() -> None:
    state = replay(
        [
            Contribution("sam", 1000),
            Spending("shoes", 1000),
            Contribution("alex", 1000),
            Spending("refund", -400),
        ]
    )
    assert [(p.member_id, p.amount) for p in state.payers["refund"]] == [("sam", -400)]
    assert state.stakes == {"sam": 400, "alex": 1000}


@pytest.mark.parametrize(
    ("entries", "words"),
    [
        ([Spending("rent", 1)], "no contributions"),
        ([Contribution("sam", 10), Spending("rent", 11)], "holds only 10"),
        ([Contribution("sam", 10), Contribution("alex", -1)], "only 0"),
        ([Contribution("sam", 10), Spending("refund", -1)], "paid only 0"),
    ],
)
def test_what_a_pot_cannot_carry_is_a_conflict(entries: list[Entry], words: str) -> None:
    with pytest.raises(Conflict, match=words):
        replay(entries)
