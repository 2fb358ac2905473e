"""fairness

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _household_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["household_id"],
        ["households.id"],
        name=op.f(f"fk_{table}_household_id_households"),
        ondelete="CASCADE",
    )


def _member_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["member_id"],
        ["members.id"],
        name=op.f(f"fk_{table}_member_id_members"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "agreement_versions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("proposal_id", sa.String(length=36), nullable=True),
        sa.Column("created_by_member_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _household_fk("agreement_versions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_versions")),
        sa.UniqueConstraint(
            "household_id", "number", name=op.f("uq_agreement_versions_household_id_number")
        ),
    )
    op.create_table(
        "fairness_proposals",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=True),
        sa.Column("period_to", sa.Date(), nullable=True),
        sa.Column("rationale", sa.String(length=4000), nullable=False),
        sa.Column("affected_member_ids", sa.JSON(), nullable=False),
        sa.Column("expected", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_by_member_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _household_fk("fairness_proposals"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fairness_proposals")),
    )
    with op.batch_alter_table("fairness_proposals", schema=None) as batch_op:
        batch_op.create_index(
            "ix_fairness_proposals_household_id_status", ["household_id", "status"], unique=False
        )

    op.create_table(
        "fairness_proposal_responses",
        sa.Column("proposal_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("response", sa.String(length=8), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.Column("responded_by_member_id", sa.String(length=36), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _member_fk("fairness_proposal_responses"),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["fairness_proposals.id"],
            name=op.f("fk_fairness_proposal_responses_proposal_id_fairness_proposals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "proposal_id", "member_id", name=op.f("pk_fairness_proposal_responses")
        ),
    )
    with op.batch_alter_table("fairness_proposal_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fairness_proposal_responses_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "check_ins",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("fairness", sa.Integer(), nullable=False),
        sa.Column("heard", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.Column("share_note", sa.Boolean(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("created_by_member_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _household_fk("check_ins"),
        _member_fk("check_ins"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_ins")),
    )
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.create_index("ix_check_ins_household_id_date", ["household_id", "date"])
        batch_op.create_index(batch_op.f("ix_check_ins_member_id"), ["member_id"], unique=False)

    op.create_table(
        "fairness_scores",
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("overall_score", sa.Float(), nullable=True),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _household_fk("fairness_scores"),
        sa.PrimaryKeyConstraint("household_id", name=op.f("pk_fairness_scores")),
    )


def downgrade() -> None:
    op.drop_table("fairness_scores")
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_check_ins_member_id"))
        batch_op.drop_index("ix_check_ins_household_id_date")

    op.drop_table("check_ins")
    with op.batch_alter_table("fairness_proposal_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fairness_proposal_responses_member_id"))

    op.drop_table("fairness_proposal_responses")
    with op.batch_alter_table("fairness_proposals", schema=None) as batch_op:
        batch_op.drop_index("ix_fairness_proposals_household_id_status")

    op.drop_table("fairness_proposals")
    op.drop_table("agreement_versions")
