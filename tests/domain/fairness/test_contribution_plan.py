"""contribution_adjustment drafts: monthly amounts by the agreement that add up exactly."""

from datetime import date
from fractions import Fraction as F

from hypothesis import given
from hypothesis import strategies as st

from domain.fairness.pots.plan import PotPeriod, contribution_adjustment_draft, months_in
from domain.proposals.drafts import Draft, Kind, Situation
from domain.proposals.measures import Dimension, money_dimension
from domain.proposals.scores import scores_of

NAMES = {"sam": "Sam", "alex": "Alex"}
NO_TIME = Dimension(None, ())


def situation(money: Dimension) -> Situation:
    return Situation(
        order=["sam", "alex"],
        active=["sam", "alex"],
        names=NAMES,
        currency="EUR",
        tolerance=F(5, 100),
        dimension_weights={},
        money=money,
        time=NO_TIME,
        scores=scores_of(money.score, None),
    )


def _draft(contributed: dict[str, int], agreed: dict[str, F], months: F = F(1)) -> Draft | None:
    # All the money went through the pot, and the splits follow the agreement.
    total = sum(contributed.values())
    owed = {m: int(total * share) for m, share in agreed.items()}
    money = money_dimension(["sam", "alex"], contributed=contributed, owed=owed)
    return contribution_adjustment_draft(
        situation(money),
        PotPeriod("p1", "Joint", "EUR", contributed, contributed),
        agreed=agreed,
        months=months,
        contributed=contributed,
        owed=owed,
    )


def test_whole_calendar_months_count_as_months_and_other_spans_by_days() -> None:
    assert months_in(date(2026, 3, 1), date(2026, 3, 31)) == 1
    assert months_in(date(2026, 1, 1), date(2026, 3, 31)) == 3
    assert months_in(date(2026, 3, 2), date(2026, 3, 8)) == F(7) / (F(3652425, 120000))


def test_equal_contributions_against_62_5_percent_become_1250_and_750() -> None:
    draft = _draft({"sam": 100_000, "alex": 100_000}, {"sam": F(5, 8), "alex": F(3, 8)})
    assert draft is not None and draft.kind is Kind.CONTRIBUTION_ADJUSTMENT
    monthly = draft.details["monthly"]
    assert [(m["amount"], m["current"]) for m in monthly] == [(125_000, 100_000), (75_000, 100_000)]
    assert draft.expected.money == 100


def test_a_quarter_is_taken_as_a_monthly_rate() -> None:
    draft = _draft({"sam": 300_000, "alex": 300_000}, {"sam": F(5, 8), "alex": F(3, 8)}, F(3))
    assert draft is not None
    monthly = draft.details["monthly"]
    assert [m["amount"] for m in monthly] == [125_000, 75_000]


def test_within_tolerance_nothing_is_proposed() -> None:
    assert _draft({"sam": 104_000, "alex": 96_000}, {"sam": F(1, 2), "alex": F(1, 2)}) is None


@given(
    st.integers(1, 10**9),
    st.integers(1, 10**9),
    st.integers(1, 99),
    st.integers(1, 12),
)
def test_the_suggested_amounts_add_up_to_the_current_monthly_total(
    sam: int, alex: int, sam_percent: int, months: int
) -> None:
    agreed = {"sam": F(sam_percent, 100), "alex": F(100 - sam_percent, 100)}
    draft = _draft({"sam": sam, "alex": alex}, agreed, F(months))
    if draft is None:
        return
    monthly = draft.details["monthly"]
    total = F(sam + alex, months)
    assert abs(sum(m["amount"] for m in monthly) - total) <= F(1, 2)
    for m in monthly:
        assert abs(m["amount"] - total * agreed[m["member_id"]]) < 1
