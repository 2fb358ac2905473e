"""decisions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=4000), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("ballot", sa.String(length=8), nullable=False),
        sa.Column("quorum_count", sa.Integer(), nullable=True),
        sa.Column("quorum_fraction", sa.String(length=40), nullable=True),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_member_id", sa.String(length=36), nullable=True),
        sa.Column("proposed_by_member_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name="fk_decisions_household_id_households",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_decisions"),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_decisions_household_id_status", ["household_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_decisions_status_closes_at", ["status", "closes_at"], unique=False
        )

    op.create_table(
        "decision_voters",
        sa.Column("decision_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("ballot", sa.JSON(), nullable=True),
        sa.Column("cast_by_member_id", sa.String(length=36), nullable=True),
        sa.Column("voted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name="fk_decision_voters_decision_id_decisions",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name="fk_decision_voters_member_id_members",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("decision_id", "member_id", name="pk_decision_voters"),
    )
    with op.batch_alter_table("decision_voters", schema=None) as batch_op:
        batch_op.create_index("ix_decision_voters_member_id", ["member_id"], unique=False)

    # No rowid on SQLite: rows are stored in the order of their random ids, so the file keeps
    # no trace of which ballot came after which (see domain/decisions/models.py).
    op.create_table(
        "decision_ballots",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("decision_id", sa.String(length=36), nullable=False),
        sa.Column("ballot", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name="fk_decision_ballots_decision_id_decisions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_decision_ballots"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("decision_ballots", schema=None) as batch_op:
        batch_op.create_index("ix_decision_ballots_decision_id", ["decision_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("decision_ballots", schema=None) as batch_op:
        batch_op.drop_index("ix_decision_ballots_decision_id")
    op.drop_table("decision_ballots")

    with op.batch_alter_table("decision_voters", schema=None) as batch_op:
        batch_op.drop_index("ix_decision_voters_member_id")
    op.drop_table("decision_voters")

    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_decisions_status_closes_at")
        batch_op.drop_index("ix_decisions_household_id_status")
    op.drop_table("decisions")
