"""member day totals: money contributed and owed per member per day, kept by triggers

The fairness report sums a period's money from these rows (one per member and day with
any money) instead of joining every expense of the period to its payers and shares: a year
costs the same at a thousand expenses or a hundred thousand. Days are the entries' own
dates, which are household-local days already.

`contributed`: payer rows of expenses not paid from a pot (by the expense's date), money put
into a pot (its household_amount, by the contribution's date), settlements sent minus
received (by the settlement's date). `owed`: share rows (by the expense's date).

Payer and share rows find their expense's date and pot through the expense; when the
expense itself is deleted, a BEFORE DELETE trigger on expenses takes its parts out first
(the cascade that follows finds no expense and does nothing), and a change of an expense's
date or pot moves its parts from the old day to the new one.

Revision ID: 0016_member_day_totals
Revises: 0015_member_totals
Create Date: 2026-12-07 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_member_day_totals"
down_revision: str | None = "0015_member_totals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ADD = (
    "INSERT INTO member_day_totals (member_id, day, contributed, owed) {rows} "
    "ON CONFLICT (member_id, day) DO UPDATE SET "
    "contributed = member_day_totals.contributed + excluded.contributed, "
    "owed = member_day_totals.owed + excluded.owed;"
)


def _add(select: str) -> str:
    # `WHERE true` (or any WHERE): SQLite then reads ON CONFLICT as the upsert's.
    return _ADD.format(rows=select)


def _sub(member: str, day: str, contributed: str, owed: str, where: str = "") -> str:
    return (
        f"UPDATE member_day_totals SET contributed = contributed - ({contributed}), "
        f"owed = owed - ({owed}) WHERE member_id = {member} AND day = {day}{where};"
    )


def _payer_add(row: str) -> str:
    return _add(
        f"SELECT {row}.member_id, e.date, {row}.amount, 0 FROM expenses e "
        f"WHERE e.id = {row}.expense_id AND e.pot_id IS NULL"
    )


def _payer_sub(row: str) -> str:
    return (
        "UPDATE member_day_totals SET contributed = contributed - "
        f"{row}.amount WHERE member_id = {row}.member_id AND day = (SELECT e.date FROM "
        f"expenses e WHERE e.id = {row}.expense_id AND e.pot_id IS NULL);"
    )


def _share_add(row: str) -> str:
    return _add(
        f"SELECT {row}.member_id, e.date, 0, {row}.amount FROM expenses e "
        f"WHERE e.id = {row}.expense_id"
    )


def _share_sub(row: str) -> str:
    return (
        f"UPDATE member_day_totals SET owed = owed - {row}.amount WHERE member_id = "
        f"{row}.member_id AND day = (SELECT e.date FROM expenses e WHERE e.id = "
        f"{row}.expense_id);"
    )


def _settlement_add(row: str) -> str:
    return " ".join(
        [
            _add(f"SELECT {row}.from_member_id, {row}.date, {row}.amount, 0 WHERE true"),
            _add(f"SELECT {row}.to_member_id, {row}.date, -{row}.amount, 0 WHERE true"),
        ]
    )


def _settlement_sub(row: str) -> str:
    return " ".join(
        [
            _sub(f"{row}.from_member_id", f"{row}.date", f"{row}.amount", "0"),
            _sub(f"{row}.to_member_id", f"{row}.date", f"-{row}.amount", "0"),
        ]
    )


def _contribution_add(row: str) -> str:
    return _add(f"SELECT {row}.member_id, {row}.date, {row}.household_amount, 0 WHERE true")


def _contribution_sub(row: str) -> str:
    return _sub(f"{row}.member_id", f"{row}.date", f"{row}.household_amount", "0")


def _expense_parts_add(row: str) -> str:
    """Adds every part of expense `row` on its day."""
    paid = (
        f"SELECT p.member_id, {row}.date, p.amount, 0 FROM expense_payers p "
        f"WHERE p.expense_id = {row}.id AND {row}.pot_id IS NULL"
    )
    borne = (
        f"SELECT s.member_id, {row}.date, 0, s.amount FROM expense_shares s "
        f"WHERE s.expense_id = {row}.id"
    )
    return _add(paid) + " " + _add(borne)


def _expense_parts_sub(row: str) -> str:
    """Takes every part of expense `row` out of its day: an UPDATE, never an insert, so a
    cascade (a household deleted) cannot bring back the rows of members already gone."""
    return (
        "UPDATE member_day_totals SET "
        "contributed = contributed - COALESCE((SELECT SUM(p.amount) FROM expense_payers p "
        f"WHERE p.expense_id = {row}.id AND p.member_id = member_day_totals.member_id "
        f"AND {row}.pot_id IS NULL), 0), "
        "owed = owed - COALESCE((SELECT SUM(s.amount) FROM expense_shares s "
        f"WHERE s.expense_id = {row}.id AND s.member_id = member_day_totals.member_id), 0) "
        f"WHERE day = {row}.date AND member_id IN (SELECT member_id FROM expense_payers "
        f"WHERE expense_id = {row}.id UNION SELECT member_id FROM expense_shares "
        f"WHERE expense_id = {row}.id);"
    )


# (table, operation, timing, body); `OLD`/`NEW` as in both databases' row triggers.
TRIGGERS = (
    ("expense_payers", "INSERT", "AFTER", _payer_add("NEW")),
    ("expense_payers", "DELETE", "AFTER", _payer_sub("OLD")),
    ("expense_payers", "UPDATE", "AFTER", _payer_sub("OLD") + " " + _payer_add("NEW")),
    ("expense_shares", "INSERT", "AFTER", _share_add("NEW")),
    ("expense_shares", "DELETE", "AFTER", _share_sub("OLD")),
    ("expense_shares", "UPDATE", "AFTER", _share_sub("OLD") + " " + _share_add("NEW")),
    ("settlements", "INSERT", "AFTER", _settlement_add("NEW")),
    ("settlements", "DELETE", "AFTER", _settlement_sub("OLD")),
    ("settlements", "UPDATE", "AFTER", _settlement_sub("OLD") + " " + _settlement_add("NEW")),
    ("pot_contributions", "INSERT", "AFTER", _contribution_add("NEW")),
    ("pot_contributions", "DELETE", "AFTER", _contribution_sub("OLD")),
    (
        "pot_contributions",
        "UPDATE",
        "AFTER",
        _contribution_sub("OLD") + " " + _contribution_add("NEW"),
    ),
    ("expenses", "DELETE", "BEFORE", _expense_parts_sub("OLD")),
    (
        "expenses",
        "UPDATE OF date, pot_id",
        "AFTER",
        _expense_parts_sub("OLD") + " " + _expense_parts_add("NEW"),
    ),
)

BACKFILL = """
INSERT INTO member_day_totals (member_id, day, contributed, owed)
SELECT member_id, day, SUM(contributed), SUM(owed) FROM (
  SELECT p.member_id AS member_id, e.date AS day, p.amount AS contributed, 0 AS owed
    FROM expense_payers p JOIN expenses e ON e.id = p.expense_id WHERE e.pot_id IS NULL
  UNION ALL
  SELECT s.member_id, e.date, 0, s.amount
    FROM expense_shares s JOIN expenses e ON e.id = s.expense_id
  UNION ALL
  SELECT from_member_id, date, amount, 0 FROM settlements
  UNION ALL
  SELECT to_member_id, date, -amount, 0 FROM settlements
  UNION ALL
  SELECT member_id, date, household_amount, 0 FROM pot_contributions
) movements
GROUP BY member_id, day
"""


def _name(table: str, operation: str) -> str:
    return f"trg_member_day_totals_{table}_{operation.split()[0].lower()}"


def _household_lock(table: str, operation: str) -> str:
    """PostgreSQL: the household row first, as every writer of kept totals takes it
    (migration 0015_member_totals), so that concurrent writers queue instead of deadlocking."""
    row = "OLD" if operation == "DELETE" else "NEW"
    household = (
        f"(SELECT household_id FROM members WHERE id = {row}.member_id)"
        if table in ("expense_payers", "expense_shares")
        else f"{row}.household_id"
    )
    return f"PERFORM 1 FROM households WHERE id = {household} FOR NO KEY UPDATE;"


def upgrade() -> None:
    op.create_table(
        "member_day_totals",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("contributed", sa.BigInteger(), nullable=False),
        sa.Column("owed", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_day_totals_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "day", name=op.f("pk_member_day_totals")),
    )
    op.execute(BACKFILL)
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, operation, timing, body in TRIGGERS:
        name = _name(table, operation)
        if postgres:
            # A BEFORE trigger must return the row for the delete to go ahead.
            returned = "OLD" if timing == "BEFORE" else "NULL"
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {_household_lock(table, operation)} {body} RETURN {returned}; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {name} {timing} {operation} ON {table} FOR EACH ROW "
                f"EXECUTE FUNCTION {name}()"
            )
        else:
            op.execute(
                f"CREATE TRIGGER {name} {timing} {operation} ON {table} FOR EACH ROW "
                f"BEGIN {body} END"
            )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, operation, _, _ in TRIGGERS:
        name = _name(table, operation)
        if postgres:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("member_day_totals")
