"""member totals kept by triggers (paid, owed, sent, received), household versions

Household versions: a number bumped by every write transaction of a household (by the
triggers below for ledger rows, by an ORM flush hook in domain/households/versions.py for
everything else), from which polled reads answer ETags and 304s.

Balances and settle-up read one row per member instead of summing the whole ledger. The
database keeps the rows itself, in the same transaction as every write to expense_payers,
expense_shares and settlements (services, imports, pots, recurring occurrences, cascades):
no write path can forget them. `fairstead verify` recomputes them from the raw rows.

SQLite drops a table's triggers with the table, and Alembic's batch mode on SQLite rebuilds
tables: a later migration that batch-alters expense_payers, expense_shares or settlements
must call `create_triggers` again (and `fairstead verify` would report the drift).

Revision ID: 0015_member_totals
Revises: 0012
Create Date: 2026-12-07 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_member_totals"
down_revision: str | None = "0014_member_unique_user"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, [(member column, total column)]): each row adds its amount to those totals.
SOURCES = (
    ("expense_payers", [("member_id", "paid")]),
    ("expense_shares", [("member_id", "owed")]),
    ("settlements", [("from_member_id", "sent"), ("to_member_id", "received")]),
)
OPS = ("insert", "update", "delete")

BACKFILL = """
INSERT INTO member_totals (member_id, paid, owed, sent, received)
SELECT m.id,
       COALESCE((SELECT SUM(amount) FROM expense_payers WHERE member_id = m.id), 0),
       COALESCE((SELECT SUM(amount) FROM expense_shares WHERE member_id = m.id), 0),
       COALESCE((SELECT SUM(amount) FROM settlements WHERE from_member_id = m.id), 0),
       COALESCE((SELECT SUM(amount) FROM settlements WHERE to_member_id = m.id), 0)
FROM members m
"""


def _add(row: str, member: str, total: str) -> str:
    return (
        f"INSERT INTO member_totals (member_id, paid, owed, sent, received) "
        f"VALUES ({row}.{member}, "
        + ", ".join(f"{row}.amount" if t == total else "0" for t in _TOTALS)
        + f") ON CONFLICT (member_id) DO UPDATE SET {total} = member_totals.{total} + "
        f"excluded.{total};"
    )


def _subtract(row: str, member: str, total: str) -> str:
    # An UPDATE, never an upsert: on a cascade (a household deleted) the member's row may be
    # gone already, and must not come back.
    return (
        f"UPDATE member_totals SET {total} = {total} - {row}.amount "
        f"WHERE member_id = {row}.{member};"
    )


_TOTALS = ("paid", "owed", "sent", "received")


def _sqlite_household(table: str, row: str, member: str) -> str:
    if table == "settlements":
        return f"SELECT {row}.household_id"
    return f"SELECT household_id FROM members WHERE id = {row}.{member}"


def _bump(households: str) -> str:
    # `WHERE true`: SQLite needs it to tell an upsert's ON CONFLICT from a join's ON.
    return (
        f"INSERT INTO household_versions (household_id, version) SELECT h.id, 1 FROM "
        f"households h WHERE h.id IN ({households}) ON CONFLICT (household_id) DO UPDATE "
        "SET version = household_versions.version + 1;"
    )


def _sqlite_triggers() -> list[str]:
    statements = []
    for table, columns in SOURCES:
        for operation in OPS:
            row = "OLD" if operation == "delete" else "NEW"
            body = [_bump(_sqlite_household(table, row, columns[0][0]))]
            if operation in ("update", "delete"):
                body += [_subtract("OLD", m, t) for m, t in columns]
            if operation in ("insert", "update"):
                body += [_add("NEW", m, t) for m, t in columns]
            watched = (
                " OF amount, " + ", ".join(m for m, _ in columns) if operation == "update" else ""
            )
            statements.append(
                f"CREATE TRIGGER trg_member_totals_{table}_{operation} "
                f"AFTER {operation.upper()}{watched} ON {table} FOR EACH ROW BEGIN "
                + " ".join(body)
                + " END"
            )
    return statements


def _postgresql_triggers() -> list[str]:
    statements = []
    for table, columns in SOURCES:
        member = columns[0][0]
        # Every writer of a household's totals first takes its household row (FOR NO KEY
        # UPDATE, which foreign-key checks do not conflict with): two transactions adding
        # expenses with members in different orders then queue instead of deadlocking on
        # each other's member rows.
        household = (
            "NEW.household_id"
            if table == "settlements"
            else f"(SELECT household_id FROM members WHERE id = NEW.{member})"
        )
        old_household = household.replace("NEW.", "OLD.")
        statements.append(
            f"""
CREATE FUNCTION member_totals_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM 1 FROM households WHERE id = {old_household} FOR NO KEY UPDATE;
    {_bump(f"SELECT id FROM households WHERE id = {old_household}")}
    {" ".join(_subtract("OLD", m, t) for m, t in columns)}
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM 1 FROM households WHERE id = {household} FOR NO KEY UPDATE;
    {_bump(f"SELECT id FROM households WHERE id = {household}")}
    {" ".join(_add("NEW", m, t) for m, t in columns)}
  END IF;
  RETURN NULL;
END $$"""
        )
        statements.append(
            f"CREATE TRIGGER trg_member_totals_{table} AFTER INSERT OR DELETE OR UPDATE OF "
            f"amount, {', '.join(m for m, _ in columns)} ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION member_totals_{table}()"
        )
    return statements


def create_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for statement in _postgresql_triggers() if dialect == "postgresql" else _sqlite_triggers():
        op.execute(statement)


def drop_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, _ in SOURCES:
            op.execute(f"DROP TRIGGER IF EXISTS trg_member_totals_{table} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS member_totals_{table}()")
        return
    for table, _ in SOURCES:
        for operation in OPS:
            op.execute(f"DROP TRIGGER IF EXISTS trg_member_totals_{table}_{operation}")


def upgrade() -> None:
    op.create_table(
        "household_versions",
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_household_versions_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("household_id", name=op.f("pk_household_versions")),
    )
    op.execute(
        "INSERT INTO household_versions (household_id, version) SELECT id, 1 FROM households"
    )
    op.create_table(
        "member_totals",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        *(sa.Column(total, sa.BigInteger(), nullable=False) for total in _TOTALS),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_totals_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_member_totals")),
    )
    op.execute(BACKFILL)
    create_triggers()


def downgrade() -> None:
    drop_triggers()
    op.drop_table("member_totals")
    op.drop_table("household_versions")
