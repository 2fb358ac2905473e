"""Imports every table module so the metadata is complete (Alembic, tests, the app)."""

from domain.accounts.models import ApiToken, User
from domain.activity.models import Event
from domain.households.models import Household, Invitation, Member
from domain.idempotency.models import IdempotencyRecord

__all__ = ["ApiToken", "Event", "Household", "IdempotencyRecord", "Invitation", "Member", "User"]
