"""imports: connections, rules, runs and imported transactions

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _household(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["household_id"],
        ["households.id"],
        name=f"fk_{table}_household_id_households",
        ondelete="CASCADE",
    )


def _set_null(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete="SET NULL"
    )


def upgrade() -> None:
    op.create_table(
        "import_connections",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("credentials", sa.Text(), nullable=True),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("account_map", sa.JSON(), nullable=False),
        sa.Column("member_map", sa.JSON(), nullable=False),
        sa.Column("sync_interval_minutes", sa.Integer(), nullable=True),
        sa.Column("next_sync_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("last_synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_member_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _household("import_connections"),
        sa.PrimaryKeyConstraint("id", name="pk_import_connections"),
    )
    with op.batch_alter_table("import_connections", schema=None) as batch_op:
        batch_op.create_index("ix_import_connections_household_id", ["household_id"], unique=False)
        batch_op.create_index("ix_import_connections_next_sync_at", ["next_sync_at"], unique=False)

    op.create_table(
        "import_rules",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("payee", sa.String(length=200), nullable=True),
        sa.Column("memo", sa.String(length=200), nullable=True),
        sa.Column("category", sa.String(length=200), nullable=True),
        sa.Column("account", sa.String(length=200), nullable=True),
        sa.Column("regex", sa.Boolean(), nullable=False),
        sa.Column("min_amount", sa.BigInteger(), nullable=True),
        sa.Column("max_amount", sa.BigInteger(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("split_method", sa.String(length=16), nullable=True),
        sa.Column("split_participants", sa.JSON(), nullable=False),
        sa.Column("set_category", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _household("import_rules"),
        sa.PrimaryKeyConstraint("id", name="pk_import_rules"),
    )
    with op.batch_alter_table("import_rules", schema=None) as batch_op:
        batch_op.create_index(
            "ix_import_rules_household_id_position", ["household_id", "position"], unique=False
        )

    op.create_table(
        "import_runs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("connection_id", sa.String(length=36), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("errors_truncated", sa.Boolean(), nullable=False),
        sa.Column("cursor_before", sa.Text(), nullable=True),
        sa.Column("cursor_after", sa.Text(), nullable=True),
        sa.Column("created_by_member_id", sa.String(length=36), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        _household("import_runs"),
        _set_null("import_runs", "connection_id", "import_connections"),
        sa.PrimaryKeyConstraint("id", name="pk_import_runs"),
    )
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.create_index("ix_import_runs_connection_id", ["connection_id"], unique=False)
        batch_op.create_index(
            "ix_import_runs_household_id_id", ["household_id", "id"], unique=False
        )

    op.create_table(
        "imported_transactions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("scope", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("connection_id", sa.String(length=36), nullable=True),
        sa.Column("source_id", sa.String(length=255), nullable=True),
        sa.Column("parent_id", sa.String(length=255), nullable=True),
        sa.Column("account", sa.String(length=200), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("payee", sa.String(length=500), nullable=True),
        sa.Column("memo", sa.String(length=2000), nullable=True),
        sa.Column("category", sa.String(length=500), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("rule_id", sa.String(length=36), nullable=True),
        sa.Column("expense_id", sa.String(length=36), nullable=True),
        sa.Column("settlement_id", sa.String(length=36), nullable=True),
        sa.Column("duplicate_of_id", sa.String(length=36), nullable=True),
        sa.Column("run_id", sa.String(length=36), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("reviewed_by_member_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _household("imported_transactions"),
        _set_null("imported_transactions", "connection_id", "import_connections"),
        _set_null("imported_transactions", "rule_id", "import_rules"),
        _set_null("imported_transactions", "expense_id", "expenses"),
        _set_null("imported_transactions", "settlement_id", "settlements"),
        _set_null("imported_transactions", "run_id", "import_runs"),
        sa.PrimaryKeyConstraint("id", name="pk_imported_transactions"),
        sa.UniqueConstraint(
            "household_id", "scope", "key", name="uq_imported_transactions_household_id_scope_key"
        ),
    )
    with op.batch_alter_table("imported_transactions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_imported_transactions_household_id_date", ["household_id", "date"], unique=False
        )
        batch_op.create_index(
            "ix_imported_transactions_household_id_outcome",
            ["household_id", "outcome"],
            unique=False,
        )
        batch_op.create_index("ix_imported_transactions_expense_id", ["expense_id"], unique=False)
        batch_op.create_index(
            "ix_imported_transactions_settlement_id", ["settlement_id"], unique=False
        )
        batch_op.create_index("ix_imported_transactions_run_id", ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("imported_transactions", schema=None) as batch_op:
        batch_op.drop_index("ix_imported_transactions_run_id")
        batch_op.drop_index("ix_imported_transactions_settlement_id")
        batch_op.drop_index("ix_imported_transactions_expense_id")
        batch_op.drop_index("ix_imported_transactions_household_id_outcome")
        batch_op.drop_index("ix_imported_transactions_household_id_date")
    op.drop_table("imported_transactions")
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_import_runs_household_id_id")
        batch_op.drop_index("ix_import_runs_connection_id")
    op.drop_table("import_runs")
    with op.batch_alter_table("import_rules", schema=None) as batch_op:
        batch_op.drop_index("ix_import_rules_household_id_position")
    op.drop_table("import_rules")
    with op.batch_alter_table("import_connections", schema=None) as batch_op:
        batch_op.drop_index("ix_import_connections_next_sync_at")
        batch_op.drop_index("ix_import_connections_household_id")
    op.drop_table("import_connections")
