"""recurring_expenses.materialised_through: reads skip templates already made up to today

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Null for existing templates: their first materialisation after the upgrade walks the
    # whole rule once, as every read did before, and sets it.
    with op.batch_alter_table("recurring_expenses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("materialised_through", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("recurring_expenses", schema=None) as batch_op:
        batch_op.drop_column("materialised_through")
