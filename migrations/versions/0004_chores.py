"""chores

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _household(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["household_id"],
        ["households.id"],
        name=f"fk_{table}_household_id_households",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "chores",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("estimated_minutes", sa.Integer(), nullable=False),
        sa.Column("effort", sa.Integer(), nullable=False),
        sa.Column("load", sa.String(length=16), nullable=False),
        sa.Column("recurrence", sa.String(length=500), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("strategy", sa.String(length=16), nullable=False),
        sa.Column("fixed_member_id", sa.String(length=36), nullable=True),
        sa.Column("everyone_eligible", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fixed_member_id"],
            ["members.id"],
            name="fk_chores_fixed_member_id_members",
            ondelete="SET NULL",
        ),
        _household("chores"),
        sa.PrimaryKeyConstraint("id", name="pk_chores"),
    )
    with op.batch_alter_table("chores", schema=None) as batch_op:
        batch_op.create_index("ix_chores_household_id", ["household_id"], unique=False)

    op.create_table(
        "chore_eligible_members",
        sa.Column("chore_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chore_id"],
            ["chores.id"],
            name="fk_chore_eligible_members_chore_id_chores",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name="fk_chore_eligible_members_member_id_members",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("chore_id", "member_id", name="pk_chore_eligible_members"),
    )
    with op.batch_alter_table("chore_eligible_members", schema=None) as batch_op:
        batch_op.create_index("ix_chore_eligible_members_member_id", ["member_id"], unique=False)

    op.create_table(
        "chore_preferences",
        sa.Column("chore_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("preference", sa.String(length=8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chore_id"],
            ["chores.id"],
            name="fk_chore_preferences_chore_id_chores",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name="fk_chore_preferences_member_id_members",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("chore_id", "member_id", name="pk_chore_preferences"),
    )
    with op.batch_alter_table("chore_preferences", schema=None) as batch_op:
        batch_op.create_index("ix_chore_preferences_member_id", ["member_id"], unique=False)

    op.create_table(
        "chore_occurrences",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("chore_id", sa.String(length=36), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("assigned_member_id", sa.String(length=36), nullable=True),
        sa.Column("completed_by_member_id", sa.String(length=36), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("effort", sa.Integer(), nullable=True),
        sa.Column("load", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_member_id"],
            ["members.id"],
            name="fk_chore_occurrences_assigned_member_id_members",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["chore_id"],
            ["chores.id"],
            name="fk_chore_occurrences_chore_id_chores",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["completed_by_member_id"],
            ["members.id"],
            name="fk_chore_occurrences_completed_by_member_id_members",
        ),
        _household("chore_occurrences"),
        sa.PrimaryKeyConstraint("id", name="pk_chore_occurrences"),
        sa.UniqueConstraint("chore_id", "due_on", name="uq_chore_occurrences_chore_id_due_on"),
    )
    with op.batch_alter_table("chore_occurrences", schema=None) as batch_op:
        batch_op.create_index(
            "ix_chore_occurrences_assigned_member_id", ["assigned_member_id"], unique=False
        )
        batch_op.create_index(
            "ix_chore_occurrences_completed_by_member_id",
            ["completed_by_member_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_chore_occurrences_household_id_due_on", ["household_id", "due_on"], unique=False
        )
        batch_op.create_index(
            "ix_chore_occurrences_household_id_completed_on",
            ["household_id", "completed_on"],
            unique=False,
        )

    op.create_table(
        "time_entries",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("chore_id", sa.String(length=36), nullable=True),
        sa.Column("load", sa.String(length=16), nullable=False),
        sa.Column("effort", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.Column("created_by_member_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["chore_id"],
            ["chores.id"],
            name="fk_time_entries_chore_id_chores",
            ondelete="SET NULL",
        ),
        _household("time_entries"),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name="fk_time_entries_member_id_members"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_time_entries"),
    )
    with op.batch_alter_table("time_entries", schema=None) as batch_op:
        batch_op.create_index("ix_time_entries_chore_id", ["chore_id"], unique=False)
        batch_op.create_index("ix_time_entries_member_id", ["member_id"], unique=False)
        batch_op.create_index(
            "ix_time_entries_household_id_date", ["household_id", "date"], unique=False
        )

    op.create_table(
        "absences",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _household("absences"),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name="fk_absences_member_id_members",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_absences"),
    )
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.create_index("ix_absences_household_id", ["household_id"], unique=False)
        batch_op.create_index("ix_absences_member_id", ["member_id"], unique=False)


def downgrade() -> None:
    for table, indexes in (
        ("absences", ["ix_absences_member_id", "ix_absences_household_id"]),
        (
            "time_entries",
            [
                "ix_time_entries_household_id_date",
                "ix_time_entries_member_id",
                "ix_time_entries_chore_id",
            ],
        ),
        (
            "chore_occurrences",
            [
                "ix_chore_occurrences_household_id_completed_on",
                "ix_chore_occurrences_household_id_due_on",
                "ix_chore_occurrences_completed_by_member_id",
                "ix_chore_occurrences_assigned_member_id",
            ],
        ),
        ("chore_preferences", ["ix_chore_preferences_member_id"]),
        ("chore_eligible_members", ["ix_chore_eligible_members_member_id"]),
        ("chores", ["ix_chores_household_id"]),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(index)
        op.drop_table(table)
