"""ledger

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 23:46:28.358798
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exchange_rates",
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("rate", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_exchange_rates_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("household_id", "currency", "date", name=op.f("pk_exchange_rates")),
    )
    op.create_table(
        "recurring_expenses",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("template", sa.JSON(), nullable=False),
        sa.Column("rrule", sa.String(length=500), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_recurring_expenses_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recurring_expenses")),
    )
    with op.batch_alter_table("recurring_expenses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recurring_expenses_household_id"), ["household_id"], unique=False
        )

    op.create_table(
        "settle_up_plans",
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("transfers", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_settle_up_plans_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("household_id", name=op.f("pk_settle_up_plans")),
    )
    op.create_table(
        "expenses",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("original_amount", sa.BigInteger(), nullable=False),
        sa.Column("original_currency", sa.String(length=3), nullable=False),
        sa.Column("exchange_rate", sa.String(length=40), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("notes", sa.String(length=2000), nullable=True),
        sa.Column("split_method", sa.String(length=16), nullable=False),
        sa.Column("split_participants", sa.JSON(), nullable=False),
        sa.Column("payment", sa.JSON(), nullable=False),
        sa.Column("recurring_id", sa.String(length=36), nullable=True),
        sa.Column("occurrence_date", sa.Date(), nullable=True),
        sa.Column("created_by_member_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_expenses_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recurring_id"],
            ["recurring_expenses.id"],
            name=op.f("fk_expenses_recurring_id_recurring_expenses"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expenses")),
        sa.UniqueConstraint(
            "recurring_id", "occurrence_date", name=op.f("uq_expenses_recurring_id_occurrence_date")
        ),
    )
    with op.batch_alter_table("expenses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expenses_category"), ["category"], unique=False)
        batch_op.create_index(
            "ix_expenses_household_id_date", ["household_id", "date"], unique=False
        )

    op.create_table(
        "settlements",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("from_member_id", sa.String(length=36), nullable=False),
        sa.Column("to_member_id", sa.String(length=36), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("original_amount", sa.BigInteger(), nullable=False),
        sa.Column("original_currency", sa.String(length=3), nullable=False),
        sa.Column("exchange_rate", sa.String(length=40), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.Column("created_by_member_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_member_id"],
            ["members.id"],
            name=op.f("fk_settlements_from_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_settlements_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_member_id"],
            ["members.id"],
            name=op.f("fk_settlements_to_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlements")),
    )
    with op.batch_alter_table("settlements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_settlements_household_id_date", ["household_id", "date"], unique=False
        )

    op.create_table(
        "expense_payers",
        sa.Column("expense_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["expense_id"],
            ["expenses.id"],
            name=op.f("fk_expense_payers_expense_id_expenses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_expense_payers_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("expense_id", "member_id", name=op.f("pk_expense_payers")),
    )
    with op.batch_alter_table("expense_payers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_expense_payers_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "expense_shares",
        sa.Column("expense_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["expense_id"],
            ["expenses.id"],
            name=op.f("fk_expense_shares_expense_id_expenses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_expense_shares_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("expense_id", "member_id", name=op.f("pk_expense_shares")),
    )
    with op.batch_alter_table("expense_shares", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_expense_shares_member_id"), ["member_id"], unique=False
        )

    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.alter_column(
            "response_headers", existing_type=sa.TEXT(), type_=sa.Text(), existing_nullable=True
        )


def downgrade() -> None:
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.alter_column(
            "response_headers", existing_type=sa.Text(), type_=sa.TEXT(), existing_nullable=True
        )

    with op.batch_alter_table("expense_shares", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expense_shares_member_id"))

    op.drop_table("expense_shares")
    with op.batch_alter_table("expense_payers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expense_payers_member_id"))

    op.drop_table("expense_payers")
    with op.batch_alter_table("settlements", schema=None) as batch_op:
        batch_op.drop_index("ix_settlements_household_id_date")

    op.drop_table("settlements")
    with op.batch_alter_table("expenses", schema=None) as batch_op:
        batch_op.drop_index("ix_expenses_household_id_date")
        batch_op.drop_index(batch_op.f("ix_expenses_category"))

    op.drop_table("expenses")
    op.drop_table("settle_up_plans")
    with op.batch_alter_table("recurring_expenses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recurring_expenses_household_id"))

    op.drop_table("recurring_expenses")
    op.drop_table("exchange_rates")
