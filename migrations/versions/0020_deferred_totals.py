"""deferred totals: a bulk insert of expense parts may add the kept totals itself (SQLite)

The triggers that keep member totals, member day totals and household versions on INSERT
into expense_payers and expense_shares (migrations 0015_member_totals and
0016_member_day_totals) do nothing while `deferred_totals` holds a row: an import's chunk of
expenses then adds its totals in a few grouped statements (`domain.ledger.totals.deferred`)
instead of three upserts per payer and share row, about a quarter of an import's CPU. The
row is inserted and deleted inside one savepoint, so no other writer ever sees it, and the
grouped sums are the per-row ones added in another order. Updates and deletes, settlements
and pot contributions are untouched. PostgreSQL gets the table only: its triggers stay as
they are (and its imports keep them).

Revision ID: 0020_deferred_totals
Revises: 0019_pot_state
Create Date: 2026-12-07 22:20:00
"""

import importlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_deferred_totals"
down_revision: str | None = "0019_pot_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("expense_payers", "expense_shares")
_UNLESS_DEFERRED = "WHEN NOT EXISTS (SELECT 1 FROM deferred_totals) "


def _insert_triggers(*, deferrable: bool) -> list[tuple[str, str]]:
    """(name, CREATE TRIGGER) of the four SQLite INSERT triggers on payers and shares, as
    0015 and 0016 made them, with the WHEN clause when `deferrable`."""
    totals = importlib.import_module("migrations.versions.0015_member_totals")
    days = importlib.import_module("migrations.versions.0016_member_day_totals")
    when = _UNLESS_DEFERRED if deferrable else ""
    found = []
    for statement in totals._sqlite_triggers():
        name = statement.split()[2]
        if any(name == f"trg_member_totals_{table}_insert" for table in _TABLES):
            head, body = statement.split(" FOR EACH ROW BEGIN ", 1)
            found.append((name, f"{head} FOR EACH ROW {when}BEGIN {body}"))
    for table, operation, timing, body in days.TRIGGERS:
        if table in _TABLES and operation == "INSERT":
            name = days._name(table, operation)
            found.append(
                (
                    name,
                    f"CREATE TRIGGER {name} {timing} {operation} ON {table} FOR EACH ROW "
                    f"{when}BEGIN {body} END",
                )
            )
    assert len(found) == 4, found
    return found


def _recreate(*, deferrable: bool) -> None:
    for name, statement in _insert_triggers(deferrable=deferrable):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(statement)


def upgrade() -> None:
    op.create_table(
        "deferred_totals",
        sa.Column("token", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_deferred_totals")),
    )
    if op.get_bind().dialect.name == "sqlite":
        _recreate(deferrable=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _recreate(deferrable=False)
    op.drop_table("deferred_totals")
