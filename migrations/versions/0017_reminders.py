"""reminders: each reminder sent once (a unique key), members' notification targets, each
reminder's delivery to each target, and a household's check-in rhythm

Revision ID: 0017_reminders
Revises: 0012
Create Date: 2026-12-07 16:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_reminders"
down_revision: str | None = "0016_member_day_totals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, no backfill needed: existing households set no rhythm, so nothing changes.
    # A plain ADD COLUMN, not a batch rebuild: on SQLite rebuilding `households` would break
    # the kept-totals triggers (0015_member_totals), which name it.
    op.add_column("households", sa.Column("check_in_every_days", sa.Integer(), nullable=True))
    op.create_table(
        "sent_reminders",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"],
            name=op.f("fk_sent_reminders_household_id_households"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"],
            name=op.f("fk_sent_reminders_member_id_members"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_reminders")),
        sa.UniqueConstraint("key", name=op.f("uq_sent_reminders_key")),
    )
    op.create_index(
        op.f("ix_sent_reminders_household_id"), "sent_reminders", ["household_id"], unique=False
    )
    op.create_index(
        op.f("ix_sent_reminders_member_id"), "sent_reminders", ["member_id"], unique=False
    )
    op.create_table(
        "notification_targets",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=True),
        sa.Column("url_sealed", sa.Text(), nullable=False),
        sa.Column("url_masked", sa.String(length=500), nullable=False),
        sa.Column("reminders", sa.JSON(), nullable=False),
        sa.Column("quiet_from", sa.String(length=5), nullable=True),
        sa.Column("quiet_to", sa.String(length=5), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"],
            name=op.f("fk_notification_targets_household_id_households"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"],
            name=op.f("fk_notification_targets_member_id_members"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_targets")),
    )
    op.create_index(
        op.f("ix_notification_targets_household_id"),
        "notification_targets", ["household_id"], unique=False,
    )
    op.create_index(
        op.f("ix_notification_targets_member_id"),
        "notification_targets", ["member_id"], unique=False,
    )
    op.create_table(
        "reminder_deliveries",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("reminder_id", sa.String(length=36), nullable=False),
        sa.Column("target_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.String(length=2000), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["reminder_id"], ["sent_reminders.id"],
            name=op.f("fk_reminder_deliveries_reminder_id_sent_reminders"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["notification_targets.id"],
            name=op.f("fk_reminder_deliveries_target_id_notification_targets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_deliveries")),
        sa.UniqueConstraint(
            "reminder_id", "target_id", name=op.f("uq_reminder_deliveries_reminder_id_target_id")
        ),
    )
    op.create_index(
        "ix_reminder_deliveries_sent_at_not_before",
        "reminder_deliveries", ["sent_at", "not_before"], unique=False,
    )
    op.create_index(
        op.f("ix_reminder_deliveries_target_id"), "reminder_deliveries", ["target_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_reminder_deliveries_target_id"), table_name="reminder_deliveries")
    op.drop_index("ix_reminder_deliveries_sent_at_not_before", table_name="reminder_deliveries")
    op.drop_table("reminder_deliveries")
    op.drop_index(op.f("ix_notification_targets_member_id"), table_name="notification_targets")
    op.drop_index(op.f("ix_notification_targets_household_id"), table_name="notification_targets")
    op.drop_table("notification_targets")
    op.drop_index(op.f("ix_sent_reminders_member_id"), table_name="sent_reminders")
    op.drop_index(op.f("ix_sent_reminders_household_id"), table_name="sent_reminders")
    op.drop_table("sent_reminders")
    op.execute("ALTER TABLE households DROP COLUMN check_in_every_days")
