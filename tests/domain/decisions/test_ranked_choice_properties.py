"""Instant runoff against a reference written independently, and its invariants.

pref-voting and votekit pull in numpy, scipy, numba, ortools and more, too heavy for a
test-only oracle, so the reference below is a deliberately plain IRV: one elimination a
round, and the documented tie-breaks written as one lexicographic key.
"""

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from domain.decisions.ballots import RankedBallot
from domain.decisions.ranked import count_ranked_choice
from domain.decisions.result import Result, Status

from .builders import options, rounds_of

Profile = tuple[list[str], list[tuple[str, ...]]]

ORDER = ["a", "b", "c", "d", "e"]


def reference_irv(order: list[str], ballots: list[tuple[str, ...]]) -> str | None:
    """The winner, or None when the final two tie."""
    remaining = list(order)
    history: list[dict[str, int]] = []
    while True:
        firsts = [next((c for c in b if c in remaining), None) for b in ballots]
        votes = {c: firsts.count(c) for c in remaining}
        history.append(votes)
        continuing = sum(votes.values())
        winners = [c for c in remaining if 2 * votes[c] > continuing]
        if winners:
            return winners[0]
        if len(remaining) == 2:
            return None
        # Fewest now; then fewest in round 1, round 2, …; then listed last.
        loser = min(
            remaining,
            key=lambda c: (votes[c], *(past[c] for past in history), -order.index(c)),
        )
        remaining.remove(loser)


@st.composite
def profiles(draw: st.DrawFn, *, complete: bool) -> Profile:
    order = ORDER[: draw(st.integers(2, 5))]
    ranking = st.permutations(order).map(tuple)
    if not complete:
        ranking = st.tuples(ranking, st.integers(1, len(order))).map(lambda p: p[0][: p[1]])
    ballots = draw(st.lists(ranking, min_size=1, max_size=15))
    return order, ballots


def count(order: list[str], ballots: list[tuple[str, ...]]) -> Result:
    return count_ranked_choice(
        options(*(o.upper() for o in order)), [RankedBallot(b) for b in ballots], required=1
    )


@given(profiles(complete=True))
def test_irv_matches_the_reference_on_complete_rankings(profile: Profile) -> None:
    order, ballots = profile
    result = count(order, ballots)
    expected = reference_irv(order, ballots)
    assert result.winner_option_ids == (() if expected is None else (expected,))
    assert result.status is (Status.TIED if expected is None else Status.PASSED)


@given(profiles(complete=False))
def test_irv_matches_the_reference_on_partial_rankings(profile: Profile) -> None:
    order, ballots = profile
    expected = reference_irv(order, ballots)
    assert count(order, ballots).winner_option_ids == (() if expected is None else (expected,))


@given(profiles(complete=False))
def test_every_round_accounts_for_every_ballot(profile: Profile) -> None:
    order, ballots = profile
    rounds = rounds_of(count(order, ballots))
    assert rounds
    for r in rounds:
        assert sum(n for _, n in r.votes) + r.exhausted == len(ballots)
    assert [r.exhausted for r in rounds] == sorted(r.exhausted for r in rounds)
    assert len(rounds) <= len(order)


@given(profiles(complete=False))
def test_an_eliminated_option_never_comes_back(profile: Profile) -> None:
    order, ballots = profile
    rounds = rounds_of(count(order, ballots))
    for earlier, later in pairwise(rounds):
        still_in = [o for o, _ in earlier.votes if o not in earlier.eliminated]
        assert [o for o, _ in later.votes] == still_in
    assert rounds[-1].eliminated == ()


@given(profiles(complete=False))
def test_the_winner_holds_a_majority_of_the_last_round(profile: Profile) -> None:
    order, ballots = profile
    result = count(order, ballots)
    last = dict(rounds_of(result)[-1].votes)
    if result.status is Status.PASSED:
        assert 2 * last[result.winner_option_ids[0]] > sum(last.values())
    else:
        assert len(set(last.values())) == 1 and len(last) == 2


@given(profiles(complete=False))
def test_an_option_first_on_most_ballots_wins_at_once(profile: Profile) -> None:
    order, ballots = profile
    firsts = [b[0] for b in ballots]
    majority = [o for o in order if 2 * firsts.count(o) > len(ballots)]
    result = count(order, ballots)
    if majority:
        assert result.winner_option_ids == (majority[0],)
        assert len(rounds_of(result)) == 1
