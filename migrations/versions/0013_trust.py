"""trust: webhook signing secrets encrypted at rest with FAIRSTEAD_SECRET_KEY

Secrets written before this revision are in the clear (`whsec_…`); they are sealed here with
the key the server runs with. Without a key (or with one too short) and any webhook stored,
the upgrade stops before changing anything and says what to set. The downgrade opens them
again, and needs the key for that.

Revision ID: 0013_trust
Revises: 0012
Create Date: 2026-12-07 16:00:00
"""

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from domain.hooks.signing_keys import seal_secret, unseal_secret
from domain.settings import Settings
from migrations.runner import MigrationRefused

revision: str = "0013_trust"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CLEAR = "whsec_"
_subscriptions = sa.table(
    "webhook_subscriptions",
    sa.column("id", sa.String),
    sa.column("secret", sa.String),
    sa.column("previous_secret", sa.String),
)


def _key(rows: int, doing: str) -> str:
    # Settings() reads FAIRSTEAD_SECRET_KEY (or its _FILE) and refuses a short one.
    value = Settings().secret_key
    if value is None:
        raise MigrationRefused(
            f"{rows} webhook(s) hold signing secrets; set FAIRSTEAD_SECRET_KEY (a random string "
            f"of at least 16 characters, the one the server runs with) to {doing} them, then run "
            "'fairstead migrate' again. Nothing was changed."
        )
    return value.get_secret_value()


def _pending(should: Callable[[str | None], bool]) -> list[Any]:
    rows = op.get_bind().execute(
        sa.select(_subscriptions.c.id, _subscriptions.c.secret, _subscriptions.c.previous_secret)
    )
    return [row for row in rows if should(row.secret) or should(row.previous_secret)]


def _convert(
    rows: list[Any], convert: Callable[..., str], should: Callable[[str | None], bool], key: str
) -> None:
    for row in rows:
        values = {
            name: convert(value, secret_key=key) if should(value) else value
            for name, value in (("secret", row.secret), ("previous_secret", row.previous_secret))
        }
        op.get_bind().execute(
            sa.update(_subscriptions).where(_subscriptions.c.id == row.id).values(**values)
        )


def _is_clear(value: str | None) -> bool:
    return value is not None and value.startswith(_CLEAR)


def _is_sealed(value: str | None) -> bool:
    return value is not None and not value.startswith(_CLEAR)


def upgrade() -> None:
    # Asked before anything changes, so a refusal leaves the database as it was.
    rows = _pending(_is_clear)
    key = _key(len(rows), "encrypt") if rows else ""
    with op.batch_alter_table("webhook_subscriptions") as batch:
        batch.alter_column("secret", type_=sa.String(length=500), existing_nullable=False)
        batch.alter_column(
            "previous_secret", type_=sa.String(length=500), existing_nullable=True
        )
    _convert(rows, seal_secret, _is_clear, key)


def downgrade() -> None:
    rows = _pending(_is_sealed)
    if rows:
        _convert(rows, unseal_secret, _is_sealed, _key(len(rows), "decrypt"))
    with op.batch_alter_table("webhook_subscriptions") as batch:
        batch.alter_column("secret", type_=sa.String(length=100), existing_nullable=False)
        batch.alter_column(
            "previous_secret", type_=sa.String(length=100), existing_nullable=True
        )
