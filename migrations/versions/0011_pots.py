"""pots: joint accounts, contributions, expenses paid from a pot, dated income history

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "pots",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("monthly_plan", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("pots", "household_id", "households", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pots")),
    )
    with op.batch_alter_table("pots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pots_household_id"), ["household_id"], unique=False)

    op.create_table(
        "pot_contributions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("pot_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("household_amount", sa.BigInteger(), nullable=False),
        sa.Column("original_amount", sa.BigInteger(), nullable=False),
        sa.Column("original_currency", sa.String(length=3), nullable=False),
        sa.Column("exchange_rate", sa.String(length=40), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.Column("created_by_member_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("pot_contributions", "household_id", "households", "CASCADE"),
        _fk("pot_contributions", "pot_id", "pots", "CASCADE"),
        _fk("pot_contributions", "member_id", "members", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pot_contributions")),
    )
    with op.batch_alter_table("pot_contributions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pot_contributions_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index("ix_pot_contributions_pot_id_date", ["pot_id", "date"], unique=False)

    op.create_table(
        "member_incomes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("created_by_member_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("member_incomes", "household_id", "households", "CASCADE"),
        _fk("member_incomes", "member_id", "members", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_incomes")),
        sa.UniqueConstraint(
            "member_id", "effective_from", name=op.f("uq_member_incomes_member_id_effective_from")
        ),
    )
    with op.batch_alter_table("member_incomes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_incomes_household_id"), ["household_id"], unique=False
        )

    with op.batch_alter_table("expenses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pot_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("pot_amount", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_expenses_pot_id"), ["pot_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_expenses_pot_id_pots"), "pots", ["pot_id"], ["id"], ondelete="RESTRICT"
        )

    with op.batch_alter_table("imported_transactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pot_contribution_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("member_income_id", sa.String(length=36), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_imported_transactions_pot_contribution_id"),
            ["pot_contribution_id"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_imported_transactions_pot_contribution_id_pot_contributions"),
            "pot_contributions",
            ["pot_contribution_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_imported_transactions_member_income_id_member_incomes"),
            "member_incomes",
            ["member_income_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("imported_transactions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_imported_transactions_member_income_id_member_incomes"),
            type_="foreignkey",
        )
        batch_op.drop_constraint(
            batch_op.f("fk_imported_transactions_pot_contribution_id_pot_contributions"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_imported_transactions_pot_contribution_id"))
        batch_op.drop_column("member_income_id")
        batch_op.drop_column("pot_contribution_id")

    with op.batch_alter_table("expenses", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_expenses_pot_id_pots"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_expenses_pot_id"))
        batch_op.drop_column("pot_amount")
        batch_op.drop_column("pot_id")

    op.drop_table("member_incomes")
    op.drop_table("pot_contributions")
    op.drop_table("pots")
