"""The household version: one number bumped by every write transaction of a household.

Polled reads (balances, settle-up, the fairness summary and report, list pages) derive
strong ETags from it, so a poll that finds nothing new is a 304 that never reads the ledger.
Ledger rows bump it from the database triggers that keep the member totals (migration
0015_member_totals), whichever path wrote them; every other table with a `household_id` bumps it
from this flush hook, once per transaction and household. Only a changed version matters,
never its value.
"""

from typing import Any

from sqlalchemy import ScalarSelect, event, select, text
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.sql.elements import SQLCoreOperations
from sqlmodel import col

from domain.households.models import Household, HouseholdVersion

# Bookkeeping that changes no answer: the plan settle-up keeps to stay stable (stored when
# the balances it follows changed, which bumped the version already), and tokens (a
# restricted token's last use).
_IGNORED = frozenset({"settle_up_plans", "api_tokens"})
_BUMPED = "fairstead_bumped_households"

_LOCK = "SELECT 1 FROM households WHERE id = :household FOR NO KEY UPDATE"
_BUMP = text(
    "INSERT INTO household_versions (household_id, version) SELECT id, 1 FROM households "
    "WHERE id = :household ON CONFLICT (household_id) DO UPDATE "
    "SET version = household_versions.version + 1"
)


def version_of(household_id: SQLCoreOperations[str]) -> ScalarSelect[int]:
    """The version as a column of a larger statement (None until the first write)."""
    kept = col(HouseholdVersion.household_id)
    return select(col(HouseholdVersion.version)).where(kept == household_id).scalar_subquery()


def current(session: Session, *, household_id: str) -> int:
    version = session.scalar(
        text("SELECT version FROM household_versions WHERE household_id = :household"),
        {"household": household_id},
    )
    return int(version or 0)


def _touched(session: Session) -> set[str]:
    found = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if getattr(obj, "__tablename__", None) in _IGNORED:
            continue
        if isinstance(obj, Household):
            if obj not in session.deleted:
                found.add(obj.id)
            continue
        household_id = getattr(obj, "household_id", None)
        if isinstance(household_id, str) and (obj not in session.dirty or session.is_modified(obj)):
            found.add(household_id)
    return found


@event.listens_for(Session, "after_flush")
def _bump_versions(session: Session, _context: Any) -> None:
    bumped: set[str] = session.info.setdefault(_BUMPED, set())
    fresh = sorted(_touched(session) - bumped)
    if not fresh:
        return
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    for household_id in fresh:
        if postgres:
            # The household row first, as the ledger triggers take it: one lock order.
            connection.execute(text(_LOCK), {"household": household_id})
        connection.execute(_BUMP, {"household": household_id})
    bumped.update(fresh)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    # A savepoint rolled back may have undone a bump: bump again on the next flush.
    session.info.pop(_BUMPED, None)
