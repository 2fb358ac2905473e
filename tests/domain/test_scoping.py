"""get_in_household: a row of another household is NotFound, exactly like a missing one."""

import pytest
from sqlalchemy import Engine

from domain.db import unit_of_work
from domain.errors import NotFound
from domain.households.models import Household, Member
from domain.households.service import get_member
from domain.scoping import get_in_household


def _two_households(engine: Engine) -> tuple[str, str, str]:
    """(our household, our member, their member)."""
    with unit_of_work(engine) as session:
        ours = Household(name="Ours", currency="EUR", timezone="Europe/Berlin")
        theirs = Household(name="Theirs", currency="EUR", timezone="Europe/Berlin")
        session.add_all([ours, theirs])
        session.flush()
        mine = Member(household_id=ours.id, display_name="Ana")
        other = Member(household_id=theirs.id, display_name="Ben")
        session.add_all([mine, other])
        session.flush()
        return ours.id, mine.id, other.id


@pytest.mark.parametrize("lock", [False, True])
def test_another_households_row_is_not_found(engine: Engine, lock: bool) -> None:
    ours, mine, theirs = _two_households(engine)
    with unit_of_work(engine) as session:
        assert get_in_household(session, Member, mine, ours, what="member", lock=lock).id == mine
        with pytest.raises(NotFound) as other:
            get_in_household(session, Member, theirs, ours, what="member", lock=lock)
        with pytest.raises(NotFound) as missing:
            get_in_household(session, Member, "no-such-id", ours, what="member", lock=lock)
    assert str(other.value) == str(missing.value) == "member not found"
    assert other.value.field is None


def test_the_field_is_named_and_a_service_getter_goes_through_it(engine: Engine) -> None:
    ours, _, theirs = _two_households(engine)
    with unit_of_work(engine) as session:
        with pytest.raises(NotFound) as named:
            get_in_household(session, Member, theirs, ours, what="member", field="member_id")
        assert named.value.field == "member_id"
        with pytest.raises(NotFound, match=r"^member not found$"):
            get_member(session, household_id=ours, member_id=theirs)
