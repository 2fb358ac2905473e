"""What one household's flow (tests/sdk) must give, whichever generated client drives it:
Sam (the account), Robin and Kim (managed members); groceries 45.00 paid by Sam split
equally, dinner 60.00 paid by Robin split 2:1:1 by shares; a bank file of 32.10 and 12.00
paid by Sam, shared equally by the catch-all rule; a daily chore done by Sam with no body;
a ranked-choice vote Seaside wins in the first round (2 of 3 first preferences)."""

import datetime as dt
from typing import Any


def qif(today: dt.date) -> str:
    day = today.isoformat()
    return f"!Type:Bank\nD{day}\nT-32.10\nPREWE Markt\n^\nD{day}\nT-12.00\nPPharmacy\n^\n"


SUMMARY: dict[str, Any] = {
    "expenses": {
        "Groceries (equal)": {"Sam": 1500, "Robin": 1500, "Kim": 1500},
        "Dinner (shares)": {"Sam": 3000, "Robin": 1500, "Kim": 1500},
    },
    "imported": 2,
    "chore": {"status": "done", "completed_by": "Sam"},
    "winners": ["Seaside"],
    # Sam paid 45.00 + 44.10, owes 15.00 + 30.00 + 14.70; nets sum to zero.
    "balances": {"Sam": 2940, "Robin": 1530, "Kim": -4470},
    "report": {"currency": "EUR", "money": {"Sam": 8910, "Robin": 6000, "Kim": 0}},
}
RANKINGS = {
    "Sam": ["Seaside", "Mountains"],
    "Robin": ["Mountains", "Seaside"],
    "Kim": ["Seaside", "City trip"],
}
