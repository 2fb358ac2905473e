"""A budgeting-app transfer booked as a goal contribution is never rewritten behind
anyone's back: changed or deleted at the source, it goes to review and the money stays."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.goals.models import GoalContribution
from domain.imports.models import ImportedRow
from tests.api.conftest import Caller, count
from tests.api.goals_builders import post_goal
from tests.api.imports_builders import member_of, rule
from tests.api.imports_fakes import CHECKING, FakeYnab, ynab_transaction
from tests.api.ledger_builders import Home
from tests.api.test_imports_connections import (  # noqa: F401  (fixtures: settings, serve)
    serve,
    settings,
    sync,
    ynab,
)


def _row(engine: Engine, source_id: str) -> ImportedRow:
    with Session(engine) as session:
        row = session.scalar(select(ImportedRow).where(ImportedRow.source_id == source_id))
        assert row is not None
        return row


def test_a_synced_contribution_changed_then_deleted_at_the_source_goes_to_review(
    sam: Caller,
    engine: Engine,
    serve: Callable[[Any], None],  # noqa: F811
) -> None:
    household = sam.household()
    me = member_of(sam, household["id"])
    home = Home(household["id"], me, "", "")
    goal = post_goal(sam, home)
    rule(sam, home.id, payee="savings", action="goal_contribution", goal_id=goal["id"])
    connection = ynab(sam, home.id, account_map={CHECKING: me})
    serve(
        FakeYnab(
            pages={
                None: ([ynab_transaction("s1", "2026-03-01", -500_000, "Joint savings")], 10),
                "10": ([ynab_transaction("s1", "2026-03-01", -450_000, "Joint savings")], 11),
                "11": (
                    [ynab_transaction("s1", "2026-03-01", -450_000, "Joint savings", deleted=True)],
                    12,
                ),
            }
        )
    )
    assert sync(sam, home.id, connection["id"])["counts"]["created"] == 1
    assert _row(engine, "s1").outcome == "goal_contribution"
    sync(sam, home.id, connection["id"])
    changed = _row(engine, "s1")
    assert changed.outcome == "needs_review"
    assert "goal contribution" in (changed.reason or "")
    sync(sam, home.id, connection["id"])
    assert "goal contribution is still recorded" in (_row(engine, "s1").reason or "")
    assert count(engine, GoalContribution) == 1
    assert sam.get(home.url(f"/goals/{goal['id']}")).json()["saved"] == 50_000
