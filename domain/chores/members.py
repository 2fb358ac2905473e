"""The household as chores see it: its day. (Member lookups: `domain.households.members`.)"""

from datetime import date, datetime

from domain.households.models import Household
from domain.recurrence import household_zone


def local_day(household: Household, moment: datetime) -> date:
    """The day `moment` falls on in the household's zone: chores are due on such days."""
    return moment.astimezone(household_zone(household.timezone)).date()
