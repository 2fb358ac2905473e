"""goals and their contributions; import rules that book into a goal

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 13:17:51.993254
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "goals",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=True),
        sa.Column("target_amount", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("split_method", sa.String(length=16), nullable=False),
        sa.Column("split_participants", sa.JSON(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reached_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("off_track", sa.Boolean(), nullable=False),
        sa.Column("created_by_member_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_goals_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goals_household_id"), ["household_id"], unique=False)

    op.create_table(
        "goal_contributions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("goal_id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("original_amount", sa.BigInteger(), nullable=False),
        sa.Column("original_currency", sa.String(length=3), nullable=False),
        sa.Column("exchange_rate", sa.String(length=40), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.Column("imported_row_id", sa.String(length=36), nullable=True),
        sa.Column("created_by_member_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["goals.id"],
            name=op.f("fk_goal_contributions_goal_id_goals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_goal_contributions_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["imported_row_id"],
            ["imported_transactions.id"],
            name=op.f("fk_goal_contributions_imported_row_id_imported_transactions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_goal_contributions_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_contributions")),
        sa.UniqueConstraint("imported_row_id", name=op.f("uq_goal_contributions_imported_row_id")),
    )
    with op.batch_alter_table("goal_contributions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_goal_contributions_goal_id_date", ["goal_id", "date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_goal_contributions_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_goal_contributions_member_id"), ["member_id"], unique=False
        )

    with op.batch_alter_table("import_rules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("goal_id", sa.String(length=36), nullable=True))
        batch_op.alter_column(
            "action",
            existing_type=sa.VARCHAR(length=16),
            type_=sa.String(length=32),
            existing_nullable=False,
        )
        batch_op.create_index(batch_op.f("ix_import_rules_goal_id"), ["goal_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_import_rules_goal_id_goals"),
            "goals",
            ["goal_id"],
            ["id"],
            ondelete="RESTRICT",
        )

    with op.batch_alter_table("imported_transactions", schema=None) as batch_op:
        batch_op.alter_column(
            "outcome",
            existing_type=sa.VARCHAR(length=16),
            type_=sa.String(length=32),
            existing_nullable=False,
        )


def downgrade() -> None:
    # The narrower columns cannot hold the goal action and outcome: those rules go, and the
    # rows they booked wait for review again, as they would with no rule.
    op.execute(
        "UPDATE imported_transactions SET outcome = 'needs_review' "
        "WHERE outcome = 'goal_contribution'"
    )
    op.execute("DELETE FROM import_rules WHERE action = 'goal_contribution'")
    with op.batch_alter_table("imported_transactions", schema=None) as batch_op:
        batch_op.alter_column(
            "outcome",
            existing_type=sa.String(length=32),
            type_=sa.VARCHAR(length=16),
            existing_nullable=False,
        )

    with op.batch_alter_table("import_rules", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_import_rules_goal_id_goals"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_import_rules_goal_id"))
        batch_op.alter_column(
            "action",
            existing_type=sa.String(length=32),
            type_=sa.VARCHAR(length=16),
            existing_nullable=False,
        )
        batch_op.drop_column("goal_id")

    with op.batch_alter_table("goal_contributions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_contributions_member_id"))
        batch_op.drop_index(batch_op.f("ix_goal_contributions_household_id"))
        batch_op.drop_index("ix_goal_contributions_goal_id_date")

    op.drop_table("goal_contributions")
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goals_household_id"))

    op.drop_table("goals")
