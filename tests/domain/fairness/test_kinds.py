"""The proposal-kind registry is complete and refuses what it does not know."""

import pytest

from domain.fairness.kinds import GENERATED, KINDS, rules_of
from domain.proposals.drafts import Kind


def test_every_kind_has_a_registry_line() -> None:
    assert set(KINDS) == set(Kind)


def test_an_unknown_kind_fails_instead_of_being_applied() -> None:
    with pytest.raises(LookupError, match="unknown proposal kind 'teleport'"):
        rules_of("teleport")


def test_advisory_kinds_change_nothing_and_requested_kinds_are_not_generated() -> None:
    advisory = {kind for kind, rules in KINDS.items() if rules.apply is None}
    assert advisory == {Kind.AGREEMENT_REVIEW, Kind.DECISION_BALANCE}
    assert Kind.AGREEMENT_CHANGE.value not in GENERATED
    assert set(GENERATED) == {k.value for k in Kind} - {Kind.AGREEMENT_CHANGE.value}


def test_alternatives_point_at_each_other() -> None:
    for kind, rules in KINDS.items():
        if rules.alternative is not None:
            assert KINDS[rules.alternative].alternative is kind
