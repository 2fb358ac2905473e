from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.decisions.methods import Method
from domain.decisions.quorum import required_ballots


@pytest.mark.parametrize(("members", "needed"), [(1, 1), (2, 2), (3, 2), (4, 3), (5, 3)])
def test_default_quorum_is_more_than_half(members: int, needed: int) -> None:
    assert required_ballots(Method.MAJORITY, None, eligible_voters=members) == needed


def test_default_consensus_quorum_is_every_member() -> None:
    assert required_ballots(Method.CONSENSUS, None, eligible_voters=4) == 4


def test_a_fraction_means_at_least_that_share_rounded_up() -> None:
    assert required_ballots(Method.SCORE, Fraction(1, 2), eligible_voters=4) == 2
    assert required_ballots(Method.SCORE, Fraction(2, 3), eligible_voters=4) == 3


def test_a_count_is_taken_as_given() -> None:
    assert required_ballots(Method.CONSENSUS, 2, eligible_voters=5) == 2


def test_an_empty_household_still_needs_one_ballot() -> None:
    assert required_ballots(Method.CONSENSUS, None, eligible_voters=0) == 1


@given(
    st.sampled_from(list(Method)),
    st.fractions(min_value=0, max_value=1).filter(lambda f: f > 0),
    st.integers(1, 30),
)
def test_a_fraction_quorum_never_asks_for_more_than_every_member(
    method: Method, share: Fraction, members: int
) -> None:
    needed = required_ballots(method, share, eligible_voters=members)
    assert 1 <= needed <= members
    assert needed >= share * members > needed - 1
