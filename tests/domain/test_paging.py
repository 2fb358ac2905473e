"""newest_id_first: walking its pages sees every row once, newest (largest id) first."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import col, select

from domain.db import unit_of_work
from domain.households.models import Household, Member
from domain.paging import newest_id_first


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.integers(0, 12), limit=st.integers(1, 5))
def test_pages_cover_every_row_once_in_descending_id_order(
    engine: Engine, rows: int, limit: int
) -> None:
    with unit_of_work(engine) as session:
        household = Household(name="H", currency="EUR", timezone="UTC")
        session.add(household)
        session.flush()
        session.add_all(
            Member(household_id=household.id, display_name=f"M{i}") for i in range(rows)
        )
        session.flush()
        everyone = select(Member).where(col(Member.household_id) == household.id)
        seen: list[str] = []
        after: str | None = None
        for _ in range(rows + 2):  # a broken cursor must fail, not loop
            page = list(
                session.scalars(newest_id_first(everyone, col(Member.id), after=after, limit=limit))
            )
            assert len(page) <= limit
            seen += [m.id for m in page]
            if len(page) < limit:
                break
            after = page[-1].id
        else:
            raise AssertionError("the pages never ended")
        expected = sorted(
            session.scalars(select(col(Member.id)).where(col(Member.household_id) == household.id)),
            reverse=True,
        )
    assert seen == expected
