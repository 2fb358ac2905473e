"""Reviews over three periods, who decides, and the findings in words."""

from datetime import date
from fractions import Fraction

from domain.agreement.terms import Agreement, Load, MoneyTarget, Period, TimeTarget
from domain.decisions.stats import MemberDecisionStats
from domain.fairness.findings import findings, headline
from domain.fairness.review import (
    PeriodMeasure,
    agreement_review_drafts,
    decision_balance_draft,
    describe,
)
from domain.proposals.drafts import Kind, Situation
from domain.proposals.measures import Dimension, measure, money_dimension
from domain.proposals.scores import CheckInSummary, scores_of

F = Fraction
HALF = {"sam": F(1, 2), "alex": F(1, 2)}
NAMES = {"sam": "Sam", "alex": "Alex", "robin": "Robin"}
NO_MONEY = money_dimension(["sam", "alex"], contributed={}, owed={})


def situation(time: Dimension, money: Dimension = NO_MONEY) -> Situation:
    return Situation(
        order=["sam", "alex"],
        active=["sam", "alex"],
        names=NAMES,
        currency="EUR",
        tolerance=F(5, 100),
        dimension_weights={},
        money=money,
        time=time,
        scores=scores_of(money.score, time.score),
    )


def month(n: int, alex_minutes: int) -> PeriodMeasure:
    last = date(2026, n + 1, 1).toordinal() - 1
    return PeriodMeasure(
        date(2026, n, 1),
        date.fromordinal(last),
        NO_MONEY,
        measure(["sam", "alex"], {"sam": 1000 - alex_minutes, "alex": alex_minutes}, HALF),
    )


def test_three_months_over_target_ask_for_a_review() -> None:
    history = [month(1, 700), month(2, 640), month(3, 610)]
    drafts = agreement_review_drafts(
        situation(history[-1].time), history=history, period=Period.MONTH, low_check_ins={}
    )
    assert len(drafts) == 1
    review = drafts[0]
    assert review.kind is Kind.AGREEMENT_REVIEW
    assert review.details["member_id"] == "alex"
    assert review.rationale == (
        "For 3 months running, Alex did more than the agreed share of the weighted chore time "
        "(70%, 64%, 61% against an agreed 50%). Time to revisit the time agreement together: "
        "do the targets still fit, or does the way you share need to change?"
    )
    assert review.details["suggest_third_party"] is False


def test_low_check_ins_add_a_neutral_third_party() -> None:
    history = [month(1, 700), month(2, 700), month(3, 700)]
    (review,) = agreement_review_drafts(
        situation(history[-1].time),
        history=history,
        period=Period.MONTH,
        low_check_ins={"alex": True, "sam": False},
    )
    assert "counsellor or a mediator" in review.rationale
    assert review.details["suggest_third_party"] is True


def test_one_month_within_tolerance_breaks_the_run() -> None:
    history = [month(1, 700), month(2, 540), month(3, 700)]
    drafts = agreement_review_drafts(
        situation(history[-1].time), history=history, period=Period.MONTH, low_check_ins={}
    )
    assert drafts == []


def stats(member: str, proposed: int, ballots: int, matched: int) -> MemberDecisionStats:
    return MemberDecisionStats(member, proposed, ballots, matched, 0)


def test_one_member_proposing_nearly_everything_suggests_rotating() -> None:
    draft = decision_balance_draft(
        situation(measure(["sam", "alex"], {}, HALF)),
        decisions=[stats("sam", 9, 10, 5), stats("alex", 1, 10, 5)],
        category=None,
    )
    assert draft is not None and draft.kind is Kind.DECISION_BALANCE
    assert draft.rationale.startswith("Sam proposed 9 of the 10 decisions: consider rotating")
    assert draft.details["suggestions"] == ["rotate_proposer"]


def test_ballots_that_match_far_more_often_suggest_secret_ballots_or_consensus() -> None:
    draft = decision_balance_draft(
        situation(measure(["sam", "alex"], {}, HALF)),
        decisions=[stats("sam", 3, 10, 9), stats("alex", 3, 10, 2)],
        category="holidays",
    )
    assert draft is not None
    assert draft.rationale == (
        "Sam's ballots matched the outcome 90% of the time, Alex's 20%: consider secret "
        "ballots, so nobody votes with the expected winner, or consensus for 'holidays' "
        "decisions, so every objection has to be heard."
    )


def test_few_decisions_or_close_rates_propose_nothing() -> None:
    empty = situation(measure(["sam", "alex"], {}, HALF))
    assert (
        decision_balance_draft(
            empty, decisions=[stats("sam", 4, 4, 4), stats("alex", 0, 4, 0)], category=None
        )
        is None
    )
    assert (
        decision_balance_draft(
            empty, decisions=[stats("sam", 3, 10, 7), stats("alex", 3, 10, 4)], category=None
        )
        is None
    )


def test_an_agreement_is_described_in_words() -> None:
    agreement = Agreement(
        money=MoneyTarget.INCOME,
        time=TimeTarget.CAPACITY,
        load_multipliers={Load.CONCEPTION: F(3, 2)},
        hour_value=1500,
    )
    assert describe(agreement, "EUR") == (
        "money shared in proportion to monthly incomes, chore time shared in proportion to "
        "weekly available time, conception work counts ×1.5, a weighted hour is worth 15.00 "
        "EUR, measured by month with a tolerance of 5%"
    )


def test_findings_put_the_biggest_imbalance_first() -> None:
    money = money_dimension(
        ["sam", "alex"],
        contributed={"sam": 120_000, "alex": 30_000},
        owed={"sam": 100_000, "alex": 50_000},
    )
    time = measure(["sam", "alex"], {"sam": 36, "alex": 64}, HALF)
    sentences = findings(
        names=NAMES,
        money=money,
        time=time,
        decisions=[stats("sam", 0, 0, 0), stats("alex", 0, 0, 0)],
        check_ins=[CheckInSummary("alex", 2, F(3, 2), F(4))],
        tolerance=F(5, 100),
        overall_score=F(85),
    )
    assert sentences == [
        "Alex did 64% of the weighted chore time against an agreed 50%.",
        "Sam paid 80% of the shared expenses, settlements included, against an agreed 67%.",
        "Alex rates fairness 1.5 of 5 on average (2 check-ins) while the measured score is 85.0.",
    ]
    assert headline(sentences) == sentences[0]


def test_a_balanced_period_says_so_and_an_empty_one_has_a_headline_too() -> None:
    time = measure(["sam", "alex"], {"sam": 51, "alex": 49}, HALF)
    sentences = findings(
        names=NAMES, money=NO_MONEY, time=time, decisions=[], check_ins=[],
        tolerance=F(5, 100), overall_score=F(99),
    )  # fmt: skip
    assert sentences == ["Chore time is within the agreement (score 99.0)."]
    assert headline([]) == "Nothing has been recorded in this period yet."
