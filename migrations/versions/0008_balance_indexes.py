"""covering indexes for balances: (member_id, amount) on shares and payers

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 01:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("expense_shares", "expense_payers")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_member_id")
            batch_op.create_index(
                f"ix_{table}_member_id_amount", ["member_id", "amount"], unique=False
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_member_id_amount")
            batch_op.create_index(f"ix_{table}_member_id", ["member_id"], unique=False)
