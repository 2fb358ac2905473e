"""members: one member row per account and household

Revision ID: 0014_member_unique_user
Revises: 0012
Create Date: 2026-12-07 16:10:00

Two invitations accepted at once by one account could give it two member rows in one
household (PostgreSQL). Before the unique index goes in, each such account keeps one row —
an admin one if it has one, else the oldest — and its other rows become managed members
(user_id NULL): their expenses, shares and history stay, and an admin can settle and remove
them. Managed members have no account, so their NULLs never collide.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_member_unique_user"
down_revision: str | None = "0013_trust"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "uq_members_household_id_user_id"


def upgrade() -> None:
    members = sa.table(
        "members",
        sa.column("id", sa.String),
        sa.column("household_id", sa.String),
        sa.column("user_id", sa.String),
        sa.column("role", sa.String),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(members.c.id, members.c.household_id, members.c.user_id, members.c.role)
        .where(members.c.user_id.is_not(None))
        .order_by(members.c.household_id, members.c.user_id, members.c.id)
    ).all()
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for member_id, household_id, user_id, role in rows:
        groups.setdefault((household_id, user_id), []).append((member_id, role))
    for group in groups.values():
        if len(group) < 2:
            continue
        keep = next((member_id for member_id, role in group if role == "admin"), group[0][0])
        extra = [member_id for member_id, _ in group if member_id != keep]
        connection.execute(sa.update(members).where(members.c.id.in_(extra)).values(user_id=None))
    op.create_index(INDEX, "members", ["household_id", "user_id"], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="members")
